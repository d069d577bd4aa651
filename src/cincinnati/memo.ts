/**
 * The signatures of a node, fetched once for its own checks and its edge checks: a node's edges are
 * judged right after its own checks, against the same bytes (the same store signatures, the same
 * `.sig` manifest and blobs), under each source release's trust. Wrapping the two sources of a run
 * with one memo makes an edge check cost no request when the node's own check fetched them, however
 * many trust sets its sources have.
 *
 * Bounded by entries and bytes, oldest first: the edge check follows its node's own check at once, so
 * the memo needs to hold only the nodes in flight. Every answer is kept as it came, `error` included
 * (the HTTP layer has already spent the retries: asking again within the same node is not a retry).
 */
import type { Digest } from '../model/digest.ts';
import type { FetchResult, FetchStoreSignature, ManifestBytes, ReferrerDescriptor, SigstoreSource } from '../model/sources.ts';

export interface SignatureMemoOptions {
  /** Entries kept at most. */
  maxEntries?: number;
  /** Bytes of bodies kept at most. */
  maxBytes?: number;
}

interface Entry {
  promise: Promise<FetchResult<unknown>>;
  bytes: number;
}

/** Who asked: a node's own check, or the edge check. */
export type Caller = 'own' | 'edges';

function sizeOf(result: FetchResult<unknown>): number {
  if (result.kind !== 'found') return 256;
  const v = result.value as { byteLength?: number; bytes?: Uint8Array } | unknown[];
  if (Array.isArray(v)) return 256 + v.length * 256;
  if (v instanceof Uint8Array) return v.byteLength + 256;
  return ((v as { bytes?: Uint8Array }).bytes?.byteLength ?? 0) + 256;
}

export class SignatureMemo {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  /** Fetches sent to the network, by caller; `hits` answered from the memo. */
  readonly stats = { own: 0, edges: 0, hits: 0 };

  constructor(options: SignatureMemoOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  private run<T>(key: string, caller: Caller, work: () => Promise<FetchResult<T>>): Promise<FetchResult<T>> {
    const known = this.entries.get(key);
    if (known) {
      this.stats.hits++;
      return known.promise as Promise<FetchResult<T>>;
    }
    this.stats[caller]++;
    const entry: Entry = { promise: work(), bytes: 256 };
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    void entry.promise.then(
      (result) => {
        if (this.entries.get(key) !== entry) return;
        const size = sizeOf(result);
        this.bytes += size - entry.bytes;
        entry.bytes = size;
        this.evict();
      },
      () => {
        // A fetcher that rejects breaks its contract: forget it, so the next caller gets its own answer.
        if (this.entries.get(key) === entry) {
          this.entries.delete(key);
          this.bytes -= entry.bytes;
        }
      },
    );
    this.evict();
    return entry.promise as Promise<FetchResult<T>>;
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size > 1)) {
      const [key, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  /** The store fetcher for one caller, through the memo. */
  storeFetch(fetch: FetchStoreSignature, caller: Caller): FetchStoreSignature {
    return (url) => this.run(`store\0${url}`, caller, () => fetch(url));
  }

  /** The `.sig` source for one caller: manifests, blobs and referrers through the memo; HEADs (revalidation) straight through. */
  sigstoreSource(source: SigstoreSource, caller: Caller): SigstoreSource {
    const prefix = `sig\0${source.repository}\0`;
    const wrapped: SigstoreSource = {
      repository: source.repository,
      getSignatureManifest: (digest: Digest) => this.run<ManifestBytes>(`${prefix}m\0${digest}`, caller, () => source.getSignatureManifest(digest)),
      getBlob: (digest: Digest, maxBytes: number) => this.run<Uint8Array>(`${prefix}b\0${digest}\0${maxBytes}`, caller, () => source.getBlob(digest, maxBytes)),
      getReferrers: (digest: Digest) => this.run<ReferrerDescriptor[]>(`${prefix}r\0${digest}`, caller, () => source.getReferrers(digest)),
    };
    if (source.headSignatureManifest) wrapped.headSignatureManifest = source.headSignatureManifest.bind(source);
    return wrapped;
  }
}
