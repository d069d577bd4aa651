/**
 * Update edges and what Cincinnati serves: the vocabulary of the cross-check against the Cincinnati
 * graph and of the edge trust check (src/cincinnati), and the seams the pipeline calls them through.
 *
 * A cluster on release A decides whether to update to B with A's trust, not B's: the cluster-version
 * operator of A verifies B's OpenPGP signature with the keyring A's payload ships (its
 * `cluster-update-keys` ConfigMap), and the pod that runs B's release image starts under A's
 * ClusterImagePolicy (docs/verdicts.md, "Update edges"). An edge A -> B is one such decision.
 */
import type { Arch } from './arch.ts';
import type { Digest } from './digest.ts';
import type { ArchResolution, ImageInstance, ResolvedImage } from './checkers.ts';
import type { PayloadRead, ReleaseMetadata } from './payload.ts';
import type { CheckResult, EdgeResult, Finding, NodeResult, Place, UnpublishedNode } from './results.ts';

/** A checked node B whose incoming edges are to be judged. */
export interface EdgeTarget {
  /** The release name as graph-data writes it (`4.2.14+amd64`). */
  name: string;
  /** The version without build metadata: what tags, graphs and release-metadata name. */
  version: string;
  arch: Arch;
  digest: Digest;
  instances?: ImageInstance[];
  places: readonly Place[];
  /** B's own checks under the run's trust: they name the key B is signed with. */
  openpgp: CheckResult;
  sigstore: CheckResult;
  /** Why a part of the edge check does not run (B's own check is not required, or skipped): its reason. */
  skip: { openpgp?: string; sigstore?: string };
  /** B's release-metadata, when its payload was read (its `previous` list names edges in PR scope). */
  metadata?: ReleaseMetadata;
}

/** What the pipeline lends the edge check: payload reads shared with the nodes' own (one read per digest). */
export interface EdgeIO {
  /** A source release resolved as a node is, shared with the nodes' own resolutions (one per version and architecture). */
  resolve(version: string, arch: Arch): Promise<ArchResolution>;
  /** `shared`: a node of this run read (or is reading) the same payload, so this cost no request. */
  payload(image: ResolvedImage): Promise<{ read: PayloadRead; shared: boolean }>;
}

export interface EdgeChecker {
  /**
   * The verdict of every edge into `target`, or undefined when the edge check does not apply to it
   * (nothing names its edges in this run). A failing edge fails the node.
   */
  check(target: EdgeTarget, io: EdgeIO): Promise<EdgeResult[] | undefined>;
  /** A payload the pipeline read for a node: the edge check need not read it again as a source. */
  notePayload?(digest: Digest, read: PayloadRead): void;
  stats(): EdgeCheckStats;
}

/** What the edge check did in a run, for the report's figures. */
export interface EdgeCheckStats {
  /** Nodes whose edges were judged. */
  nodes: number;
  /** Edges judged (one per source release and node). */
  edges: number;
  /** Distinct source releases (version, architecture) resolved. */
  sources: number;
  /** Source payloads read for the edge check (not read for a node of this run, nor from the cache). */
  payloadsRead: number;
  /** Distinct trust sets (keyring and policy) among the sources. */
  trustSets: number;
  /** Signature checks run: one per (node digest, trust set) and consumer, not one per edge. */
  evaluations: number;
  /** Signature fetches those checks sent to the network (the rest came from the node's own check). */
  signatureFetches: number;
}

/** One Cincinnati graph (channel, architecture) as the cross-check read it. */
export interface CincinnatiGraphStats {
  channel: string;
  arch: Arch;
  outcome: 'read' | 'error';
  nodes: number;
  edges: number;
  conditionalEdges: number;
  /** Why it could not be read (outcome `error`). */
  reason?: string;
}

/** What the Cincinnati cross-check read and found, for the report. */
export interface CincinnatiStats {
  /** The graph API, without a query. */
  url: string;
  graphs: CincinnatiGraphStats[];
  /** Nodes and edges read, over every graph. */
  nodes: number;
  edges: number;
  conditionalEdges: number;
  /** Checked (version, arch, channel) triples whose digest was compared with the graph's. */
  compared: number;
  drift: number;
  notServed: number;
  notPromoted: number;
  tagMissing: number;
}

/**
 * Sees every node result and unpublished pair of a run as it is decided, and adds findings once all
 * are in (the Cincinnati cross-check: a digest is compared only when it is known).
 */
export interface RunObserver {
  node(result: NodeResult): void;
  unpublished(node: UnpublishedNode): void;
  findings(): Finding[];
}
