/**
 * Text for people: one block per node, then the counts and the verdict. Colours follow NO_COLOR /
 * FORCE_COLOR. Progress is not drawn here but on stderr (progress.ts), so that it shows whatever stdout
 * is. Every PR- or server-controlled string is bounded and shows its controls escaped (safe-text.ts),
 * so a version with an ANSI escape or a newline cannot repaint the terminal or forge a line.
 */
import type { Writable } from 'node:stream';
import { CHANGE_KINDS, CHANGE_LABEL, hasChanges, newFailureCount, type ChangeKind, type Changes, type NodeChange } from './changes.ts';
import { CHECK_LABEL, EDGES_LABEL, METADATA_LABEL, componentLines, describeEdges, edgeLines, formatPlace, shortDigest } from './format.ts';
import { CHECK_NAMES, edgesOutcome, nodeStatus, type CheckName, type CheckResult, type Finding, type NodeResult, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { MAX_REASON_CHARS, untrusted } from './safe-text.ts';

export interface TextReporterOptions {
  /** Colours by default. Default: the stream is a TTY. */
  tty?: boolean;
  color?: boolean;
  /** Only list nodes that did not pass. */
  quiet?: boolean;
}

const STATUS_LABEL = { passed: 'ok  ', failed: 'FAIL', error: 'ERR ' } as const;

/** Entries listed per kind of change; the JSON report has them all. */
const CHANGES_LISTED = 20;

function describeChange(kind: ChangeKind, c: NodeChange, pathPrefix: string): string[] {
  const was = c.previous ? `was ${c.previous.status}` : 'not in the previous report';
  const head = `${untrusted(c.version)} ${c.arch}`;
  let line: string;
  if (kind === 'digestChanged') line = `${head}: ${shortDigest(c.previous?.digest)} -> ${shortDigest(c.current.digest)} (now ${c.current.status})`;
  else if (kind === 'signaturesDisappeared') line = `${head} ${shortDigest(c.current.digest)}: ${(c.checks ?? []).map((k) => CHECK_LABEL[k]).join(' and ')} verified before, missing now`;
  else line = `${head} ${shortDigest(c.current.digest)} (${was})${c.reason ? `: ${untrusted(c.reason, MAX_REASON_CHARS)}` : ''}`;
  const lines = [`    ${line}`];
  if (kind === 'newlyFailing' || kind === 'newlyErrored') for (const p of c.places.slice(0, 3)) lines.push(`      at ${untrusted(formatPlace(p, pathPrefix), MAX_REASON_CHARS)}`);
  return lines;
}

/** The "what changed" block that leads the summary of a run with --previous. */
export function changesText(changes: Changes, pathPrefix = ''): string {
  const p = changes.previous;
  const lines: string[] = [];
  if (!p.found) lines.push(`No previous report at ${p.file}: every failure counts as new.`);
  else lines.push(`Changes since the previous report (${p.file}: ${p.nodes} node(s)${p.status ? `, ${p.status}` : ''}):`);
  if (p.found && !hasChanges(changes)) lines.push('  nothing changed');
  for (const kind of CHANGE_KINDS) {
    const list = changes[kind];
    if (list.length === 0 || (!p.found && kind !== 'newlyFailing' && kind !== 'newlyErrored')) continue;
    lines.push(`  ${CHANGE_LABEL[kind]} (${list.length}):`);
    for (const c of list.slice(0, CHANGES_LISTED)) lines.push(...describeChange(kind, c, pathPrefix));
    if (list.length > CHANGES_LISTED) lines.push(`    … and ${list.length - CHANGES_LISTED} more (see the JSON report's "changes")`);
  }
  if (changes.newFindings.length > 0) {
    lines.push(`  new error findings (${changes.newFindings.length}):`);
    for (const f of changes.newFindings.slice(0, CHANGES_LISTED)) lines.push(`    ${f.file ? `${pathPrefix}${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message} [${f.code}]`);
  }
  lines.push(`  ${changes.compared} node(s) compared, ${changes.added} not in the previous report; ${changes.knownFailures} failing as before`);
  return `${lines.join('\n')}\n`;
}

/** A figure of a run, shown as a number whatever a merged or hand-written report put there. */
function n(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The Cincinnati cross-check's and the edge check's figures, one line each, when they ran. */
export function runFigures(summary: Pick<RunSummary, 'cincinnati' | 'edgeCheck' | 'counts'>): string[] {
  const lines: string[] = [];
  const k = summary.cincinnati;
  if (k) {
    const graphs = Array.isArray(k.graphs) ? k.graphs : [];
    const unread = graphs.filter((g) => g.outcome === 'error').length;
    const conditional = n(k.conditionalEdges);
    const found = [`${n(k.compared)} compared`, `${n(k.drift)} drift`, `${n(k.notServed)} not served`, `${n(k.notPromoted)} not promoted`];
    if (n(k.tagMissing) > 0) found.push(`${n(k.tagMissing)} tag missing`);
    lines.push(
      `Cincinnati: ${plural(graphs.length, 'graph')}${unread > 0 ? ` (${unread} could not be read)` : ''}, ${plural(n(k.nodes), 'node')}, ${plural(n(k.edges), 'edge')}${conditional > 0 ? ` (+${conditional} conditional)` : ''} read; ${found.join(', ')}`,
    );
  }
  const e = summary.edgeCheck;
  const o = summary.counts.edges;
  const judged = o ? o.verified + o.missing + o.invalid + o.error + o.skipped : 0;
  if (e || judged > 0) {
    const figures = e
      ? `${n(e.edges)} into ${plural(n(e.nodes), 'node')} from ${plural(n(e.sources), 'source release')}, ${plural(n(e.trustSets), 'trust set')}, ${plural(n(e.payloadsRead), 'payload')} read, ${plural(n(e.signatureFetches), 'signature fetch', 'signature fetches')}`
      : `${judged} judged`;
    const outcomes = judged > 0 ? `: ${o.verified} verified, ${o.missing} missing, ${o.invalid} invalid, ${o.error} error, ${o.skipped} skipped` : '';
    lines.push(`${EDGES_LABEL}: ${figures}${outcomes}`);
  }
  return lines;
}

export class TextReporter implements Reporter {
  private readonly out: Writable & { isTTY?: boolean; columns?: number };
  private readonly tty: boolean;
  private readonly color: boolean;
  private readonly quiet: boolean;
  private info?: RunInfo;
  private unpublishedCount = 0;

  constructor(out: Writable & { isTTY?: boolean; columns?: number }, options: TextReporterOptions = {}) {
    this.out = out;
    this.tty = options.tty ?? out.isTTY === true;
    const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
    this.color = options.color ?? (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : this.tty && !noColor);
    this.quiet = options.quiet ?? false;
  }

  private paint(code: number, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  private write(text: string): void {
    this.out.write(text);
  }

  begin(info: RunInfo): void {
    this.info = info;
    const what = info.mode === 'pr' ? 'added by the change' : info.mode === 'audit' ? 'promoted by graph-data' : 'requested';
    const from = info.mirror ? `from the mirror ${untrusted(info.mirror)} (identities checked against ${untrusted(info.releaseRepo)})` : `from ${untrusted(info.releaseRepo)}`;
    const config = info.mode === 'pr' && info.trustedFrom ? `; configuration of ${untrusted(info.trustedFrom)}` : '';
    this.write(`release-sigcheck: checking ${info.total} (version, architecture) pair(s) ${what}, ${from} (required: ${info.require.join(', ') || 'none'}${config})\n`);
  }

  private checkText(check: CheckName, r: CheckResult): string {
    const label = `${CHECK_LABEL[check]} ${r.outcome}${r.cached ? (r.revalidated ? ' (cached, confirmed)' : ' (cached)') : ''}`;
    // A verified check needs one short line; the full reason stays in the JSON report.
    if (r.outcome === 'verified' && r.signer) return `${this.paint(32, label)}: signed by ${untrusted(r.signer)}${r.identity ? ` as ${untrusted(r.identity, 300)}` : ''}`;
    const painted =
      r.outcome === 'verified' ? this.paint(32, label) : r.outcome === 'skipped' ? this.paint(90, label) : r.outcome === 'error' ? this.paint(33, label) : this.paint(31, label);
    return `${painted}: ${untrusted(r.reason, MAX_REASON_CHARS)}`;
  }

  node(result: NodeResult): void {
    const status = nodeStatus(result);
    if (this.quiet && status === 'passed') return;
    const label = status === 'passed' ? this.paint(32, STATUS_LABEL.passed) : status === 'failed' ? this.paint(31, STATUS_LABEL.failed) : this.paint(33, STATUS_LABEL.error);
    const lines = [
      `${label} ${untrusted(result.version)} ${result.arch} ${untrusted(shortDigest(result.digest))}${result.tag ? ` (${untrusted(result.tag)})` : ''}`,
      `     ${this.checkText('openpgp', result.openpgp)}`,
      `     ${this.checkText('sigstore', result.sigstore)}`,
      ...this.payloadLines(result),
      ...this.edgeLines(result),
    ];
    if (status !== 'passed') {
      for (const p of result.places) lines.push(`     at ${untrusted(`${this.info?.pathPrefix ?? ''}${p.file}`, 300)}:${p.line} (${untrusted(p.channel)})`);
    }
    this.write(`${lines.join('\n')}\n`);
  }

  /** The components check and the release-metadata confirmation: one line each, then each failing component. */
  private payloadLines(result: NodeResult): string[] {
    const lines: string[] = [];
    const c = result.components;
    if (c.outcome === 'verified') {
      lines.push(`     ${this.paint(32, `${CHECK_LABEL.components} verified${c.cached ? ' (cached)' : ''}`)}: ${c.verified} of ${c.total} component images signed${c.signer ? ` by ${c.signer}` : ''}${c.unscoped?.length ? `, ${c.unscoped.length} outside the policy's scopes` : ''}`);
    } else {
      lines.push(`     ${this.checkText('components', c)}`);
      for (const line of componentLines(result)) lines.push(`       - ${line}`);
    }
    const m = result.metadata;
    if (m.outcome === 'verified') lines.push(`     ${this.paint(32, `${METADATA_LABEL} verified${m.cached ? ' (cached)' : ''}`)}: ${m.version} ${m.arch}`);
    else if (m.outcome !== 'skipped' || result.digest !== null) {
      const paint = m.outcome === 'error' ? 33 : m.outcome === 'skipped' ? 90 : 31;
      lines.push(`     ${this.paint(paint, `${METADATA_LABEL} ${m.outcome}`)}: ${m.reason}`);
    }
    return lines;
  }

  /**
   * The update edges into the node, when the edge check ran for it: one line when every edge passed,
   * else the outcome and one line per edge that failed or could not be judged (source release and reason).
   */
  private edgeLines(result: NodeResult): string[] {
    const edges = result.edges;
    if (!edges) return [];
    const outcome = edgesOutcome(edges);
    if (edges.length === 0) return [`     ${this.paint(90, `${EDGES_LABEL} skipped`)}: ${describeEdges(result)}`];
    const skipped = edges.filter((e) => e.outcome === 'skipped').length;
    if (outcome === 'verified') {
      const verified = edges.filter((e) => e.outcome === 'verified').length;
      return [`     ${this.paint(32, `${EDGES_LABEL} verified`)}: ${verified} of ${edges.length}${skipped > 0 ? ` (${skipped} skipped)` : ''}`];
    }
    if (outcome === 'skipped') return [`     ${this.paint(90, `${EDGES_LABEL} skipped`)}: ${untrusted(edges[0]!.reason, MAX_REASON_CHARS)}`];
    const lines = [`     ${this.paint(outcome === 'error' ? 33 : 31, `${EDGES_LABEL} ${outcome}`)}: ${describeEdges(result)}`];
    for (const line of edgeLines(result)) lines.push(`       - ${line}`);
    return lines;
  }

  unpublished(_node: UnpublishedNode): void {
    this.unpublishedCount++;
  }

  finding(f: Finding): void {
    const where = f.file ? `${untrusted(`${this.info?.pathPrefix ?? ''}${f.file}`, 300)}${f.line ? `:${f.line}` : ''}: ` : '';
    const label = f.severity === 'error' ? this.paint(31, 'error') : this.paint(33, 'warning');
    this.write(`${label} ${where}${untrusted(f.message, MAX_REASON_CHARS)} [${untrusted(f.code, 60)}]\n`);
  }

  /** With --fail-on new the verdict is about what is new; the known failures are named, not hidden. */
  private newOnlyVerdict(changes: Changes, summary: RunSummary): string {
    const known = `${changes.knownFailures} failure(s) known from the previous report do not fail this run (--fail-on new)`;
    const fresh = newFailureCount(changes);
    if (fresh > 0) return this.paint(31, `FAILED: ${fresh} new failure(s) since the previous report (see "newly failing" above); ${known}`);
    if (summary.exitCode === 3) return this.paint(33, `INCOMPLETE: ${changes.newlyErrored.length} node(s) newly could not be checked; re-run. ${known}`);
    return this.paint(32, `PASSED: no new failure since the previous report; ${known}`);
  }

  end(summary: RunSummary): void {
    const c = summary.counts;
    const parts = [`${c.nodes} node(s): ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked`];
    if (c.unpublished > 0 || this.unpublishedCount > 0) parts.push(`${c.unpublished} (version, arch) pair(s) not published (tag not found; not a failure)`);
    if (c.findings > 0) parts.push(`${c.findings} finding(s)`);
    for (const check of CHECK_NAMES) {
      const o = c[check];
      parts.push(`${CHECK_LABEL[check]}: ${o.verified} verified, ${o.missing} missing, ${o.invalid} invalid, ${o.error} error, ${o.skipped} skipped`);
    }
    if (summary.cache) {
      const k = summary.cache;
      parts.push(
        k.mode === 'trust'
          ? `cache trusted as it is (--cache-mode trust): ${k.hits} cached verdict(s) reused without a request`
          : `cache: ${k.hits} cached verdict(s), ${k.confirmed} confirmed with ${k.requests} request(s), ${k.changed + k.unconfirmed} checked again (${k.changed} changed, ${k.unconfirmed} unconfirmed)`,
      );
    }
    const m = c.metadata;
    parts.push(`${METADATA_LABEL}: ${m.verified} confirmed, ${m.invalid} mismatched or unreadable, ${m.error} error, ${m.skipped} not read`);
    parts.push(...runFigures(summary));
    if (summary.retries !== undefined) parts.push(`${summary.retries} network retr${summary.retries === 1 ? 'y' : 'ies'} spent`);
    const changes = summary.changes;
    const lead = changes ? `\n${changesText(changes, this.info?.pathPrefix ?? '')}` : '';
    const verdict =
      changes?.failOn === 'new' && summary.status !== 'passed'
        ? this.newOnlyVerdict(changes, summary)
        : summary.status === 'passed'
        ? this.paint(32, 'PASSED: every required signature is present and valid')
        : summary.status === 'failed'
          ? this.paint(31, 'FAILED: clusters would reject at least one release (see FAIL lines above)')
          : this.paint(33, 'INCOMPLETE: nothing is known to be unsigned, but some checks could not be completed; re-run, or raise --retries/--timeout');
    this.write(`${lead}\n${parts.join('\n')}\n${verdict} (exit code ${summary.exitCode}, ${(summary.durationMs / 1000).toFixed(1)} s)\n`);
  }
}
