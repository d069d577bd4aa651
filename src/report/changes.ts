/**
 * What changed since the previous run (`--previous REPORT.json`): the periodic audit exists to notice
 * when something that was fine stops being fine, and several thousand rows hide that. Pure: the
 * previous report comes in already read (previous.ts), the current run's nodes one at a time, so a
 * large audit keeps only the previous report's compact index and the changes themselves.
 *
 * A node is a (version, arch) pair. The categories (README, "JSON report", `changes`):
 * - newlyFailing: failing now, and not failing the same way before: the node was absent or not
 *   failing, its digest moved, or a check that fails now did not fail before. Only these fail a run
 *   with `--fail-on new` (with new error findings).
 * - newlyPassing: passing now, not passing before.
 * - newlyErrored: could not be checked now, could before (or the node is new).
 * - digestChanged: the same (version, arch) resolved to another digest: a moved tag.
 * - signaturesDisappeared: a check verified before is `missing` now (a deleted signature or `.sig` tag).
 */
import { CHECK_LABEL } from './format.ts';
import { ExitCode, decideExitCode, isFailure, noComponents, nodeStatus, type CheckName, type CheckResult, type EdgeResult, type Finding, type NodeStatus, type Outcome, type Place } from '../model/results.ts';

export type { Changes, FailOn, NodeChange, NodeState } from '../model/changes.ts';
export { FAIL_ON } from '../model/changes.ts';
import type { Changes, FailOn, NodeChange, NodeState } from '../model/changes.ts';

/** The previous report as the comparison needs it: per-node state and the error findings. */
export interface PreviousIndex {
  /** The path the report was read from, as given. */
  file: string;
  /** False when no file was there (a first run, or a cache that missed): every failure is then new. */
  found: boolean;
  nodes: Map<string, NodeState>;
  errorFindings: Set<string>;
  status?: string;
  releaseRepo?: string;
}

export const CHANGE_KINDS = ['newlyFailing', 'newlyPassing', 'newlyErrored', 'digestChanged', 'signaturesDisappeared'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_LABEL: Record<ChangeKind, string> = {
  newlyFailing: 'newly failing',
  newlyPassing: 'newly passing',
  newlyErrored: 'newly unchecked (errors)',
  digestChanged: 'digest changed under the same tag',
  signaturesDisappeared: 'signatures disappeared',
};

export function nodeKey(version: string, arch: string): string {
  return `${version}\0${arch}`;
}

/**
 * Findings are the same finding when code, file and subject (or message) agree; the line is left out
 * because an unrelated edit above it moves it.
 */
export function findingKey(f: Pick<Finding, 'code' | 'file' | 'subject' | 'message'>): string {
  return JSON.stringify([f.code, f.file ?? '', f.subject ?? f.message]);
}

/** The smallest shape a node has in a report or a run: enough to compare. */
export interface ComparableNode {
  version: string;
  arch: string;
  digest: string | null;
  places: readonly Place[];
  openpgp: Pick<CheckResult, 'outcome' | 'reason'>;
  sigstore: Pick<CheckResult, 'outcome' | 'reason'>;
  /** Absent in reports written before components were checked. */
  components?: Pick<CheckResult, 'outcome' | 'reason'>;
  metadata?: Pick<CheckResult, 'outcome' | 'reason'>;
  /** Absent in reports written before update edges were judged. */
  edges?: readonly Pick<EdgeResult, 'from' | 'outcome' | 'reason'>[];
}

export function nodeState(n: ComparableNode): NodeState {
  const status = nodeStatus({
    openpgp: n.openpgp as CheckResult,
    sigstore: n.sigstore as CheckResult,
    ...(n.components ? { components: noComponents(n.components.outcome, n.components.reason) } : {}),
    ...(n.metadata ? { metadata: { outcome: n.metadata.outcome, reason: n.metadata.reason } } : {}),
    ...(n.edges ? { edges: n.edges.map((e) => ({ from: e.from, outcome: e.outcome, reason: e.reason })) } : {}),
  });
  return { status, digest: n.digest, openpgp: n.openpgp.outcome, sigstore: n.sigstore.outcome, components: n.components?.outcome ?? 'skipped' };
}

/** An empty baseline: no previous report at `file`. */
export function emptyPrevious(file: string): PreviousIndex {
  return { file, found: false, nodes: new Map(), errorFindings: new Set() };
}

const REASON_MAX = 300;

function cut(text: string, max = REASON_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function currentReason(n: ComparableNode, status: NodeStatus): string | undefined {
  if (status === 'passed') return undefined;
  const wanted = (o: Outcome) => (status === 'failed' ? isFailure(o) : o === 'error');
  const check = (['openpgp', 'sigstore'] as const).find((c) => wanted(n[c].outcome));
  if (check) return cut(`${CHECK_LABEL[check]} ${n[check].outcome}: ${n[check].reason}`);
  const edge = n.edges?.find((e) => wanted(e.outcome));
  return edge ? cut(`update edge ${edge.outcome}: ${edge.reason}`) : undefined;
}

function failingChecks(s: NodeState): CheckName[] {
  return (['openpgp', 'sigstore'] as const).filter((c) => isFailure(s[c]));
}

/** Accumulates the changes as the current run's nodes arrive. */
export class ChangeTracker {
  private readonly previous: PreviousIndex;
  private readonly failOn: FailOn;
  private readonly changes: Omit<Changes, 'previous' | 'failOn'> = {
    compared: 0,
    added: 0,
    newlyFailing: [],
    newlyPassing: [],
    newlyErrored: [],
    digestChanged: [],
    signaturesDisappeared: [],
    newFindings: [],
    knownFailures: 0,
  };
  private readonly seenFindings = new Set<string>();

  constructor(previous: PreviousIndex, failOn: FailOn) {
    this.previous = previous;
    this.failOn = failOn;
  }

  node(n: ComparableNode): void {
    const current = nodeState(n);
    const before = this.previous.nodes.get(nodeKey(n.version, n.arch)) ?? null;
    if (before) this.changes.compared++;
    else this.changes.added++;
    const entry = (extra: Partial<NodeChange> = {}): NodeChange => {
      const reason = currentReason(n, current.status);
      return { version: n.version, arch: n.arch, previous: before, current, ...extra, ...(reason ? { reason } : {}), places: n.places.map((p) => ({ file: p.file, line: p.line, channel: p.channel })) };
    };
    const moved = before !== null && before.digest !== null && current.digest !== null && before.digest !== current.digest;
    if (current.status === 'failed') {
      const sameFailure = before !== null && before.digest === current.digest && before.status === 'failed' && failingChecks(current).every((c) => isFailure(before[c]));
      if (sameFailure) this.changes.knownFailures++;
      else this.changes.newlyFailing.push(entry());
    } else if (current.status === 'passed') {
      if (before !== null && before.status !== 'passed') this.changes.newlyPassing.push(entry());
    } else if (before === null || before.status !== 'error') {
      this.changes.newlyErrored.push(entry());
    }
    if (moved) this.changes.digestChanged.push(entry());
    if (before) {
      const gone = (['openpgp', 'sigstore'] as const).filter((c) => before[c] === 'verified' && current[c] === 'missing');
      if (gone.length > 0) this.changes.signaturesDisappeared.push(entry({ checks: gone }));
    }
  }

  finding(f: Finding): void {
    if (f.severity !== 'error') return;
    const key = findingKey(f);
    if (this.previous.errorFindings.has(key) || this.seenFindings.has(key)) return;
    this.seenFindings.add(key);
    this.changes.newFindings.push(f);
  }

  result(): Changes {
    const p = this.previous;
    return {
      previous: { file: p.file, found: p.found, nodes: p.nodes.size, ...(p.status ? { status: p.status } : {}), ...(p.releaseRepo ? { releaseRepo: p.releaseRepo } : {}) },
      failOn: this.failOn,
      ...this.changes,
    };
  }
}

/** The nodes and findings of a report, as far as a comparison reads them. */
export interface ComparableReport {
  nodes: readonly ComparableNode[];
  findings: readonly Finding[];
  status?: string;
  releaseRepo?: string;
}

/** Indexes a report that has already been validated (previous.ts does that for files). */
export function indexReport(report: ComparableReport, file: string): PreviousIndex {
  const nodes = new Map<string, NodeState>();
  for (const n of report.nodes) nodes.set(nodeKey(n.version, n.arch), nodeState(n));
  const errorFindings = new Set(report.findings.filter((f) => f.severity === 'error').map(findingKey));
  return { file, found: true, nodes, errorFindings, ...(report.status ? { status: report.status } : {}), ...(report.releaseRepo ? { releaseRepo: report.releaseRepo } : {}) };
}

/** Compares two whole reports (merge-reports compares after merging). */
export function compareReports(previous: PreviousIndex, current: ComparableReport, failOn: FailOn = 'any'): Changes {
  const tracker = new ChangeTracker(previous, failOn);
  for (const f of current.findings) tracker.finding(f);
  for (const n of current.nodes) tracker.node(n);
  return tracker.result();
}

/** Failures the previous report did not have: nodes newly failing and new error findings. */
export function newFailureCount(changes: Changes): number {
  return changes.newlyFailing.length + changes.newFindings.length;
}

/**
 * The run's exit code. With `--fail-on any` it is the run's own; with `new` only what is new counts:
 * 1 for a new failure, else 3 for a node that newly could not be checked, else 0.
 */
export function exitCodeWithChanges(exitCode: ExitCode, changes: Changes | undefined): ExitCode {
  if (!changes || changes.failOn === 'any' || exitCode === ExitCode.Usage) return exitCode;
  // With --fail-on new only what is new counts.
  return decideExitCode({ failed: newFailureCount(changes), errored: changes.newlyErrored.length });
}

export function hasChanges(changes: Changes): boolean {
  return CHANGE_KINDS.some((k) => changes[k].length > 0) || changes.newFindings.length > 0;
}
