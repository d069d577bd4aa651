/**
 * What the verifiers need from the network, as narrow interfaces. The registry and HTTP modules
 * implement them; tests use in-memory stand-ins. Every method resolves (never rejects) with a
 * definite kind, so a transport failure can never be mistaken for "no signature".
 */
import type { Digest } from './digest.ts';
import type { ErrorCode } from './errors.ts';

/** `source` names where the answer came from (a URL, or `host/repo@digest`), for reports. */
export type FetchResult<T> =
  | { kind: 'found'; value: T; source: string }
  /** A definitive "not there": HTTP 404 after successful authentication, or a missing file. */
  | { kind: 'not-found'; source: string }
  /**
   * Could not be determined: network failure, 5xx, 429, timeout after retries, 401/403, oversize body.
   * `code` says what failed when it is known (HTTP_BODY_TOO_LARGE, DIGEST_MISMATCH: defects the caller
   * may judge as the consumer would, rather than as "run again").
   */
  | { kind: 'error'; source: string; reason: string; code?: ErrorCode };

/**
 * The answer for a value that is not a digest: no URL or path is built from it, no request is sent.
 * Sources check every digest they are handed, since a digest may come from a hostile manifest.
 */
export function refuseNonDigest(source: string, value: unknown): { kind: 'error'; source: string; reason: string } {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value;
  return { kind: 'error', source, reason: `${shown} is not a digest of the form sha256:<64 lowercase hex characters>; no request was sent` };
}

/** Fetches one OpenPGP signature blob from a store URL (`<base>/sha256=<hex>/signature-N`), capped at 50 KiB. */
export type FetchStoreSignature = (url: string) => Promise<FetchResult<Uint8Array>>;

export interface ManifestBytes {
  /** Content-Type the registry answered with. */
  mediaType: string;
  bytes: Uint8Array;
  digest: Digest;
}

export interface ReferrerDescriptor {
  mediaType: string;
  artifactType?: string;
  digest: Digest;
  size?: number;
}

/** Where Sigstore signatures of a release repository are read from (the release repo or a mirror). */
export interface SigstoreSource {
  /** A human name of the repository read, e.g. `quay.io/openshift-release-dev/ocp-release`. */
  readonly repository: string;
  /** The manifest of tag `sha256-<hex>.sig`; not-found when the tag does not exist. */
  getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>>;
  /**
   * The digest of the `sha256-<hex>.sig` manifest, from a HEAD (no body): the cheapest request that
   * proves a cached verdict is still about the bytes the registry serves. Optional: without it the
   * manifest is fetched whole.
   */
  headSignatureManifest?(digest: Digest): Promise<FetchResult<Digest>>;
  /** A blob of the repository, verified against `digest`, capped at `maxBytes`. */
  getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>>;
  /** Referrers of a digest (OCI 1.1 API, or the `sha256-<hex>` referrers tag); not-found when none. */
  getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>>;
}
