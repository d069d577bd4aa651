/**
 * The fault run: 200 release nodes in a real token-auth registry and an OpenPGP store, each node
 * fetched as a check fetches it (resolve the tag, walk the store's signature-N, fetch the `.sig`
 * manifest and its blobs, per instance for a manifest list). Fetched once with no faults, then with
 * 20% of all requests broken at random in every way the fault proxy knows (token endpoint included):
 * every node must end with exactly the same fetched results. With every request to the store broken,
 * every store fetch must be `error`, never `not-found`, and nothing else may change.
 */
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchResult } from '../../src/model/sources.ts';
import type { NetworkConfig } from '../../src/options/registry.ts';
import type { Arch } from '../../src/model/arch.ts';
import { BLOB_MAX_BYTES } from '../../src/http/limits.ts';
import { toStoreSignatureUrl } from '../../src/openpgp/fetch.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { FAULT_KINDS, seededRandom, startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildImage, buildIndex, buildSigManifest, sha256, type Digest } from '../harness/images.ts';
import { startStore, type SignatureStore } from '../harness/store.ts';
import { startTokenRegistry, type TokenRegistryEnv } from './env.ts';

const REPO = 'openshift-release-dev/ocp-release';
const NODES = 200;
const SINGLE_ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le'] as const;
const TAG_SUFFIX: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le', multi: 'multi' };

interface Node {
  version: string;
  arch: Arch;
}

let env: TokenRegistryEnv;
let store: SignatureStore;
let storeProxy: FaultProxy;
const nodes: Node[] = [];
const networks: Network[] = [];
/** Backoff waits are the client's policy, tested in test/http; here only their count matters. */
const instantSleep = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function summarize<T>(r: FetchResult<T>, value: (v: T) => unknown): unknown {
  return r.kind === 'found' ? { kind: 'found', value: value(r.value) } : { kind: r.kind };
}

/** Everything a check fetches for one node, reduced to comparable facts (digests, byte hashes, kinds). */
async function fetchNode(net: Network, node: Node, storeBase: string): Promise<unknown> {
  const resolution = await net.resolver.resolve(node.version, node.arch);
  if (resolution.kind !== 'found') return { resolution: resolution.kind === 'error' ? { kind: 'error' } : resolution };
  const store: unknown[] = [];
  for (let n = 1; n <= 9; n++) {
    const r = await net.fetchStoreSignature(toStoreSignatureUrl(storeBase, resolution.digest, n));
    store.push(summarize(r, (bytes) => sha256(bytes)));
    if (r.kind !== 'found') break;
  }
  const sigstore: unknown[] = [];
  for (const digest of [resolution.digest, ...(resolution.instances ?? []).map((i) => i.digest)]) {
    const m = await net.sigstoreSource.getSignatureManifest(digest);
    const entry: { digest: string; manifest: unknown; blobs: unknown[] } = { digest, manifest: summarize(m, (v) => v.digest), blobs: [] };
    if (m.kind === 'found') {
      const layers = (JSON.parse(new TextDecoder().decode(m.value.bytes)) as { layers: Array<{ digest: Digest }> }).layers;
      for (const layer of layers) entry.blobs.push(summarize(await net.sigstoreSource.getBlob(layer.digest, BLOB_MAX_BYTES), (bytes) => sha256(bytes)));
    }
    sigstore.push(entry);
  }
  return { resolution, store, sigstore };
}

async function fetchAll(net: Network, storeBase: string): Promise<unknown[]> {
  const limit = pLimit(32);
  return Promise.all(nodes.map((node) => limit(() => fetchNode(net, node, storeBase))));
}

async function network(overrides: Partial<NetworkConfig>, rateFloor?: number): Promise<Network> {
  const n = await createNetwork(
    { releaseRepo: `http://${env.proxy.host}/${REPO}`, signatureStores: [], concurrency: 16, retries: 10, timeoutMs: 400, ...overrides },
    { credentials: CredentialStore.empty(), retry: { baseDelayMs: 20, maxDelayMs: 400 }, sleep: instantSleep, ...(rateFloor !== undefined ? { rateFloor } : {}) },
  );
  networks.push(n);
  return n;
}

beforeAll(async () => {
  env = await startTokenRegistry({ seed: 2026 });
  store = await startStore();
  storeProxy = await startFaultProxy({ target: store.url, seed: 2027 });
  const pusher = env.pusher(REPO);
  const random = seededRandom(99);
  const bytes = (n: number) => new Uint8Array(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const jobs: Array<() => Promise<void>> = [];
  for (let i = 0; i < NODES; i++) {
    const version = `4.98.${i}`;
    const arch: Arch = i % 20 === 0 ? 'multi' : SINGLE_ARCHES[i % 4]!;
    nodes.push({ version, arch });
    if (i % 25 === 7) continue; // never published: absent
    const sigs = [bytes(800 + (i % 7) * 300), ...(i % 6 === 1 ? [bytes(1200)] : [])];
    const signed = i % 4 !== 0;
    jobs.push(async () => {
      const tag = `${version}-${TAG_SUFFIX[arch]}`;
      let digest: Digest;
      let instances: Digest[] = [];
      if (arch === 'multi') {
        const idx = buildIndex({ seed: version });
        digest = await pusher.index(idx, tag);
        instances = idx.images.map((img) => img.digest);
      } else {
        digest = await pusher.image(buildImage({ arch, seed: version }), tag);
      }
      if (i % 3 !== 0) for (const [n, sig] of sigs.entries()) await store.put(digest, n + 1, sig);
      if (signed) {
        for (const d of [digest, ...instances]) await pusher.sig(d, buildSigManifest([`{"digest":"${d}","identity":"tag"}`, `{"digest":"${d}","identity":"digest"}`]));
      }
    });
  }
  const limit = pLimit(8);
  await Promise.all(jobs.map((job) => limit(job)));
}, 120_000);

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  await storeProxy?.stop();
  await store?.stop();
  await env?.stop();
});

describe('fault run: 200 nodes', () => {
  let baseline: unknown[];

  it('fetches every node with no faults', async () => {
    // No fault to time out on: a timeout long enough that a loaded machine (other test files run
    // beside this one) never turns a slow answer into a retry, which this run counts as a failure.
    const net = await network({ timeoutMs: 5000 });
    const started = Date.now();
    baseline = await fetchAll(net, `${storeProxy.url}/signatures`);
    const stats = net.stats();
    const found = baseline.filter((r) => (r as { resolution: { kind: string } }).resolution.kind === 'found').length;
    console.log(`fault-free run: ${NODES} nodes (${found} found) in ${Date.now() - started} ms, ${stats.requests} requests, ${stats.retries} retries, ${stats.tokenRequests} token request(s)`);
    expect(stats.retries).toBe(0);
    expect(found).toBe(NODES - 8);
    expect(baseline.filter((r) => JSON.stringify(r).includes('"error"'))).toHaveLength(0);
    // The data set has every shape: absent tags, signed and unsigned, stores with 0, 1 and 2 signatures.
    const text = JSON.stringify(baseline);
    expect(text).toContain('"absent"');
    expect(text).toContain('"not-found"');
    expect(stats.tokenRequests).toBe(1);
  }, 60_000);

  it('fetches exactly the same with 20% of all requests broken, spending retries', async () => {
    env.proxy.resetCounts();
    storeProxy.resetCounts();
    env.proxy.configure({ rate: 0.2, kinds: FAULT_KINDS });
    storeProxy.configure({ rate: 0.2, kinds: FAULT_KINDS });
    const net = await network({}, 20);
    const started = Date.now();
    let faulted: unknown[];
    try {
      faulted = await fetchAll(net, `${storeProxy.url}/signatures`);
    } finally {
      env.proxy.configure({ rate: 0 });
      storeProxy.configure({ rate: 0 });
    }
    const stats = net.stats();
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, env.proxy.faults[k] + storeProxy.faults[k]]));
    const total = env.proxy.total() + storeProxy.total();
    const broken = env.proxy.faultCount() + storeProxy.faultCount();
    console.log(
      `faulted run: ${NODES} nodes in ${Date.now() - started} ms; ${total} requests reached the servers, ${broken} (${((broken / total) * 100).toFixed(1)}%) broken ${JSON.stringify(faults)}; ` +
        `retries spent: ${stats.retries}; 429s: ${stats.throttled}; token requests: ${stats.tokenRequests}; ` +
        `rate limits: ${JSON.stringify(Object.fromEntries(Object.entries(stats.hosts).map(([h, s]) => [h, s.rateLimit])))}`,
    );
    expect(faulted).toEqual(baseline);
    expect(stats.retries).toBeGreaterThanOrEqual(broken * 0.9);
    for (const kind of FAULT_KINDS) expect(faults[kind]).toBeGreaterThan(0);
    expect(broken / total).toBeGreaterThan(0.15);
  }, 60_000);

  it('answers error for every store fetch, never not-found, when every request to the store breaks', async () => {
    storeProxy.resetCounts();
    storeProxy.configure({ rate: 1, kinds: FAULT_KINDS });
    // Every request fails here, one in seven with a 429, so the adaptive limit sits at its floor the
    // whole run; a high floor keeps the test short (the limiter itself is tested in test/http).
    // The registry is not broken here: its answers must not time out on a loaded machine (stalls on the
    // store cost a second each, at 32 in parallel).
    const net = await network({ retries: 2, timeoutMs: 1000 }, 200);
    const started = Date.now();
    let results: unknown[];
    try {
      results = await fetchAll(net, `${storeProxy.url}/signatures`);
    } finally {
      storeProxy.configure({ rate: 0 });
    }
    console.log(`store down: ${NODES} nodes in ${Date.now() - started} ms; ${storeProxy.faultCount()} store requests broken, ${net.stats().retries} retries`);
    let storeFetches = 0;
    for (const [i, r] of results.entries()) {
      const base = baseline[i] as { resolution: { kind: string }; store?: unknown[]; sigstore?: unknown[] };
      const got = r as typeof base;
      expect(got.resolution).toEqual(base.resolution);
      expect(got.sigstore).toEqual(base.sigstore);
      if (base.resolution.kind !== 'found') continue;
      expect(got.store).toEqual([{ kind: 'error' }]);
      storeFetches++;
    }
    expect(storeFetches).toBe(NODES - 8);
  }, 60_000);
});
