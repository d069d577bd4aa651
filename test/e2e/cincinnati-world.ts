/**
 * Releases, a signature store and a Cincinnati-like graph API on loopback, for the cross-check against
 * the graph and the update-edge trust check (src/cincinnati): Debian's docker-registry behind a fault
 * proxy (which counts every request), gpg-made OpenPGP signatures, cosign-format `.sig` tags, and
 * payloads laid out as ART builds them, each shipping its own keys ConfigMap and ClusterImagePolicy.
 *
 * Keys: OpenPGP K1 and K2 (gpg), Sigstore S1 and S2. The run trusts K1 and K2, and S1. Releases
 * (amd64), each with what it ships and what signs it:
 *   4.70.0  ships K1 only,  S1    signed K1, S1
 *   4.70.1  ships K1+K2,    S1    signed K1, S1
 *   4.70.2  ships K1+K2,    S1    signed K2 only, S1      (the key rotation: 4.70.0 -> 4.70.2 fails, 4.70.1 -> 4.70.2 passes)
 *   4.70.3  ships K1+K2,    S2    signed K1, S1
 *   4.70.4  ships K1+K2,    S1    signed K1, S1           (4.70.3 -> 4.70.4 fails under S2; 4.70.1 -> 4.70.4 passes)
 *   4.70.5  a payload over the run's download cap (unreadable)   signed K1, S1
 *   4.70.6  ships K1+K2,    S1    signed K1, S1           (4.70.5 -> 4.70.6 is error)
 *   4.70.7  ships K1+K2,    S1    signed K1, S1           (promoted in fast-4.70, not served: lag)
 *   4.70.8  ships K1+K2,    S1    signed K1, S1           (served in fast-4.70, not promoted there)
 *   4.70.9  retagged after Cincinnati scraped: the graph serves the first build, the tag holds a second
 *           (both signed K1, S1): drift
 * Channels: stable-4.70 promotes 4.70.0-4.70.6 (the graph agrees: no drift); fast-4.70 promotes 4.70.0,
 * 4.70.1, 4.70.7, 4.70.9 (the graph serves 4.70.0, 4.70.1, 4.70.8 and the old 4.70.9).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSigArtifact, clusterImagePolicyYaml, generateP256Key, generateRsaKey, pushSig, signLayer, type TestKey } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { HttpPusher, type BuiltImage } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startServer, startStore, type SignatureStore, type TestServer } from '../harness/store.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildPayload } from '../harness/payload.ts';

export const RELEASE = 'openshift-release-dev/ocp-release';
export const VERSIONS = ['4.70.0', '4.70.1', '4.70.2', '4.70.3', '4.70.4', '4.70.5', '4.70.6', '4.70.7', '4.70.8', '4.70.9'];
export const STABLE = ['4.70.0', '4.70.1', '4.70.2', '4.70.3', '4.70.4', '4.70.5', '4.70.6'];
export const FAST = ['4.70.0', '4.70.1', '4.70.7', '4.70.9'];
/** The 4.70.5 payload's manifests layer is over this cap; every other one is far under it. */
export const DOWNLOAD_CAP = '1MiB';

/** A graph as the API serves it: nodes by version, edges as [from, to] versions. */
export interface GraphSpec {
  nodes: string[];
  edges: [string, string][];
  /** Versions whose node the graph serves with this digest instead of the current one. */
  digests?: Record<string, string>;
  conditional?: [string, string][];
}

export const GRAPHS: Record<string, GraphSpec> = {
  'stable-4.70/amd64': {
    nodes: STABLE,
    edges: [['4.70.0', '4.70.1'], ['4.70.0', '4.70.2'], ['4.70.1', '4.70.2'], ['4.70.1', '4.70.4'], ['4.70.5', '4.70.6']],
    // A conditional edge is an edge too: a cluster that accepts the risk takes it.
    conditional: [['4.70.3', '4.70.4']],
  },
  'fast-4.70/amd64': {
    nodes: ['4.70.0', '4.70.1', '4.70.8', '4.70.9'],
    edges: [['4.70.0', '4.70.1'], ['4.70.1', '4.70.9'], ['4.70.8', '4.70.9']],
  },
};

export interface CincinnatiWorld {
  registry: RegistryHarness;
  proxy: FaultProxy;
  store: SignatureStore;
  cincinnati: TestServer;
  dir: string;
  graphData: string;
  releaseRepo: string;
  host: string;
  k1: GpgKey;
  k2: GpgKey;
  /** Digests by version (the current tag), and `4.70.9/scraped` (what the graph serves). */
  digests: Record<string, string>;
  /** The graph JSON served for `channel/arch`. */
  graphJson(channel: string, arch: string): string | undefined;
  args(): string[];
  stop(): Promise<void>;
}

function keysConfigMap(armored: string): string {
  const indented = armored.trim().split('\n').map((l) => `    ${l}`).join('\n');
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  annotations:',
    '    include.release.openshift.io/self-managed-high-availability: "true"',
    '    release.openshift.io/verification-config-map: ""',
    '  name: release-verification',
    '  namespace: openshift-config-managed',
    'data:',
    '  store-openshift-official-release: https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release',
    '  verifier-public-key-redhat: |',
    indented,
    '',
  ].join('\n');
}

function clusterImagePolicy(host: string, key: TestKey): string {
  return clusterImagePolicyYaml([`${host}/${RELEASE}`, `${host}/openshift-release-dev/ocp-v4.0-art-dev`], key);
}

export async function startCincinnatiWorld(): Promise<CincinnatiWorld> {
  const registry = await startRegistry();
  const proxy = await startFaultProxy({ target: registry.url, seed: 70, rate: 0 });
  const store = await startStore();
  const gpg = await GpgHome.create();
  const dir = await makeTempDir('cincinnati-e2e');
  const graphs = new Map<string, string>();
  const cincinnati = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = url.pathname === '/api/upgrades_info/graph' ? graphs.get(`${url.searchParams.get('channel')}/${url.searchParams.get('arch')}`) : undefined;
    if (body === undefined) {
      // What the real API answers for a channel it does not know: an empty graph.
      res.writeHead(url.pathname === '/api/upgrades_info/graph' ? 200 : 404, { 'content-type': 'application/json' }).end('{"version":1,"nodes":[],"edges":[],"conditionalEdges":[]}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  // One teardown for a world that started and for one that failed half-way.
  const stop = async () => {
    await cincinnati.stop();
    await proxy.stop();
    await registry.stop();
    await store.stop();
    await gpg.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const host = proxy.host;
    const k1 = await gpg.generateKey({ algo: 'rsa2048', name: 'Release Signer K1' });
    const k2 = await gpg.generateKey({ algo: 'rsa2048', name: 'Release Signer K2' });
    const armored = async (...fingerprints: string[]) => (await gpg.gpg(['--armor', '--export', ...fingerprints])).stdout.toString('utf8');
    const k1Only = await armored(k1.fingerprint);
    const both = await armored(k1.fingerprint, k2.fingerprint);
    const openpgpKeyFile = join(dir, 'k1-k2.asc');
    await writeFile(openpgpKeyFile, both);
    const s1: TestKey = generateRsaKey('release key S1', 2048);
    const s2: TestKey = generateP256Key('release key S2');
    const policyFile = join(dir, 'cluster-image-policy.yaml');
    await writeFile(policyFile, clusterImagePolicy(host, s1));

    const pusher = new HttpPusher(registry.url, RELEASE);
    const publish = async (img: BuiltImage, version: string, signers: { openpgp: GpgKey[] }) => {
      const tag = `${version}-x86_64`;
      await pusher.image(img, tag);
      let n = 1;
      for (const key of signers.openpgp) {
        const payload = simpleSigningPayload({ digest: img.digest, reference: `${host}/${RELEASE}:${tag}` });
        await store.put(img.digest, n++, await gpg.sign(new TextEncoder().encode(payload), { key: key.fingerprint }));
      }
      const layers = [signLayer({ digest: img.digest, identity: `${host}/${RELEASE}@${img.digest}`, key: s1 }), signLayer({ digest: img.digest, identity: `${host}/${RELEASE}:${tag}`, key: s1 })];
      await pushSig(registry.url, RELEASE, img.digest, buildSigArtifact(layers));
      return img.digest;
    };
    const payload = (version: string, options: { keys?: string; policy?: TestKey; filler?: number; seed?: string; previous?: string[] } = {}) =>
      buildPayload({
        version,
        arch: 'amd64',
        components: [],
        updateKeysYaml: keysConfigMap(options.keys ?? both),
        imagePolicyYaml: clusterImagePolicy(host, options.policy ?? s1),
        ...(options.filler ? { manifestsFiller: options.filler } : {}),
        ...(options.seed ? { seed: options.seed } : {}),
        ...(options.previous ? { previous: options.previous } : {}),
      });

    const digests: Record<string, string> = {};
    digests['4.70.0'] = await publish(await payload('4.70.0', { keys: k1Only }), '4.70.0', { openpgp: [k1] });
    digests['4.70.1'] = await publish(await payload('4.70.1', { previous: ['4.70.0'] }), '4.70.1', { openpgp: [k1] });
    // release-metadata `previous` is what PR scope builds edges from; 4.69.9 is in no channel of the PR.
    digests['4.70.2'] = await publish(await payload('4.70.2', { previous: ['4.69.9', '4.70.0', '4.70.1'] }), '4.70.2', { openpgp: [k2] });
    digests['4.70.3'] = await publish(await payload('4.70.3', { policy: s2 }), '4.70.3', { openpgp: [k1] });
    digests['4.70.4'] = await publish(await payload('4.70.4', { previous: ['4.70.1', '4.70.3'] }), '4.70.4', { openpgp: [k1] });
    digests['4.70.5'] = await publish(await payload('4.70.5', { filler: 2 * 1024 * 1024 }), '4.70.5', { openpgp: [k1] });
    digests['4.70.6'] = await publish(await payload('4.70.6', { previous: ['4.70.5'] }), '4.70.6', { openpgp: [k1] });
    digests['4.70.7'] = await publish(await payload('4.70.7'), '4.70.7', { openpgp: [k1] });
    digests['4.70.8'] = await publish(await payload('4.70.8'), '4.70.8', { openpgp: [k1] });
    // 4.70.9: Cincinnati scraped the first build; then the tag was moved to a second one.
    digests['4.70.9/scraped'] = await publish(await payload('4.70.9', { seed: 'first build' }), '4.70.9', { openpgp: [k1] });
    digests['4.70.9'] = await publish(await payload('4.70.9', { seed: 'second build' }), '4.70.9', { openpgp: [k1] });

    for (const [key, spec] of Object.entries(GRAPHS)) {
      const index = new Map(spec.nodes.map((v, i) => [v, i]));
      const nodes = spec.nodes.map((version) => {
        const digest = spec.digests?.[version] ?? (version === '4.70.9' ? digests['4.70.9/scraped']! : digests[version]!);
        return {
          version,
          payload: `${host}/${RELEASE}@${digest}`,
          metadata: { 'io.openshift.upgrades.graph.release.manifestref': digest, 'io.openshift.upgrades.graph.release.channels': key.split('/')[0] },
        };
      });
      const conditionalEdges = (spec.conditional ?? []).map(([from, to]) => ({ edges: [{ from, to }], risks: [{ url: 'https://example.invalid/risk', name: 'TestRisk', message: 'a known issue', matchingRules: [{ type: 'Always' }] }] }));
      graphs.set(key, JSON.stringify({ version: 1, nodes, edges: spec.edges.map(([a, b]) => [index.get(a), index.get(b)]), conditionalEdges }));
    }

    const graphData = join(dir, 'graph-data');
    await mkdir(join(graphData, 'channels'), { recursive: true });
    await writeFile(join(graphData, 'channels', 'stable-4.70.yaml'), `name: stable-4.70\nversions:\n${STABLE.map((v) => `- ${v}`).join('\n')}\n`);
    await writeFile(join(graphData, 'channels', 'fast-4.70.yaml'), `name: fast-4.70\nversions:\n${FAST.map((v) => `- ${v}`).join('\n')}\n`);
    const releaseRepo = `${proxy.url}/${RELEASE}`;
    return {
      registry,
      proxy,
      store,
      cincinnati,
      dir,
      graphData,
      releaseRepo,
      host,
      k1,
      k2,
      digests,
      graphJson: (channel, arch) => graphs.get(`${channel}/${arch}`),
      args: () => [
        '--release-repo', releaseRepo,
        '--signature-store', store.base,
        '--openpgp-key', openpgpKeyFile,
        '--image-policy', policyFile,
        '--arch', 'amd64',
        '--require', 'openpgp,sigstore',
        '--payload-max-download', DOWNLOAD_CAP,
        '--retries', '3',
        '--timeout', '5s',
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
