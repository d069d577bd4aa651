/**
 * SignatureMemo: a node's own check and its edge checks share one fetch per signature; the count of
 * fetches per caller; eviction by entries and by bytes, oldest first; a fetcher that rejects is
 * forgotten so the next caller asks again.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import type { FetchResult, FetchStoreSignature, SigstoreSource } from '../../src/model/sources.ts';
import { SignatureMemo } from '../../src/cincinnati/memo.ts';
import { MemorySigstoreSource, buildSigArtifact, generateP256Key, sha256, signLayer } from '../harness/cosign.ts';

const URL1 = 'https://store.example/sigs/sha256=1111/signature-1';
const URL2 = 'https://store.example/sigs/sha256=2222/signature-1';
const URL3 = 'https://store.example/sigs/sha256=3333/signature-1';

/** A store fetch that answers `size` bytes per URL after a tick, counting calls per URL. */
function counting(size = 10, answer: (url: string) => FetchResult<Uint8Array> | 'reject' = (url) => ({ kind: 'found', value: new Uint8Array(size), source: url })): FetchStoreSignature & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string): Promise<FetchResult<Uint8Array>> => {
    calls.push(url);
    await new Promise((r) => setTimeout(r, 2));
    const a = answer(url);
    if (a === 'reject') throw new Error('socket hang up');
    return a;
  };
  return Object.assign(fetch, { calls });
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('one fetch per signature for the node and its edges', () => {
  it('two callers asking the same URL at once share one fetch, and the same answer', async () => {
    const memo = new SignatureMemo();
    const fetch = counting();
    const own = memo.storeFetch(fetch, 'own');
    const edges = memo.storeFetch(fetch, 'edges');
    const [a, b] = await Promise.all([own(URL1), edges(URL1)]);
    expect(fetch.calls).toEqual([URL1]);
    expect(b).toBe(a);
    expect(memo.stats).toEqual({ own: 1, edges: 0, hits: 1 });
  });

  it('asked later, the answer is still the memo\'s; another URL is another fetch, counted for its caller', async () => {
    const memo = new SignatureMemo();
    const fetch = counting();
    await memo.storeFetch(fetch, 'own')(URL1);
    await memo.storeFetch(fetch, 'edges')(URL1);
    await memo.storeFetch(fetch, 'edges')(URL2);
    await memo.storeFetch(fetch, 'edges')(URL2);
    expect(fetch.calls).toEqual([URL1, URL2]);
    expect(memo.stats).toEqual({ own: 1, edges: 1, hits: 2 });
  });

  it('not-found and error answers are kept as they came (asking again in one node is not a retry)', async () => {
    const memo = new SignatureMemo();
    const fetch = counting(0, (url) => (url === URL1 ? { kind: 'not-found', source: url } : { kind: 'error', source: url, reason: 'HTTP 503' }));
    const f = memo.storeFetch(fetch, 'own');
    expect((await f(URL1)).kind).toBe('not-found');
    expect((await f(URL1)).kind).toBe('not-found');
    expect(await f(URL2)).toEqual({ kind: 'error', source: URL2, reason: 'HTTP 503' });
    expect(await f(URL2)).toEqual({ kind: 'error', source: URL2, reason: 'HTTP 503' });
    expect(fetch.calls).toEqual([URL1, URL2]);
  });
});

describe('bounded', () => {
  it('by entries: past maxEntries the oldest is dropped and fetched again when asked', async () => {
    const memo = new SignatureMemo({ maxEntries: 2 });
    const fetch = counting();
    const f = memo.storeFetch(fetch, 'own');
    await f(URL1);
    await f(URL2);
    await f(URL3); // drops URL1
    await f(URL2); // still there
    await f(URL3);
    expect(fetch.calls).toEqual([URL1, URL2, URL3]);
    await f(URL1); // gone: fetched again (and drops URL2)
    expect(fetch.calls).toEqual([URL1, URL2, URL3, URL1]);
    await f(URL3);
    expect(fetch.calls).toHaveLength(4);
    await f(URL2);
    expect(fetch.calls).toEqual([URL1, URL2, URL3, URL1, URL2]);
    expect(memo.stats).toEqual({ own: 5, edges: 0, hits: 3 });
  });

  it('by bytes: bodies past maxBytes drop the oldest entries, never the last one', async () => {
    // Each answer counts its bytes plus 256 of overhead: 1000 + 256 per signature.
    const memo = new SignatureMemo({ maxBytes: 2000 });
    const fetch = counting(1000);
    const f = memo.storeFetch(fetch, 'own');
    await f(URL1);
    await settle();
    await f(URL1);
    expect(fetch.calls).toEqual([URL1]); // 1256 bytes: kept
    await f(URL2);
    await settle(); // 2512 bytes: URL1 is dropped
    await f(URL2);
    expect(fetch.calls).toEqual([URL1, URL2]);
    await f(URL1);
    expect(fetch.calls).toEqual([URL1, URL2, URL1]);

    // One answer larger than the whole budget is still kept, alone.
    const big = new SignatureMemo({ maxBytes: 100 });
    const bigFetch = counting(5000);
    const g = big.storeFetch(bigFetch, 'edges');
    await g(URL1);
    await settle();
    await g(URL1);
    expect(bigFetch.calls).toEqual([URL1]);
    expect(big.stats).toEqual({ own: 0, edges: 1, hits: 1 });
  });

  it('an answer that resolves after its entry was evicted does not count against the bytes', async () => {
    // Two entries of 700 + 256 bytes fit in 2000; a third 956 would not.
    const memo = new SignatureMemo({ maxEntries: 2, maxBytes: 2000 });
    const fetch = counting(700);
    const f = memo.storeFetch(fetch, 'own');
    const inFlight = [f(URL1), f(URL2), f(URL3)]; // URL1 is evicted by entries while in flight
    await Promise.all(inFlight);
    await settle();
    // Had URL1's late answer been counted, URL2 would have been evicted by bytes.
    await f(URL2);
    await f(URL3);
    expect(fetch.calls).toEqual([URL1, URL2, URL3]);
    expect(memo.stats).toEqual({ own: 3, edges: 0, hits: 2 });
  });
});

describe('a fetcher that rejects', () => {
  it('the callers in flight share the rejection; the next caller gets its own fetch', async () => {
    let reject = true;
    const memo = new SignatureMemo();
    const fetch = counting(10, (url) => (reject ? 'reject' : { kind: 'found', value: new Uint8Array(3), source: url }));
    const f = memo.storeFetch(fetch, 'own');
    const results = await Promise.allSettled([f(URL1), memo.storeFetch(fetch, 'edges')(URL1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(fetch.calls).toEqual([URL1]);
    await settle();
    reject = false;
    const again = await f(URL1);
    expect(again).toEqual({ kind: 'found', value: new Uint8Array(3), source: URL1 });
    expect(fetch.calls).toEqual([URL1, URL1]);
    expect(memo.stats).toEqual({ own: 2, edges: 0, hits: 1 });
  });
});

describe('the .sig source through the memo', () => {
  const R = 'quay.io/openshift-release-dev/ocp-release';
  const key = generateP256Key('memo key');
  const D = sha256('memo release') as Digest;

  it('manifests, blobs and referrers once for both callers; HEADs straight through', async () => {
    const layer = signLayer({ identity: `${R}@${D}`, digest: D, key });
    const artifact = buildSigArtifact([layer]);
    const mem = new MemorySigstoreSource(R).putSig(D, artifact);
    let heads = 0;
    const source: SigstoreSource = {
      repository: mem.repository,
      getSignatureManifest: (d) => mem.getSignatureManifest(d),
      getBlob: (d, max) => mem.getBlob(d, max),
      getReferrers: (d) => mem.getReferrers(d),
      headSignatureManifest: async (digest: Digest) => {
        heads++;
        return { kind: 'found', value: artifact.digest, source: `${R}:${digest}` };
      },
    };
    const memo = new SignatureMemo();
    const own = memo.sigstoreSource(source, 'own');
    const edges = memo.sigstoreSource(source, 'edges');
    expect(own.repository).toBe(R);

    const m1 = await own.getSignatureManifest(D);
    const m2 = await edges.getSignatureManifest(D);
    expect(m2).toBe(m1);
    expect(m1.kind === 'found' && m1.value.digest).toBe(artifact.digest);
    const blob = sha256(layer.blob);
    await own.getBlob(blob, 1 << 20);
    await edges.getBlob(blob, 1 << 20);
    await edges.getBlob(blob, 10); // another cap is another question
    await own.getReferrers(D);
    await edges.getReferrers(D);
    expect(mem.calls).toEqual([`manifest ${D}`, `blob ${blob}`, `blob ${blob}`, `referrers ${D}`]);
    expect(memo.stats).toEqual({ own: 3, edges: 1, hits: 3 });

    await own.headSignatureManifest!(D);
    await edges.headSignatureManifest!(D);
    expect(heads).toBe(2);
  });

  it('the same digest in two repositories is two entries', async () => {
    const a = new MemorySigstoreSource('quay.io/a/release');
    const b = new MemorySigstoreSource('quay.io/b/release');
    const memo = new SignatureMemo();
    await memo.sigstoreSource(a, 'own').getSignatureManifest(D);
    await memo.sigstoreSource(b, 'own').getSignatureManifest(D);
    expect(a.calls).toEqual([`manifest ${D}`]);
    expect(b.calls).toEqual([`manifest ${D}`]);
    expect(memo.stats.hits).toBe(0);
  });

  it('a source without HEAD gets none through the memo', () => {
    const memo = new SignatureMemo();
    expect(memo.sigstoreSource(new MemorySigstoreSource(R), 'own').headSignatureManifest).toBeUndefined();
  });
});
