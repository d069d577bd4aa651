/**
 * `release-sigcheck merge-reports SHARD.json...`: joins the JSON reports of a sharded audit (a GitHub
 * Actions matrix with --shard K/N) into one report, and can render it in any report format.
 */
import { readFile } from 'node:fs/promises';
import { SigcheckError } from '../../model/errors.ts';
import type { JsonReport } from '../../report/json.ts';
import { mergeReports, toNodeResult } from '../../report/merge.ts';
import type { ExitCode } from '../../model/results.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec } from '../../report/outputs.ts';
import { MultiReporter, type Reporter } from '../../model/reporter.ts';
import { list, parseCommandArgs, str } from '../args.ts';
import { optionsHelp, parseArgsSpec } from '../../options/table.ts';
import type { CliIO } from '../io.ts';
import { safeJsonStringify } from '../../report/safe-text.ts';

export const MERGE_HELP = `Usage: release-sigcheck merge-reports [options] REPORT.json...

Joins the JSON reports of the shards of one audit into the report an unsharded run would write,
and exits with the exit code that run would have had.

Examples:
  release-sigcheck merge-reports shard-*/report.json --output merged.json
  release-sigcheck merge-reports a.json b.json --format github      annotations and job summary
  release-sigcheck merge-reports *.json --output junit:results.xml --output merged.sarif

${optionsHelp('merge-reports', ['Output'])}`;

export async function runMergeReportsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge-reports', args, parseArgsSpec('merge-reports'), true);
  if (values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new SigcheckError('USAGE', 'merge-reports needs the JSON report files of the shards; see `release-sigcheck merge-reports --help`');
  const format = parseFormat(str(values, 'format') ?? 'json');
  const outputs = (list(values, 'output') ?? []).map(parseOutputSpec);
  const reports: JsonReport[] = [];
  for (const path of positionals) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new SigcheckError('CONFIG', `cannot read report ${path}: ${(err as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as JsonReport).nodes) || typeof (doc as JsonReport).schemaVersion !== 'number') {
      throw new SigcheckError('CONFIG', `${path} is not a release-sigcheck JSON report (written with --format json or --output FILE.json)`);
    }
    reports.push(doc as JsonReport);
  }
  const merged = mergeReports(reports, positionals);
  const reporters: Reporter[] = [];
  if (format === 'json') io.stdout.write(`${safeJsonStringify(merged, 2)}\n`);
  else reporters.push(await createReporter(format, io.stdout));
  for (const spec of outputs) reporters.push(await openFileReporter(spec));
  if (reporters.length > 0) {
    const r = new MultiReporter(reporters);
    await r.begin({ mode: merged.mode as never, pathPrefix: '', releaseRepo: merged.releaseRepo, require: merged.require as never, arches: merged.arches as never, total: merged.nodes.length, ...(merged.graphData ? { graphData: merged.graphData } : {}) });
    for (const f of merged.findings) await r.finding(f);
    for (const n of merged.nodes) await r.node(toNodeResult(n));
    for (const u of merged.unpublished) await r.unpublished(u);
    await r.end({ status: merged.status, exitCode: merged.exitCode as ExitCode, counts: merged.counts, ...(merged.retries !== undefined ? { retries: merged.retries } : {}), durationMs: merged.durationMs });
  }
  return merged.exitCode;
}
