/**
 * The world the node-policy differential suite runs in: a real docker-registry on loopback holding
 * the images and their `.sig` tags, a loopback HTTP lookaside, GnuPG-made OpenPGP keys and
 * signatures, PEM keys for cosign-style signatures, and a registries.conf that maps the logical
 * names policies speak of (registry.example.com/..., sub.mirror.example.org/...) to the registry, so
 * the oracle pulls `docker://<logical>@D` from `127.0.0.1:<port>/<physical>` exactly as CRI-O pulls
 * from a mirror, and the tool reads the same physical repository with the logical one as identity.
 */
import { createHash, sign as cryptoSign } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { toNetworkConfig } from '../../src/options/registry.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { canonicalJson } from '../../src/sigstore/rekor.ts';
import { parseStrictJson } from '../../src/json/strict.ts';
import { GpgHome, type GpgKey } from '../harness/gpg.ts';
import { buildSigArtifact, generateP256Key, generateRsaKey, pushSig, signLayer, type SigLayer, type TestKey } from '../harness/cosign.ts';
import { HttpPusher, buildImage, type BuiltImage } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';

/** Logical repositories (what policies and identities name) and where each lives in the registry. */
export const LOGICAL = {
  app: 'registry.example.com/team/app',
  other: 'registry.example.com/team/other',
  solo: 'registry.example.com/solo',
  sub: 'sub.mirror.example.org/ns/img',
} as const;
export type RepoKey = keyof typeof LOGICAL;

export function physicalPath(logical: string): string {
  if (logical.startsWith('registry.example.com/')) return `rex/${logical.slice('registry.example.com/'.length)}`;
  if (logical.startsWith('sub.mirror.example.org/')) return `sub/${logical.slice('sub.mirror.example.org/'.length)}`;
  throw new Error(`no physical location for ${logical}`);
}

export interface PolicyWorld {
  registry: RegistryHarness;
  lookaside: TestServer & { base: string; files: Map<string, Uint8Array> };
  gpg: GpgHome;
  keys: { a: GpgKey; b: GpgKey; c: GpgKey };
  /** OpenPGP public key files (binary): a, b, c (c's signatures are made by its subkey), ab (a and b). */
  gpgFiles: { a: string; b: string; c: string; ab: string; aArmored: string };
  cosign: { rsa: TestKey; p256: TestKey; other: TestKey; rekor: TestKey };
  pemFiles: { rsa: string; p256: string; other: string; rekor: string };
  dir: string;
  registriesConf: string;
  networks: Map<string, Network>;
  /** Pushes a fresh image to the physical repository of `logical` (by digest). */
  push(logical: string, seed: string): Promise<BuiltImage>;
  /** Puts OpenPGP signatures in the lookaside for `digest` of `logical` (signature-1..N). */
  lookasidePut(logical: string, digest: string, blobs: Uint8Array[]): void;
  /** Pushes a `.sig` tag for `digest` of `logical`. */
  sigPut(logical: string, digest: string, layers: SigLayer[]): Promise<void>;
  /** A gpg-made simple-signing signature. */
  gpgSign(payload: string | Uint8Array, key: string): Promise<Uint8Array>;
  /** A cosign-style layer for `digest`, identity `identity`. */
  cosignLayer(key: TestKey, identity: string, digest: string, options?: { p1363?: boolean; rekor?: boolean; payload?: Uint8Array }): SigLayer;
  network(logical: string): Promise<Network>;
  stop(): Promise<void>;
}

/** `{"critical":...,"optional":...}` as containers/image's signer writes it (json.Marshal of maps: sorted keys). */
export function atomicPayload(digest: string, reference: string, optional: Record<string, unknown> | null = { creator: 'atomic 5.23.1', timestamp: 1700000000 }): string {
  return JSON.stringify({ critical: { identity: { 'docker-reference': reference }, image: { 'docker-manifest-digest': digest }, type: 'atomic container signature' }, optional });
}

function rekorSet(rekor: TestKey, signer: TestKey, payload: Uint8Array, signature: string): string {
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      signature: { content: signature, publicKey: { content: Buffer.from(signer.publicPem).toString('base64') } },
    },
  };
  const p = { body: Buffer.from(JSON.stringify(body)).toString('base64'), integratedTime: 1700000000, logIndex: 1, logID: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d' };
  const canonical = canonicalJson(parseStrictJson(JSON.stringify(p)));
  return JSON.stringify({ SignedEntryTimestamp: cryptoSign('sha256', Buffer.from(canonical), rekor.privateKey).toString('base64'), Payload: p });
}

export async function startPolicyWorld(): Promise<PolicyWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'sigcheck-policy-world-'));
  const registry = await startRegistry();
  const files = new Map<string, Uint8Array>();
  const server = await startServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = files.get(path);
    if (!body || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength }).end(req.method === 'HEAD' ? undefined : body);
  });
  const lookaside = Object.assign(server, { base: `${server.url}/lookaside`, files });
  const gpg = await GpgHome.create();
  const a = await gpg.generateKey({ name: 'Policy Key A', email: 'a@example.com' });
  const b = await gpg.generateKey({ name: 'Policy Key B', email: 'b@example.com' });
  const c = await gpg.generateKey({ name: 'Policy Key C', email: 'c@example.com', signingSubkey: true });
  const write = async (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    await writeFile(p, bytes);
    return p;
  };
  const pa = await gpg.exportPublicKey(a.fingerprint);
  const pb = await gpg.exportPublicKey(b.fingerprint);
  const gpgFiles = {
    a: await write('a.gpg', pa),
    b: await write('b.gpg', pb),
    c: await write('c.gpg', await gpg.exportPublicKey(c.fingerprint)),
    ab: await write('ab.gpg', Buffer.concat([pa, pb])),
    aArmored: await write('a.asc', await gpg.exportPublicKey(a.fingerprint, { armor: true })),
  };
  const cosign = { rsa: generateRsaKey('policy RSA', 2048), p256: generateP256Key('policy P-256'), other: generateP256Key('other P-256'), rekor: generateP256Key('test rekor') };
  const pemFiles = {
    rsa: await write('rsa.pub', cosign.rsa.publicPem),
    p256: await write('p256.pub', cosign.p256.publicPem),
    other: await write('other.pub', cosign.other.publicPem),
    rekor: await write('rekor.pub', cosign.rekor.publicPem),
  };
  const registriesConf = [
    'unqualified-search-registries = []',
    '[[registry]]',
    'prefix = "registry.example.com"',
    `location = "${registry.host}/rex"`,
    'insecure = true',
    '[[registry]]',
    'prefix = "sub.mirror.example.org"',
    `location = "${registry.host}/sub"`,
    'insecure = true',
    '',
  ].join('\n');
  const networks = new Map<string, Network>();
  const world: PolicyWorld = {
    registry,
    lookaside,
    gpg,
    keys: { a, b, c },
    gpgFiles,
    cosign,
    pemFiles,
    dir,
    registriesConf,
    networks,
    async push(logical, seed) {
      const img = buildImage({ arch: 'amd64', seed });
      await new HttpPusher(registry.url, physicalPath(logical)).image(img);
      return img;
    },
    lookasidePut(logical, digest, blobs) {
      blobs.forEach((b, i) => files.set(`/lookaside/${physicalPath(logical)}@sha256=${digest.slice(7)}/signature-${i + 1}`, b));
    },
    async sigPut(logical, digest, layers) {
      await pushSig(registry.url, physicalPath(logical), digest, buildSigArtifact(layers));
    },
    async gpgSign(payload, key) {
      return gpg.sign(payload, { key });
    },
    cosignLayer(key, identity, digest, options = {}) {
      const layer = signLayer({ key, identity, digest, ...(options.p1363 ? { scheme: 'p1363' as const } : {}), ...(options.payload ? { payload: options.payload } : {}) });
      if (options.rekor) {
        layer.annotations['dev.sigstore.cosign/bundle'] = rekorSet(cosign.rekor, key, layer.blob, layer.annotations['dev.cosignproject.cosign/signature']!);
      }
      return layer;
    },
    async network(logical) {
      let n = networks.get(logical);
      if (!n) {
        n = await createNetwork(toNetworkConfig({ releaseRepo: logical, mirror: `${registry.url}/${physicalPath(logical)}`, signatureStore: ['http://127.0.0.1:1/unused'], retries: '1', timeout: '10s' }), {
          credentials: CredentialStore.empty(),
          retry: { baseDelayMs: 5, maxDelayMs: 20 },
        });
        networks.set(logical, n);
      }
      return n;
    },
    async stop() {
      for (const n of networks.values()) await n.close();
      await server.stop();
      await registry.stop();
      await gpg.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await mkdir(join(dir, 'cases'), { recursive: true });
  return world;
}
