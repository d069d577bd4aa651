/**
 * What a release payload says about itself, as read from its `release-manifests/` directory (the
 * files `oc adm release extract` and Cincinnati's release scraper read, top layer first):
 *  - `release-metadata`: the Cincinnati metadata (`{kind: cincinnati-metadata-v0, version, previous,
 *    next, metadata}`), which Cincinnati keys the graph's nodes on;
 *  - `image-references`: an ImageStream whose tags name every component image by digest;
 *  - the `cluster-update-keys` ConfigMap and the ClusterImagePolicy manifests the release ships (the
 *    trust a cluster running this release applies to the releases it updates to; kept for that check).
 * Plain data: the reader is src/payload/read.ts, the parsers src/payload/parse.ts.
 */
import type { Digest } from './digest.ts';
import type { ErrorCode } from './errors.ts';

export interface ReleaseMetadata {
  kind: string;
  version: string;
  previous: string[];
  next: string[];
  /** `metadata` of release-metadata, e.g. `release.openshift.io/architecture: multi`, `url`. */
  metadata: Record<string, string>;
}

/** The key of release-metadata `metadata` that marks a multi-architecture payload. */
export const ARCHITECTURE_KEY = 'release.openshift.io/architecture';

/** One component image: an image-references tag whose `from` is a DockerImage pulled by digest. */
export interface ComponentReference {
  /** The tag name, e.g. `machine-config-operator`. */
  name: string;
  /** `from.name` as the payload writes it. */
  reference: string;
  /** `host/path` of the repository, normalised as containers/image does. */
  repository: string;
  digest: Digest;
}

/** A tag of image-references whose reference this tool cannot check (not by sha256 digest, unparsable). */
export interface UnreadableReference {
  name: string;
  reference: string;
  reason: string;
}

/** A manifest file of the payload, as text (kept for the update-edge trust check). */
export interface PayloadManifestFile {
  /** Path inside the layer, e.g. `release-manifests/0000_90_cluster-update-keys_configmap.yaml`. */
  path: string;
  text: string;
  /** sha256 of the text, to store it once however many payloads ship it. */
  sha256: string;
}

export interface PayloadContents {
  /** The release image's digest (the manifest-list digest for a multi release). */
  digest: Digest;
  /** The image manifest whose layers were read (the first instance of a list, as Cincinnati reads it). */
  manifest: Digest;
  /** `architecture` of that manifest's image config (GOARCH style). */
  configArch: string;
  /** The layer `release-manifests/` was found in: its position from the bottom, and digest. */
  layer: { index: number; digest: Digest };
  metadata: ReleaseMetadata;
  /**
   * The component references, in image-references order. Absent when the contents came from the
   * cache, which keeps only what the metadata check and the update-edge check need.
   */
  components?: ComponentReference[];
  unreadable?: UnreadableReference[];
  /** The `release-verification` ConfigMap in openshift-config-managed (cluster-update-keys), if shipped. */
  updateKeys?: PayloadManifestFile;
  /** Every ClusterImagePolicy manifest shipped (openshift/cluster-update-keys). */
  imagePolicies: PayloadManifestFile[];
}

/**
 * - read: the payload was read and every blob matched its digest;
 * - invalid: the same on every read (no release-manifests, a layer over a cap or of an unknown media
 *   type, a blob that does not hash to its digest after a retry, malformed metadata): a verdict;
 * - error: could not be read (network, 5xx, timeouts after the retries).
 */
export type PayloadRead =
  | { kind: 'read'; contents: PayloadContents; cached?: boolean }
  | { kind: 'invalid'; code: ErrorCode; reason: string }
  | { kind: 'error'; reason: string };
