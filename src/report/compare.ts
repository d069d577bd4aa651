/**
 * The reporter that compares: it sits in front of the others, hands each current node to the change
 * tracker as it is decided (nothing else of it is kept), and at the end gives every reporter the
 * summary with the changes and the exit code `--fail-on` asks for.
 */
import { ChangeTracker, exitCodeWithChanges, type FailOn, type PreviousIndex } from './changes.ts';
import type { Finding, NodeResult, RunSummary, UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';

export class ComparingReporter implements Reporter {
  private readonly inner: Reporter;
  private readonly tracker: ChangeTracker;
  /** The summary the reporters received (with changes and the exit code of `--fail-on`). */
  summary?: RunSummary;

  constructor(inner: Reporter, previous: PreviousIndex, failOn: FailOn) {
    this.inner = inner;
    this.tracker = new ChangeTracker(previous, failOn);
  }

  begin(info: RunInfo): void | Promise<void> {
    return this.inner.begin?.(info);
  }

  node(result: NodeResult): void | Promise<void> {
    this.tracker.node(result);
    return this.inner.node(result);
  }

  unpublished(node: UnpublishedNode): void | Promise<void> {
    return this.inner.unpublished?.(node);
  }

  finding(finding: Finding): void | Promise<void> {
    this.tracker.finding(finding);
    return this.inner.finding(finding);
  }

  progress(done: number, total: number): void {
    this.inner.progress?.(done, total);
  }

  end(summary: RunSummary): void | Promise<void> {
    const changes = this.tracker.result();
    this.summary = { ...summary, exitCode: exitCodeWithChanges(summary.exitCode, changes), changes };
    return this.inner.end(this.summary);
  }
}
