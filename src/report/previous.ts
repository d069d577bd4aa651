/**
 * Reading a JSON report given as input: the previous run's (`--previous`) and the shards'
 * (`merge-reports`). The file is the workflow's (restored from a cache or an artifact), but it is
 * still read bounded, as a regular file only, and its shape is checked before anything trusts it,
 * with messages that name the file and the place in it.
 */
import { readRegularFile } from '../fs/regular-file.ts';
import { SigcheckError, isSigcheckError } from '../model/errors.ts';
import { emptyPrevious, indexReport, type PreviousIndex } from './changes.ts';
import { JSON_SCHEMA_VERSION, type JsonReport } from './json.ts';
import { OUTCOMES } from '../model/results.ts';

/** A full audit's report is a few tens of MiB; the cap stops a wrong path (a disk image, a log) early. */
export const REPORT_MAX_BYTES = 256 * 1024 * 1024;

const STATUSES = ['passed', 'failed', 'error'];
const HINT = 'give a JSON report written by release-sigcheck (--output FILE.json, or merge-reports --output)';

function invalid(file: string, what: string): never {
  throw new SigcheckError('REPORT_INVALID', `${file} is not a release-sigcheck JSON report: ${what}; ${HINT}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the parts of a report the tool reads (nodes, findings); names the first element that is wrong. */
export function validateReport(doc: unknown, file: string): JsonReport {
  if (!isObject(doc)) invalid(file, 'the top level is not a JSON object');
  if (doc.dryRun === true) invalid(file, 'it is a --dry-run listing, which checked nothing');
  if (typeof doc.schemaVersion !== 'number') invalid(file, 'it has no schemaVersion');
  if (doc.schemaVersion !== JSON_SCHEMA_VERSION) {
    throw new SigcheckError('REPORT_INVALID', `${file} has report schemaVersion ${doc.schemaVersion}; this release-sigcheck reads schemaVersion ${JSON_SCHEMA_VERSION}. Write the report again with this version (or compare with a report of the same version)`);
  }
  if (!Array.isArray(doc.nodes)) invalid(file, 'it has no "nodes" array');
  doc.nodes.forEach((n: unknown, i: number) => {
    const at = `nodes[${i}]`;
    if (!isObject(n)) invalid(file, `${at} is not an object`);
    if (typeof n.version !== 'string' || n.version === '') invalid(file, `${at}.version is not a string`);
    if (typeof n.arch !== 'string' || n.arch === '') invalid(file, `${at}.arch is not a string`);
    if (n.digest !== null && typeof n.digest !== 'string') invalid(file, `${at}.digest is neither a string nor null`);
    if (n.status !== undefined && !STATUSES.includes(n.status as string)) invalid(file, `${at}.status is not one of ${STATUSES.join(', ')}`);
    if (!Array.isArray(n.places) || !n.places.every((p: unknown) => isObject(p) && typeof p.file === 'string' && typeof p.line === 'number' && typeof p.channel === 'string')) {
      invalid(file, `${at}.places is not a list of { file, line, channel }`);
    }
    for (const check of ['openpgp', 'sigstore']) {
      const c = n[check];
      if (!isObject(c) || !(OUTCOMES as readonly unknown[]).includes(c.outcome)) invalid(file, `${at}.${check}.outcome is not one of ${OUTCOMES.join(', ')}`);
      if (typeof c.reason !== 'string') invalid(file, `${at}.${check}.reason is not a string`);
    }
    if (n.edges !== undefined) {
      if (!Array.isArray(n.edges)) invalid(file, `${at}.edges is not an array`);
      n.edges.forEach((e: unknown, j: number) => {
        if (!isObject(e) || !(OUTCOMES as readonly unknown[]).includes(e.outcome) || typeof e.reason !== 'string' || (e.from !== null && typeof e.from !== 'string')) invalid(file, `${at}.edges[${j}] is not a { from, outcome, reason } edge`);
      });
    }
  });
  const findings = doc.findings ?? [];
  if (!Array.isArray(findings)) invalid(file, '"findings" is not an array');
  findings.forEach((f: unknown, i: number) => {
    if (!isObject(f) || (f.severity !== 'error' && f.severity !== 'warning') || typeof f.code !== 'string' || typeof f.message !== 'string') invalid(file, `findings[${i}] is not a { severity, code, message } finding`);
  });
  if (doc.unpublished !== undefined && !Array.isArray(doc.unpublished)) invalid(file, '"unpublished" is not an array');
  return { ...(doc as unknown as JsonReport), findings: findings as JsonReport['findings'], unpublished: (doc.unpublished as JsonReport['unpublished'] | undefined) ?? [] };
}

/** Reads and validates one JSON report file. */
export async function readReportFile(file: string, what = 'report'): Promise<JsonReport> {
  const bytes = await readRegularFile(file, { what, maxBytes: REPORT_MAX_BYTES });
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new SigcheckError('REPORT_INVALID', `${what} ${file} is not valid JSON (${(err as Error).message}); ${HINT}`, { cause: err });
  }
  return validateReport(doc, file);
}

/**
 * The previous run's report, indexed for the comparison. A file that does not exist is a baseline of
 * nothing (a first run, or a cache that missed), announced through `log`: every failure then counts
 * as new, so a wrong path fails more, never less. Anything else wrong with the file is an error.
 */
export async function loadPreviousReport(file: string, options: { log?: (m: string) => void } = {}): Promise<PreviousIndex> {
  let report: JsonReport;
  try {
    report = await readReportFile(file, 'previous report');
  } catch (err) {
    if (isSigcheckError(err, 'FILE_UNREADABLE') && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      options.log?.(`warning: no previous report at ${file} (a first run, or the cache or artifact was not restored): every failure counts as new`);
      return emptyPrevious(file);
    }
    throw err;
  }
  // Only the compact index is kept; the parsed report is garbage once this returns.
  return indexReport(report, file);
}
