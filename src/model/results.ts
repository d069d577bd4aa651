/**
 * The one result model every entry point and reporter shares.
 *
 * A node is one (release name, architecture) pair from graph-data. Each node gets one result per check:
 * `openpgp` (what the cluster-version operator checks before an update), `sigstore` (what CRI-O checks
 * on every pod start for the release image) and `components` (what CRI-O checks for every component
 * image the payload references), plus `metadata`: whether the payload is the release graph-data names
 * (Cincinnati keys its nodes on the payload's release-metadata, not on the tag). See ../../README.md
 * "Verdicts" and the contract in docs/verdicts.md ("Components" and the preamble).
 */
import type { Arch } from './arch.ts';
import type { Changes } from './changes.ts';
import type { CincinnatiStats, EdgeCheckStats } from './edges.ts';
import { isUsageError } from './errors.ts';

export type CheckName = 'openpgp' | 'sigstore' | 'components';
export const CHECK_NAMES: readonly CheckName[] = ['openpgp', 'sigstore', 'components'];

/**
 * - verified: at least one signature passed every rule
 * - missing:  the source answered definitively that there is no signature
 * - invalid:  signatures exist, none passes (each reason is kept in `attempts`)
 * - error:    could not be determined (network, 5xx, 429, timeout) after the retry budget ran out
 * - skipped:  excluded by an explicit, reasoned skip entry, or not required for this run
 */
export type Outcome = 'verified' | 'missing' | 'invalid' | 'error' | 'skipped';
export const OUTCOMES: readonly Outcome[] = ['verified', 'missing', 'invalid', 'error', 'skipped'];

/** Where a release name appears in graph-data. `file` is relative to the graph-data root. */
export interface Place {
  file: string;
  line: number;
  channel: string;
}

/** One signature that was looked at, and what became of it. */
export interface SignatureAttempt {
  /** URL, file or `registry/repo@digest` the signature came from. */
  source: string;
  outcome: Exclude<Outcome, 'skipped'>;
  reason: string;
  signer?: string;
  identity?: string;
  /** The verifier's stable code for this signature (e.g. `WEAK_HASH`, `BLOB_TOO_LARGE`). */
  code?: string;
  /**
   * The cluster would accept this signature; the tool refuses it by the contract's "Deliberately
   * stricter" list (docs/verdicts.md). The reason says so.
   */
  deliberate?: true;
}

/** The Sigstore check of one instance of a manifest list. */
export interface InstanceResult {
  digest: string;
  arch?: string;
  outcome: Exclude<Outcome, 'skipped'>;
  reason: string;
  source?: string;
  signer?: string;
  identity?: string;
}

export interface CheckResult {
  outcome: Outcome;
  /** One line a person can act on. */
  reason: string;
  /** The signature that decided the outcome, or where the tool looked. */
  source?: string;
  /** Fingerprint or name of the key that verified. */
  signer?: string;
  /** `docker-reference` of the verified signature. */
  identity?: string;
  /** Every digest this check covered (the list and its instances for a multi node's Sigstore check). */
  digests?: string[];
  /** Per-signature detail, kept for `invalid` and `error` outcomes. */
  attempts?: SignatureAttempt[];
  /** Per-instance detail of a manifest list (Sigstore). */
  instances?: InstanceResult[];
  /** True when the result came from the verified-result cache. */
  cached?: boolean;
  /** With `cached`: the signature behind it was confirmed to be still served, in this run. */
  revalidated?: boolean;
}

/**
 * What the payload's `release-manifests/release-metadata` says the image is, against the node:
 * `verified` when the version and architecture match, `invalid` when they do not (or the payload has
 * no readable metadata), `error` when the payload could not be read, `skipped` when no check ran.
 */
export interface MetadataResult {
  outcome: Outcome;
  reason: string;
  /** The version the payload names (`version` of release-metadata). */
  version?: string;
  /** The architecture the payload is: `multi`, or its image config's (amd64, arm64, ...). */
  arch?: string;
  cached?: boolean;
}

/** A component image that did not pass, named by its image-references tag. */
export interface ComponentFailure {
  /** The ImageStream tag name, e.g. `machine-config-operator`. */
  name: string;
  /** The pull spec, e.g. `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:...`. */
  reference: string;
  outcome: Exclude<Outcome, 'verified' | 'skipped'>;
  reason: string;
}

/** A component in a repository no scope of the policy covers: clusters do not verify it (reported, not failed). */
export interface UnscopedComponent {
  name: string;
  reference: string;
}

/** The Sigstore check of every component image of a payload. */
export interface ComponentsResult extends CheckResult {
  /** Component references in image-references. */
  total: number;
  /** Those whose signature (every instance's, for a list) was accepted. */
  verified: number;
  failures: ComponentFailure[];
  /** Components outside every scope of the policy. */
  unscoped?: UnscopedComponent[];
}

/**
 * One update edge A -> B into a node B: B's signatures judged under the trust of the source release A
 * (its keyring and its ClusterImagePolicy, read from A's payload), as a cluster running A judges them
 * (docs/verdicts.md, "Update edges"). A source whose payload cannot be read is `error`, never `verified`.
 */
export interface EdgeResult {
  /** The source release A, as the graph or release-metadata names it; null when the edges themselves could not be determined. */
  from: string | null;
  outcome: Outcome;
  reason: string;
  /** A's payload digest, when it was resolved. */
  digest?: string;
  /** Where the edge comes from: the Cincinnati channels that serve it, or `release-metadata` (PR scope). */
  via?: string[];
}

export interface NodeResult {
  /** The release name as written in graph-data, e.g. `4.18.3` or `4.2.14+amd64`. */
  version: string;
  arch: Arch;
  /** The payload digest the node resolved to (the manifest-list digest for `multi`). */
  digest: string | null;
  /** The tag that resolved the digest, e.g. `4.18.3-x86_64`. */
  tag?: string;
  places: Place[];
  openpgp: CheckResult;
  sigstore: CheckResult;
  components: ComponentsResult;
  metadata: MetadataResult;
  /** The update edges into this node and their verdicts; absent when no edge check ran for it. */
  edges?: EdgeResult[];
}

/** A node whose architecture was not published (its tag answered 404): reported, not failed. */
export interface UnpublishedNode {
  version: string;
  arch: Arch;
  tag: string;
}

export interface Finding {
  /** `error` findings fail the run (exit code 1); `warning` findings are only reported. */
  severity: 'error' | 'warning';
  code: string;
  message: string;
  file?: string;
  line?: number;
  /**
   * What the finding is about within its file (the version entry it concerns), so that two reads
   * of a file (base and head) can tell the same finding apart from a new one without comparing text.
   */
  subject?: string;
}

export type NodeStatus = 'passed' | 'failed' | 'error';
export type RunStatus = 'passed' | 'failed' | 'error';

export interface OutcomeCounts {
  verified: number;
  missing: number;
  invalid: number;
  error: number;
  skipped: number;
}

export interface RunCounts {
  nodes: number;
  passed: number;
  failed: number;
  errored: number;
  unpublished: number;
  findings: number;
  openpgp: OutcomeCounts;
  sigstore: OutcomeCounts;
  components: OutcomeCounts;
  metadata: OutcomeCounts;
  /** Update edges (one per edge, not per node). */
  edges: OutcomeCounts;
}

/** What the verified-result cache did in a run, for the report's figures. */
export interface CacheStats {
  /** `revalidate`: cached verdicts confirmed, one request per signature; `trust`: reused as they are. */
  mode: 'revalidate' | 'trust';
  /** Cached verdicts found for a digest. */
  hits: number;
  /** Hits whose evidence was confirmed (revalidate mode). */
  confirmed: number;
  /** Hits whose signature had gone or changed, checked again in full. */
  changed: number;
  /** Hits that could not be confirmed (the source did not answer), checked again in full. */
  unconfirmed: number;
  /** Requests spent confirming. */
  requests: number;
  /** New verified results recorded. */
  stored: number;
}

export interface RunSummary {
  status: RunStatus;
  exitCode: ExitCode;
  counts: RunCounts;
  /** Retries spent on the network, when a network was used. */
  retries?: number;
  /** What the verified-result cache did, when one was used. */
  cache?: CacheStats;
  durationMs: number;
  /** With `--previous`: what changed since that run (`exitCode` then follows `changes.failOn`). */
  changes?: Changes;
  /** What the Cincinnati cross-check read and found, when it ran. */
  cincinnati?: CincinnatiStats;
  /** What the update-edge check did, when it ran. */
  edgeCheck?: EdgeCheckStats;
}

/** Exit codes, the same for the CLI and the Action. */
export const ExitCode = {
  /** every required check verified or skipped */
  Passed: 0,
  /** at least one required check missing or invalid, or a graph-data finding */
  Failed: 1,
  /** usage or configuration error */
  Usage: 2,
  /** nothing missing or invalid, but at least one check could not be determined */
  Error: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function emptyOutcomeCounts(): OutcomeCounts {
  return { verified: 0, missing: 0, invalid: 0, error: 0, skipped: 0 };
}

export function emptyRunCounts(): RunCounts {
  return {
    nodes: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    unpublished: 0,
    findings: 0,
    openpgp: emptyOutcomeCounts(),
    sigstore: emptyOutcomeCounts(),
    components: emptyOutcomeCounts(),
    metadata: emptyOutcomeCounts(),
    edges: emptyOutcomeCounts(),
  };
}

export function isFailure(outcome: Outcome): boolean {
  return outcome === 'missing' || outcome === 'invalid';
}

/** A components result for a node that has none to report (nothing resolved, or not required). */
export function noComponents(outcome: Outcome, reason: string): ComponentsResult {
  return { outcome, reason, total: 0, verified: 0, failures: [] };
}

/** The worst outcome of a node's edges (a failing edge fails the node); `skipped` when it has none. */
export function edgesOutcome(edges: readonly Pick<EdgeResult, 'outcome'>[] | undefined): Outcome {
  return (edges ?? []).reduce<Outcome>((w, e) => worseOutcome(w, e.outcome), 'skipped');
}

/** Worst first: a failure outranks an error, which outranks a verdict; skipped only when nothing applied. */
export const OUTCOME_SEVERITY: Readonly<Record<Outcome, number>> = { invalid: 4, missing: 3, error: 2, verified: 1, skipped: 0 };

/** The worse of two outcomes, as a node's parts combine (OUTCOME_SEVERITY). */
export function worseOutcome(a: Outcome, b: Outcome): Outcome {
  return OUTCOME_SEVERITY[a] >= OUTCOME_SEVERITY[b] ? a : b;
}

export function nodeStatus(node: Pick<NodeResult, 'openpgp' | 'sigstore'> & Partial<Pick<NodeResult, 'components' | 'metadata' | 'edges'>>): NodeStatus {
  const outcomes = [node.openpgp.outcome, node.sigstore.outcome, node.components?.outcome ?? 'skipped', node.metadata?.outcome ?? 'skipped', edgesOutcome(node.edges)];
  if (outcomes.some(isFailure)) return 'failed';
  if (outcomes.includes('error')) return 'error';
  return 'passed';
}

/** Accumulates counts as results stream in, so nothing needs to keep every node in memory. */
export class RunTally {
  readonly counts: RunCounts = emptyRunCounts();
  private hasErrorFinding = false;

  addNode(node: NodeResult): NodeStatus {
    const status = nodeStatus(node);
    this.counts.nodes++;
    if (status === 'passed') this.counts.passed++;
    else if (status === 'failed') this.counts.failed++;
    else this.counts.errored++;
    this.counts.openpgp[node.openpgp.outcome]++;
    this.counts.sigstore[node.sigstore.outcome]++;
    this.counts.components[node.components.outcome]++;
    this.counts.metadata[node.metadata.outcome]++;
    for (const e of node.edges ?? []) this.counts.edges[e.outcome]++;
    return status;
  }

  addUnpublished(): void {
    this.counts.unpublished++;
  }

  addFinding(f: Finding): void {
    this.counts.findings++;
    if (f.severity === 'error') this.hasErrorFinding = true;
  }

  status(): RunStatus {
    if (this.counts.failed > 0 || this.hasErrorFinding) return 'failed';
    if (this.counts.errored > 0) return 'error';
    return 'passed';
  }

  exitCode(): ExitCode {
    return decideExitCode({ failed: this.counts.failed + (this.hasErrorFinding ? 1 : 0), errored: this.counts.errored });
  }
}

/**
 * The exit-code policy, the one place it is decided for every command and the Action:
 * 1 when anything failed (a required check missing or invalid, an error finding, or, where something
 * was asked for, nothing at all to check: a typo must not read as "all signed"); otherwise 3 when
 * something could not be determined; otherwise 0. Exit code 2 is for errors that stop a run before
 * it decides anything (exitCodeForError).
 */
export function decideExitCode(outcome: { failed: number; errored: number; checked?: number; emptyIsFailure?: boolean }): ExitCode {
  if (outcome.failed > 0) return ExitCode.Failed;
  if (outcome.errored > 0) return ExitCode.Error;
  if (outcome.emptyIsFailure && outcome.checked === 0) return ExitCode.Failed;
  return ExitCode.Passed;
}

/** The exit code of an error that ended a run: 2 for usage and configuration, 3 for anything else. */
export function exitCodeForError(err: unknown): ExitCode {
  return isUsageError(err) ? ExitCode.Usage : ExitCode.Error;
}

/** The exit code of one check's outcome (a command that decides one signature). */
export function exitCodeForOutcome(outcome: Outcome): ExitCode {
  return decideExitCode({ failed: isFailure(outcome) ? 1 : 0, errored: outcome === 'error' ? 1 : 0 });
}
