/**
 * What the edge check costs on real Cincinnati graphs (test/fixtures/cincinnati-graph/cincinnati-e2e/,
 * served by Cincinnati for graph-data 134475077ed4): every node of a real channel graph checked as an
 * audit checks it, its own signatures first, then the edges the graph serves into it, with the real
 * cluster-update-keys ConfigMap and ClusterImagePolicy as every source's trust. The network is counted,
 * not faked away: each request a checker makes reaches a counting source (which has no signature, so
 * every verdict is `missing`, the same for the node and its edges).
 *
 * Measured: edges judged, distinct source releases, distinct trust sets, signature evaluations, and the
 * requests the edge check adds beyond the nodes' own checks, with one trust set and with two (a key
 * rotation in the middle of the channel).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../src/model/arch.ts';
import type { ArchResolution, ResolvedImage } from '../../src/model/checkers.ts';
import type { Digest } from '../../src/model/digest.ts';
import type { EdgeIO } from '../../src/model/edges.ts';
import type { PayloadManifestFile, PayloadRead } from '../../src/model/payload.ts';
import type { FetchResult, SigstoreSource } from '../../src/model/sources.ts';
import { parseChannelFile } from '../../src/graph/channels.ts';
import { checkOpenPGP } from '../../src/openpgp/check.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import { parseCincinnatiGraph } from '../../src/cincinnati/graph.ts';
import { createEdgeChecker } from '../../src/cincinnati/edges.ts';
import { SignatureMemo } from '../../src/cincinnati/memo.ts';
import { graphEdgeSources } from '../../src/cincinnati/sources.ts';
import { parseSourceKeyrings, parseSourcePolicy } from '../../src/cincinnati/trust.ts';
import { FIXTURES } from '../helpers/paths.ts';

const E2E = join(FIXTURES, 'cincinnati-graph', 'cincinnati-e2e');
const REV = '134475077ed4eeaedf3c339f12915b9cdaf7d194';
const RELEASE_REPO = 'quay.io/openshift-release-dev/ocp-release';
const STORE = 'https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release';
const manifest = (name: string, path: string): PayloadManifestFile => {
  const text = readFileSync(join(FIXTURES, 'openpgp', name), 'utf8');
  return { path, text, sha256: String(text.length) + name };
};
const KEYS = manifest('cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml', 'release-manifests/0000_90_cluster-update-keys_configmap.yaml');
const POLICY = manifest('cluster-update-keys.manifests.rhel.0000_90_openshift-cluster-image-policy.yaml', 'release-manifests/0000_90_openshift-cluster-image-policy.yaml');
/** The same keys under another keyring name: another trust set, as after a key rotation. */
const ROTATED: PayloadManifestFile = { ...KEYS, text: KEYS.text.replace('verifier-public-key-redhat', 'verifier-public-key-redhat-2026'), sha256: 'rotated' };

interface Counted {
  store: number;
  sigstore: number;
}

/** A registry and a store that hold no signature, counting every request. */
function countingNetwork(counts: Counted) {
  const fetch = async (url: string): Promise<FetchResult<Uint8Array>> => {
    counts.store++;
    return { kind: 'not-found', source: url };
  };
  const source: SigstoreSource = {
    repository: RELEASE_REPO,
    getSignatureManifest: async (digest) => (counts.sigstore++, { kind: 'not-found', source: `${RELEASE_REPO}:${digest.replace(':', '-')}.sig` }),
    getBlob: async (digest) => (counts.sigstore++, { kind: 'not-found', source: digest }),
    getReferrers: async (digest) => (counts.sigstore++, { kind: 'not-found', source: digest }),
  };
  return { fetch, source };
}

async function audit(graphFile: string, channelName: string, arch: Arch, keysOf: (version: string) => PayloadManifestFile) {
  const graph = parseCincinnatiGraph(readFileSync(join(E2E, graphFile)), graphFile, RELEASE_REPO);
  const channel = parseChannelFile(`channels/${channelName}.yaml`, readFileSync(join(E2E, 'graph-data-134475077ed4', 'channels', `${channelName}.yaml`), 'utf8')).channel!;
  const counts: Counted = { store: 0, sigstore: 0 };
  const net = countingNetwork(counts);
  const memo = new SignatureMemo();
  const own = { fetch: memo.storeFetch(net.fetch, 'own'), source: memo.sigstoreSource(net.source, 'own') };
  const ownKeys = await parseSourceKeyrings(KEYS);
  const ownPolicy = parseSourcePolicy([POLICY], RELEASE_REPO);
  if (ownKeys.kind !== 'keyrings' || ownPolicy.kind !== 'policy') throw new Error('the fixture trust does not parse');

  const calls = { resolve: 0, payload: 0 };
  const io: EdgeIO = {
    resolve: async (version: string): Promise<ArchResolution> => {
      calls.resolve++;
      const n = graph.nodes.get(version);
      return n ? { kind: 'found', digest: n.digest, tag: `${version}-x86_64` } : { kind: 'absent', tag: `${version}-x86_64` };
    },
    payload: async (image: ResolvedImage): Promise<{ read: PayloadRead; shared: boolean }> => {
      calls.payload++;
      const version = [...graph.nodes.values()].find((n) => n.digest === image.digest)!.version;
      const contents = { digest: image.digest, manifest: image.digest, configArch: arch, layer: { index: 2, digest: image.digest }, metadata: { kind: 'cincinnati-metadata-v0', version, previous: [], next: [], metadata: {} }, updateKeys: keysOf(version), imagePolicies: [POLICY] };
      // Every source is a node of the same audit: the pipeline shares the read its own node made.
      return { read: { kind: 'read', contents }, shared: true };
    },
  };
  const checker = createEdgeChecker({
    sourcesOf: graphEdgeSources(new Map([[channelName, new Map([[arch, { kind: 'read', graph, url: 'fixture' }]])]])),
    stores: [STORE],
    fetch: memo.storeFetch(net.fetch, 'edges'),
    sigstoreSource: memo.sigstoreSource(net.source, 'edges'),
    identityRepo: RELEASE_REPO,
    concurrency: 8,
    signatureFetches: () => memo.stats.edges,
  });

  let edges = 0;
  let ownRequests = 0;
  const outcomes = new Map<string, number>();
  for (const entry of channel.entries) {
    const node = graph.nodes.get(entry.release.version);
    if (!node) continue;
    const digest = node.digest as Digest;
    const before = counts.store + counts.sigstore;
    const openpgp = await checkOpenPGP(digest, { stores: [STORE], fetch: own.fetch, keyring: ownKeys.keyrings[0]!.keyring });
    const sigstore = await checkSigstore({ digest }, { source: own.source, trust: ownPolicy.trust, identityRepo: RELEASE_REPO });
    ownRequests += counts.store + counts.sigstore - before;
    const result = await checker.check({ name: entry.release.version, version: entry.release.version, arch, digest, places: [{ file: channel.file, line: entry.line, channel: channelName }], openpgp, sigstore, skip: {} }, io);
    for (const e of result ?? []) outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1);
    edges += result?.length ?? 0;
  }
  const served = new Set([...graph.into.values()].flatMap((s) => [...s]));
  return { graph, edges, outcomes, stats: checker.stats(), calls, ownRequests, edgeRequests: counts.store + counts.sigstore - ownRequests, served };
}

describe('the edge check on real Cincinnati graphs', () => {
  it('judges every edge of stable-4.7 (amd64) once per node and trust set, at no request beyond the nodes\' own', async () => {
    const r = await audit(`${REV}_stable-4.7_amd64_v1.json`, 'stable-4.7', 'amd64', () => KEYS);
    const raw = JSON.parse(readFileSync(join(E2E, `${REV}_stable-4.7_amd64_v1.json`), 'utf8')) as { nodes: { version: string }[]; edges: [number, number][]; conditionalEdges: { edges: { from: string; to: string }[] }[] };
    // Edges into each node, plain and conditional together, each (from, to) once.
    const pairs = new Set([...raw.edges.map(([a, b]) => `${raw.nodes[a]!.version}>${raw.nodes[b]!.version}`), ...raw.conditionalEdges.flatMap((c) => c.edges.map((e) => `${e.from}>${e.to}`))]);
    expect(r.edges).toBe(pairs.size);
    expect(r.stats).toMatchObject({ nodes: 102, edges: pairs.size, sources: r.served.size, trustSets: 1, payloadsRead: 0 });
    // One OpenPGP keyring and one policy per node (not per edge), for the one trust set.
    expect(r.stats.evaluations).toBe(2 * new Set([...pairs].map((p) => p.split('>')[1])).size);
    expect(r.calls.resolve).toBe(r.served.size);
    expect(r.calls.payload).toBe(r.served.size);
    expect(r.edgeRequests).toBe(0);
    expect(r.stats.signatureFetches).toBe(0);
    expect([...r.outcomes.keys()]).toEqual(['missing']);
    console.log(
      `real stable-4.7 amd64: ${r.graph.nodes.size} nodes, ${r.graph.edges} edges + ${r.graph.conditionalEdges} conditional read; ${r.edges} edges judged from ${r.stats.sources} sources; ` +
        `1 trust set: ${r.stats.evaluations} evaluations (vs ${2 * r.edges} if judged per edge), ${r.ownRequests} signature requests by the nodes' own checks, ${r.edgeRequests} more by the edge check`,
    );
  });

  it('costs one evaluation more per node and consumer for each further trust set, and still no request', async () => {
    // A rotation halfway through 4.7: releases from 4.7.30 on ship another keyring.
    const rotated = (v: string) => (Number(v.split('.')[2]?.split('-')[0]) >= 30 ? ROTATED : KEYS);
    const one = await audit(`${REV}_stable-4.7_amd64_v1.json`, 'stable-4.7', 'amd64', () => KEYS);
    const two = await audit(`${REV}_stable-4.7_amd64_v1.json`, 'stable-4.7', 'amd64', rotated);
    expect(two.stats.trustSets).toBe(2);
    expect(two.stats.evaluations).toBeGreaterThan(one.stats.evaluations);
    // The OpenPGP part is judged again per node for the second keyring; the policy (unchanged) is not.
    expect(two.stats.evaluations).toBeLessThanOrEqual(one.stats.evaluations + one.stats.evaluations / 2);
    expect(two.edgeRequests).toBe(0);
    console.log(`real stable-4.7 amd64 with a rotation at 4.7.30: 2 trust sets, ${two.stats.evaluations} evaluations (1 trust set: ${one.stats.evaluations}), ${two.edgeRequests} requests by the edge check`);
  });

  it('reads the other real graphs the same way', async () => {
    const s390x = await audit(`${REV}_stable-4.7_s390x_v1.json`, 'stable-4.7', 's390x', () => KEYS);
    const nine = await audit(`${REV}_stable-4.9_amd64_v1.json`, 'stable-4.9', 'amd64', () => KEYS);
    expect(s390x.stats.nodes).toBe(102);
    expect(nine.stats.nodes).toBe(90);
    for (const r of [s390x, nine]) {
      expect(r.stats.trustSets).toBe(1);
      expect(r.edgeRequests).toBe(0);
    }
    console.log(`real stable-4.7 s390x: ${s390x.edges} edges judged, ${s390x.stats.evaluations} evaluations; stable-4.9 amd64: ${nine.edges} edges judged, ${nine.stats.evaluations} evaluations; 0 requests by the edge check`);
  });
});
