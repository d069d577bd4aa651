/**
 * Progress for people: on stderr whenever stderr is a terminal, whatever stdout is and whatever
 * --format says, so `release-sigcheck --format json > report.json` still shows how far it is. Nothing
 * is written when stderr is not a terminal (CI logs, pipes), where a redrawn line is only noise.
 *
 * When stdout is the same terminal, the line is cleared before any other reporter writes a node and
 * drawn again after, so results scroll above it.
 */
import type { Writable } from 'node:stream';
import type { NodeResult, RunSummary } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `120/355 nodes (34%) · 9.8/s · ETA 24s · 12s elapsed`: what a long run needs to be waited for. */
export function describeProgress(done: number, total: number, elapsedMs: number): string {
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const parts = [`${done}/${total} nodes (${pct}%)`];
  if (done > 0 && elapsedMs >= 1000) {
    parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
    if (done < total) parts.push(`ETA ${formatDuration(((total - done) / rate) * 1000)}`);
  }
  parts.push(`${formatDuration(elapsedMs)} elapsed`);
  return parts.join(' · ');
}

export interface ProgressOptions {
  /** Draw at all. Default: the stream is a terminal. */
  enabled?: boolean;
  /** The other output shares the terminal, so the line must be cleared before it writes. */
  sharesTerminal?: boolean;
  now?: () => number;
  /** Least time between two redraws. */
  intervalMs?: number;
}

export class ProgressReporter implements Reporter {
  private readonly out: Writable & { isTTY?: boolean; columns?: number };
  private readonly enabled: boolean;
  private readonly sharesTerminal: boolean;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private started = 0;
  private lastDraw = -Infinity;
  private shown = false;
  private done = 0;
  private total = 0;

  constructor(out: Writable & { isTTY?: boolean; columns?: number }, options: ProgressOptions = {}) {
    this.out = out;
    this.enabled = options.enabled ?? out.isTTY === true;
    this.sharesTerminal = options.sharesTerminal ?? true;
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** Removes the line, so that other text can be written where it was. */
  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\u001b[2K');
    this.shown = false;
  }

  private draw(): void {
    const width = 20;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    let line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describeProgress(this.done, this.total, this.now() - this.started)}`;
    const columns = this.out.columns ?? 80;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.out.write(`\r\u001b[2K${line}`);
    this.shown = true;
    this.lastDraw = this.now();
  }

  begin(info: RunInfo): void {
    this.started = this.now();
    this.total = info.total;
  }

  node(_result: NodeResult): void {
    // The reporters after this one may write the node to the same terminal.
    if (this.sharesTerminal) this.clear();
  }

  finding(): void {
    if (this.sharesTerminal) this.clear();
  }

  progress(done: number, total: number): void {
    if (!this.enabled) return;
    this.done = done;
    this.total = total;
    // Drawn again at once after a clear, so the line does not flicker away between nodes.
    if (this.shown && this.now() - this.lastDraw < this.intervalMs && done !== total) return;
    this.draw();
  }

  end(_summary: RunSummary): void {
    this.clear();
  }
}
