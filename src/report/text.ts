/**
 * Text for people: one block per node, then the counts and the verdict. Colours follow NO_COLOR /
 * FORCE_COLOR. Progress is not drawn here but on stderr (progress.ts), so that it shows whatever stdout
 * is. Every PR- or server-controlled string is bounded and shows its controls escaped (safe-text.ts),
 * so a version with an ANSI escape or a newline cannot repaint the terminal or forge a line.
 */
import type { Writable } from 'node:stream';
import { CHECK_LABEL, shortDigest } from './format.ts';
import { nodeStatus, type CheckName, type CheckResult, type Finding, type NodeResult, type RunSummary, type UnpublishedNode } from '../model/results.ts';
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
    ];
    if (status !== 'passed') {
      for (const p of result.places) lines.push(`     at ${untrusted(`${this.info?.pathPrefix ?? ''}${p.file}`, 300)}:${p.line} (${untrusted(p.channel)})`);
    }
    this.write(`${lines.join('\n')}\n`);
  }

  unpublished(_node: UnpublishedNode): void {
    this.unpublishedCount++;
  }

  finding(f: Finding): void {
    const where = f.file ? `${untrusted(`${this.info?.pathPrefix ?? ''}${f.file}`, 300)}${f.line ? `:${f.line}` : ''}: ` : '';
    const label = f.severity === 'error' ? this.paint(31, 'error') : this.paint(33, 'warning');
    this.write(`${label} ${where}${untrusted(f.message, MAX_REASON_CHARS)} [${untrusted(f.code, 60)}]\n`);
  }

  end(summary: RunSummary): void {
    const c = summary.counts;
    const parts = [`${c.nodes} node(s): ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked`];
    if (c.unpublished > 0 || this.unpublishedCount > 0) parts.push(`${c.unpublished} (version, arch) pair(s) not published (tag not found; not a failure)`);
    if (c.findings > 0) parts.push(`${c.findings} finding(s)`);
    for (const check of ['openpgp', 'sigstore'] as const) {
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
