/**
 * Digests are the one value from the network that ends up inside URLs, file paths and tag names,
 * so they are validated here, before anything is built from them. Only sha256 is accepted: it is the
 * only algorithm OpenShift release images, cosign `.sig` tags and the signature stores use.
 */
import { SigcheckError } from './errors.ts';

export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/** Returns the digest unchanged, or throws INVALID_DIGEST naming where it came from. */
export function toDigest(value: unknown, where = 'digest'): Digest {
  if (isDigest(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value;
  throw new SigcheckError(
    'INVALID_DIGEST',
    `${where}: ${shown} is not a digest of the form sha256:<64 lowercase hex characters>`,
  );
}

export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/** The cosign signature tag of an image digest: `sha256-<hex>.sig`. */
export function toSignatureTag(digest: Digest): string {
  return `sha256-${digestHex(digest)}.sig`;
}

/** The path segment of an OpenPGP signature store (`sha256=<hex>`), as the cluster-version operator builds it. */
export function toStoreSegment(digest: Digest): string {
  return `sha256=${digestHex(digest)}`;
}

/** The ConfigMap key prefix of a digest (`sha256-<hex>`), as library-go's DigestToKeyPrefix builds it. */
export function toConfigMapKeyPrefix(digest: Digest): string {
  return `sha256-${digestHex(digest)}`;
}
