/**
 * `release-sigcheck merge-reports SHARD.json...`: joins the JSON reports of a sharded audit (a GitHub
 * Actions matrix with --shard K/N) into one report, and can render it in any report format.
 */
import { parseFailOn } from '../options/registry.ts';
import { SigcheckError } from '../model/errors.ts';
import type { JsonReport } from '../report/json.ts';
import { mergeReports, toNodeResult } from '../report/merge.ts';
import type { ExitCode } from '../model/results.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec } from '../report/outputs.ts';
import { loadPreviousReport, readReportFile } from '../report/previous.ts';
import { MultiReporter, type Reporter } from '../model/reporter.ts';
import { list, parseCommandArgs, str } from './args.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import type { CliIO } from './io.ts';
import { safeJsonStringify } from '../report/safe-text.ts';

export const MERGE_HELP = `Usage: release-sigcheck merge-reports [options] REPORT.json...

Joins the JSON reports of the shards of one audit into the report an unsharded run would write,
and exits with the exit code that run would have had.

Examples:
  release-sigcheck merge-reports shard-*/report.json --output merged.json
  release-sigcheck merge-reports a.json b.json --format github      annotations and job summary
  release-sigcheck merge-reports *.json --output junit:results.xml --output merged.sarif
  release-sigcheck merge-reports shard-*.json --previous last.json --fail-on new \
      --output merged.json --output report.html      what changed since the last audit, and a page

${optionsHelp('merge-reports', ['Output', 'What changed'])}`;

export async function runMergeReportsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge-reports', args, parseArgsSpec('merge-reports'), true);
  if (values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new SigcheckError('USAGE', 'merge-reports needs the JSON report files of the shards; see `release-sigcheck merge-reports --help`');
  const format = parseFormat(str(values, 'format') ?? 'json');
  const outputs = (list(values, 'output') ?? []).map(parseOutputSpec);
  const previousPath = str(values, 'previous');
  const failOn = parseFailOn(str(values, 'fail-on'), previousPath);
  const reports: JsonReport[] = [];
  for (const path of positionals) reports.push(await readReportFile(path));
  const previous = previousPath ? await loadPreviousReport(previousPath, { log: (m) => void io.stderr.write(`release-sigcheck: ${m}\n`) }) : undefined;
  const merged = mergeReports(reports, positionals, { ...(previous ? { previous } : {}), failOn });
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
    await r.end({ status: merged.status, exitCode: merged.exitCode as ExitCode, counts: merged.counts, ...(merged.retries !== undefined ? { retries: merged.retries } : {}), durationMs: merged.durationMs, ...(merged.changes ? { changes: merged.changes } : {}) });
  }
  return merged.exitCode;
}
