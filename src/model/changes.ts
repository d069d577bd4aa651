/**
 * What changed since a previous run (`--previous`): the vocabulary the comparison (report/changes.ts)
 * produces and every reporter and the run summary carry.
 */
import type { CheckName, Finding, NodeStatus, Outcome, Place } from './results.ts';

export type FailOn = 'new' | 'any';
export const FAIL_ON: readonly FailOn[] = ['new', 'any'];

/** What the comparison keeps of a node, from either run. */
export interface NodeState {
  status: NodeStatus;
  digest: string | null;
  openpgp: Outcome;
  sigstore: Outcome;
  components: Outcome;
}

export interface NodeChange {
  version: string;
  arch: string;
  /** The node in the previous report; null when it was not there (a newly promoted release). */
  previous: NodeState | null;
  current: NodeState;
  /** signaturesDisappeared: the checks that were verified and are missing now. */
  checks?: CheckName[];
  /** Why the node fails or could not be checked now (one line, cut), for failing and errored nodes. */
  reason?: string;
  places: Place[];
}

export interface Changes {
  previous: { file: string; found: boolean; nodes: number; status?: string; releaseRepo?: string };
  failOn: FailOn;
  /** Nodes of this run that the previous report also has. */
  compared: number;
  /** Nodes of this run that the previous report does not have. */
  added: number;
  newlyFailing: NodeChange[];
  newlyPassing: NodeChange[];
  newlyErrored: NodeChange[];
  digestChanged: NodeChange[];
  signaturesDisappeared: NodeChange[];
  /** Error findings (graph-data problems) the previous report did not have. */
  newFindings: Finding[];
  /** Nodes failing now exactly as before: with `--fail-on new` they do not fail the run. */
  knownFailures: number;
}

