/**
 * Reporters receive results as they are decided. Each one keeps only what it must (counts, failures),
 * so a 7,000-node audit does not hold every result in memory.
 */
import type { Arch } from './arch.ts';
import type { CheckName, Finding, NodeResult, RunSummary, UnpublishedNode } from './results.ts';

export type RunMode = 'audit' | 'pr' | 'versions' | 'image' | 'mirror';

export interface RunInfo {
  mode: RunMode;
  /** The graph-data directory walked, when there is one. */
  graphData?: string;
  /**
   * Path of the graph-data root relative to the repository root (or the working directory), so that
   * annotation paths are relative to the repository: `` for the top, `graph-data/` for a subdirectory.
   */
  pathPrefix: string;
  releaseRepo: string;
  /** The mirror images and `.sig` tags were read from, when not the release repository. */
  mirror?: string;
  /** The shard of a sharded audit (`--shard K/N`), so that merge-reports can tell a partial set. */
  shard?: { index: number; count: number };
  /** Where the configuration came from: the checkout, or in PR scope the merge-base. */
  trustedFrom?: string;
  require: readonly CheckName[];
  arches: readonly Arch[];
  /** Number of (name, arch) pairs that will be decided. */
  total: number;
  /** Where the JSON report goes, if anywhere (named in notices and outputs). */
  reportPath?: string;
}

export interface Reporter {
  begin?(info: RunInfo): void | Promise<void>;
  node(result: NodeResult): void | Promise<void>;
  unpublished?(node: UnpublishedNode): void | Promise<void>;
  finding(finding: Finding): void | Promise<void>;
  progress?(done: number, total: number): void;
  end(summary: RunSummary): void | Promise<void>;
}

/** Fans every event out to several reporters. */
export class MultiReporter implements Reporter {
  readonly reporters: Reporter[];
  constructor(reporters: Reporter[]) {
    this.reporters = reporters;
  }
  async begin(info: RunInfo): Promise<void> {
    for (const r of this.reporters) await r.begin?.(info);
  }
  async node(result: NodeResult): Promise<void> {
    for (const r of this.reporters) await r.node(result);
  }
  async unpublished(node: UnpublishedNode): Promise<void> {
    for (const r of this.reporters) await r.unpublished?.(node);
  }
  async finding(finding: Finding): Promise<void> {
    for (const r of this.reporters) await r.finding(finding);
  }
  progress(done: number, total: number): void {
    for (const r of this.reporters) r.progress?.(done, total);
  }
  async end(summary: RunSummary): Promise<void> {
    for (const r of this.reporters) await r.end(summary);
  }
}
