/**
 * Revalidation: a cached `verified` verdict is a statement about exact bytes (the store signature
 * that verified, the `.sig` manifest whose layers verified). The periodic audit exists to notice
 * when those bytes stop being served (a signature deleted from a store or a CDN, a `.sig` tag
 * overwritten), so every cached verdict is confirmed at the cheapest request that proves the bytes
 * are still there: the store signature fetched again and compared by hash (it is at most 50 KiB, and
 * a GET proves the bytes where a HEAD or an ETag, whose meaning varies between CDNs, would not), the
 * `.sig` manifest's digest from a HEAD. Anything else (gone, replaced, not answered) sends the digest
 * through the full check again, which then gives the real outcome.
 *
 * The evidence is recorded without the verifiers knowing: the sources they read through are wrapped,
 * and the bytes behind a verdict are looked up afterwards by the verdict's own `source`.
 */
import { createHash } from 'node:crypto';
import { isDigest, type Digest } from '../model/digest.ts';
import type { ResolvedImage } from '../model/checkers.ts';
import type { CheckResult } from '../model/results.ts';
import type { FetchResult, FetchStoreSignature, ManifestBytes, SigstoreSource } from '../model/sources.ts';

/** What a verified verdict was about. */
export type Evidence =
  /** The store signature that verified: its URL (or file) and the SHA-256 of its bytes. */
  | { kind: 'store-signature'; url: string; sha256: string }
  /** The `.sig` manifest of one image digest CRI-O verifies (every instance of a list). */
  | { kind: 'sig-manifest'; image: Digest; manifest: Digest };

export function isEvidence(value: unknown): value is Evidence {
  const e = value as Partial<Record<string, unknown>> | null;
  if (typeof e !== 'object' || e === null) return false;
  if (e.kind === 'store-signature') return typeof e.url === 'string' && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256);
  if (e.kind === 'sig-manifest') return isDigest(e.image) && isDigest(e.manifest);
  return false;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Entries kept until a verdict consumes them; a bound keeps a long audit's memory flat. */
const RECORD_LIMIT = 4096;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > RECORD_LIMIT) map.delete(map.keys().next().value as K);
}

/** Records, per source read, the bytes behind what the checkers saw. */
export class EvidenceRecorder {
  private readonly signatures = new Map<string, string>();
  private readonly manifests = new Map<Digest, Digest>();

  /** A store fetcher that records the hash of every signature it hands out. */
  wrapStoreFetch(fetch: FetchStoreSignature): FetchStoreSignature {
    return async (url) => {
      const r = await fetch(url);
      if (r.kind === 'found') {
        const hash = sha256(r.value);
        remember(this.signatures, url, hash);
        if (r.source) remember(this.signatures, r.source, hash);
      }
      return r;
    };
  }

  /** A Sigstore source that records the `.sig` manifest digest of every image it is asked about. */
  wrapSigstoreSource(source: SigstoreSource): SigstoreSource {
    const manifests = this.manifests;
    const wrapped: SigstoreSource = {
      repository: source.repository,
      async getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
        const r = await source.getSignatureManifest(digest);
        if (r.kind === 'found') remember(manifests, digest, r.value.digest);
        return r;
      },
      getBlob: (digest, maxBytes) => source.getBlob(digest, maxBytes),
      getReferrers: (digest) => source.getReferrers(digest),
    };
    if (source.headSignatureManifest) wrapped.headSignatureManifest = (digest) => source.headSignatureManifest!(digest);
    return wrapped;
  }

  /** The evidence of a verified OpenPGP verdict: the signature at its `source`. */
  openpgp(result: CheckResult): Evidence[] | undefined {
    if (result.outcome !== 'verified' || !result.source) return undefined;
    const hash = this.signatures.get(result.source);
    return hash ? [{ kind: 'store-signature', url: result.source, sha256: hash }] : undefined;
  }

  /** The evidence of a verified Sigstore verdict: the `.sig` manifest of every digest CRI-O verifies. */
  sigstore(image: ResolvedImage, result: CheckResult): Evidence[] | undefined {
    if (result.outcome !== 'verified') return undefined;
    const verified = image.instances && image.instances.length > 0 ? image.instances.map((i) => i.digest) : [image.digest];
    const out: Evidence[] = [];
    for (const d of verified) {
      const manifest = this.manifests.get(d);
      if (!manifest) return undefined;
      out.push({ kind: 'sig-manifest', image: d, manifest });
    }
    return out;
  }
}

export interface RevalidationSources {
  fetchStoreSignature: FetchStoreSignature;
  sigstoreSource: SigstoreSource;
}

/**
 * Confirms that every piece of evidence is still what its source serves: `same` (one request each),
 * `changed` (gone or other bytes), or `unknown` (the source did not answer; the full check decides).
 */
export async function confirmEvidence(evidence: readonly Evidence[], sources: RevalidationSources): Promise<{ verdict: 'same' | 'changed' | 'unknown'; requests: number }> {
  let requests = 0;
  const one = async (e: Evidence): Promise<'same' | 'changed' | 'unknown'> => {
    requests++;
    if (e.kind === 'store-signature') {
      const r = await sources.fetchStoreSignature(e.url);
      if (r.kind === 'error') return 'unknown';
      return r.kind === 'found' && sha256(r.value) === e.sha256 ? 'same' : 'changed';
    }
    const head = sources.sigstoreSource.headSignatureManifest
      ? await sources.sigstoreSource.headSignatureManifest(e.image)
      : await sources.sigstoreSource.getSignatureManifest(e.image).then((r): FetchResult<Digest> => (r.kind === 'found' ? { kind: 'found', value: r.value.digest, source: r.source } : r));
    if (head.kind === 'error') return 'unknown';
    return head.kind === 'found' && head.value === e.manifest ? 'same' : 'changed';
  };
  const verdicts = await Promise.all(evidence.map(one));
  const verdict = verdicts.includes('changed') ? 'changed' : verdicts.includes('unknown') ? 'unknown' : 'same';
  return { verdict, requests };
}
