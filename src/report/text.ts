/**
 * Text for people: on a terminal, a live progress line with results scrolling above it; otherwise
 * (CI logs, pipes) plain lines only. Colours follow NO_COLOR / FORCE_COLOR.
 */
import type { Writable } from 'node:stream';
import { CHECK_LABEL, METADATA_LABEL, componentLines, formatPlace, shortDigest } from './format.ts';
import { CHECK_NAMES, nodeStatus, type CheckName, type CheckResult, type Finding, type NodeResult, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';

export interface TextReporterOptions {
  /** Live progress line and colours. Default: the stream is a TTY. */
  tty?: boolean;
  color?: boolean;
  /** Only list nodes that did not pass. */
  quiet?: boolean;
}

const STATUS_LABEL = { passed: 'ok  ', failed: 'FAIL', error: 'ERR ' } as const;

export class TextReporter implements Reporter {
  private readonly out: Writable & { isTTY?: boolean; columns?: number };
  private readonly tty: boolean;
  private readonly color: boolean;
  private readonly quiet: boolean;
  private info?: RunInfo;
  private progressShown = false;
  private lastProgress = 0;
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
    if (this.progressShown) {
      this.out.write('\r\u001b[2K');
      this.progressShown = false;
    }
    this.out.write(text);
  }

  begin(info: RunInfo): void {
    this.info = info;
    const what = info.mode === 'pr' ? 'added by the change' : info.mode === 'audit' ? 'promoted by graph-data' : 'requested';
    const from = info.mirror ? `from the mirror ${info.mirror} (identities checked against ${info.releaseRepo})` : `from ${info.releaseRepo}`;
    const config = info.mode === 'pr' && info.trustedFrom ? `; configuration of ${info.trustedFrom}` : '';
    this.write(`release-sigcheck: checking ${info.total} (version, architecture) pair(s) ${what}, ${from} (required: ${info.require.join(', ') || 'none'}${config})\n`);
  }

  private checkText(check: CheckName, r: CheckResult): string {
    const label = `${CHECK_LABEL[check]} ${r.outcome}${r.cached ? ' (cached)' : ''}`;
    // A verified check needs one short line; the full reason stays in the JSON report.
    if (r.outcome === 'verified' && r.signer) return `${this.paint(32, label)}: signed by ${r.signer}${r.identity ? ` as ${r.identity}` : ''}`;
    const painted =
      r.outcome === 'verified' ? this.paint(32, label) : r.outcome === 'skipped' ? this.paint(90, label) : r.outcome === 'error' ? this.paint(33, label) : this.paint(31, label);
    return `${painted}: ${r.reason}`;
  }

  node(result: NodeResult): void {
    const status = nodeStatus(result);
    if (this.quiet && status === 'passed') return;
    const label = status === 'passed' ? this.paint(32, STATUS_LABEL.passed) : status === 'failed' ? this.paint(31, STATUS_LABEL.failed) : this.paint(33, STATUS_LABEL.error);
    const lines = [
      `${label} ${result.version} ${result.arch} ${shortDigest(result.digest)}${result.tag ? ` (${result.tag})` : ''}`,
      `     ${this.checkText('openpgp', result.openpgp)}`,
      `     ${this.checkText('sigstore', result.sigstore)}`,
      ...this.payloadLines(result),
    ];
    if (status !== 'passed') {
      for (const p of result.places) lines.push(`     at ${formatPlace(p, this.info?.pathPrefix ?? '')}`);
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

  unpublished(_node: UnpublishedNode): void {
    this.unpublishedCount++;
  }

  finding(f: Finding): void {
    const where = f.file ? `${this.info?.pathPrefix ?? ''}${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
    const label = f.severity === 'error' ? this.paint(31, 'error') : this.paint(33, 'warning');
    this.write(`${label} ${where}${f.message} [${f.code}]\n`);
  }

  progress(done: number, total: number): void {
    if (!this.tty) return;
    const now = Date.now();
    if (done !== total && now - this.lastProgress < 100) return;
    this.lastProgress = now;
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    this.write(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    this.progressShown = true;
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
    const m = c.metadata;
    parts.push(`${METADATA_LABEL}: ${m.verified} confirmed, ${m.invalid} mismatched or unreadable, ${m.error} error, ${m.skipped} not read`);
    if (summary.retries !== undefined) parts.push(`${summary.retries} network retr${summary.retries === 1 ? 'y' : 'ies'} spent`);
    const verdict =
      summary.status === 'passed'
        ? this.paint(32, 'PASSED: every required signature is present and valid')
        : summary.status === 'failed'
          ? this.paint(31, 'FAILED: clusters would reject at least one release (see FAIL lines above)')
          : this.paint(33, 'INCOMPLETE: nothing is known to be unsigned, but some checks could not be completed; re-run, or raise --retries/--timeout');
    this.write(`\n${parts.join('\n')}\n${verdict} (exit code ${summary.exitCode}, ${(summary.durationMs / 1000).toFixed(1)} s)\n`);
  }
}
