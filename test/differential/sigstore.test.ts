/**
 * Differential test of the Sigstore check against CRI-O's own code (`oracle sigstore`: containers/image
 * signature.PolicyContext.IsRunningImageAllowed under a sigstoreSigned policy), over the real
 * docker-registry the tests start on 127.0.0.1. Each case is an image and its `.sig` tag pushed with
 * the cosign harness; the oracle pulls through registries.conf (the release repository mapped to the
 * local registry, or to a proxy that serves altered blobs), the tool checks with its registry client.
 * Two kinds of case are decided by the contract, not the oracle, as the oracle's README documents it
 * cannot judge them: raw IEEE P1363 ECDSA (old sigstore rejects, current accepts) and a layer blob
 * that does not hash to its descriptor (old containers/image does not check).
 */
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import { RegistrySigstoreSource } from '../../src/sigstore/fetch.ts';
import { toTrustedKey, type TrustedKey } from '../../src/sigstore/keys.ts';
import type { SigstoreTrust } from '../../src/sigstore/policy.ts';
import { buildSigArtifact, cosignPayload, pushSig, SIGNATURE_ANNOTATION, SIMPLE_SIGNING, type SigLayer } from '../harness/cosign.ts';
import { buildImage, HttpPusher, sha256, type Digest } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { compare, expectNoDisagreement, HAVE_ORACLE, ORACLE, runOracle, SEED, seeded, summaryLine, type CaseResult } from './oracle.ts';

const LOGICAL = 'quay.io/openshift-release-dev/ocp-release';
const REPO = 'openshift-release-dev/ocp-release';

interface Key {
  name: string;
  kind: 'rsa' | 'ecdsa' | 'ed25519';
  privateKey: KeyObject;
  pem: string;
  trusted: TrustedKey;
  file: string;
}

interface Case {
  cls: string;
  name: string;
  key: Key;
  /** Layers of the `.sig`, made once the image digest is known. */
  layers: (digest: Digest) => SigLayer[];
  mediaType?: string;
  /** Blobs the proxy serves instead of the registry's, by digest. */
  tamper?: (digest: Digest, layers: SigLayer[]) => Map<string, Uint8Array>;
  contractOverOracle?: { toolAccepts: boolean; why: string };
}

let dir: string;
let registry: RegistryHarness;
let proxy: TestServer;
let http: HttpClient;
let client: RegistryClient;
const tampered = new Map<string, Uint8Array>();
const keys = new Map<string, Key>();
const results: CaseResult[] = [];
const cases = new Map<string, Case[]>();
let seq = 0;

function makeKey(name: string, kind: Key['kind'], pair: { privateKey: KeyObject; publicKey: KeyObject }): Key {
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { name, kind, privateKey: pair.privateKey, pem, trusted: toTrustedKey(pem, name), file: join(dir, `${name}.pub`) };
}

function signWith(key: Key, payload: Uint8Array, encoding: 'der' | 'ieee-p1363' = 'der'): string {
  if (key.kind === 'ed25519') return cryptoSign(null, payload, key.privateKey).toString('base64');
  if (key.kind === 'ecdsa') return cryptoSign('sha256', payload, { key: key.privateKey, dsaEncoding: encoding }).toString('base64');
  return cryptoSign('sha256', payload, key.privateKey).toString('base64');
}

function layer(key: Key, payload: Uint8Array, signature?: string, extra: Record<string, string> = {}): SigLayer {
  return { mediaType: SIMPLE_SIGNING, blob: payload, annotations: { ...extra, [SIGNATURE_ANNOTATION]: signature ?? signWith(key, payload) } };
}

function add(cls: string, c: Omit<Case, 'cls'>): void {
  const list = cases.get(cls) ?? [];
  list.push({ cls, ...c });
  cases.set(cls, list);
}

const enc = (s: string) => new TextEncoder().encode(s);
const crit = (identity: string, digest: string) => `{"identity":{"docker-reference":${JSON.stringify(identity)}},"image":{"docker-manifest-digest":${JSON.stringify(digest)}},"type":"cosign container image signature"}`;

async function writeOracleConfig(key: Key, location: string, name: string): Promise<{ policy: string; regd: string; conf: string }> {
  const base = join(dir, name);
  await mkdir(join(base, 'registries.d'), { recursive: true });
  const policy = join(base, 'policy.json');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { [LOGICAL]: [{ type: 'sigstoreSigned', keyPath: key.file, signedIdentity: { type: 'matchRepoDigestOrExact' } }] } } }));
  // registries.d is consulted for the physical (rewritten) reference, so the default section is the one that applies.
  await writeFile(join(base, 'registries.d', 'sigstore.yaml'), 'default-docker:\n  use-sigstore-attachments: true\n');
  const conf = join(base, 'registries.conf');
  await writeFile(conf, `unqualified-search-registries = []\n[[registry]]\nprefix = "${LOGICAL}"\nlocation = "${location}/${REPO}"\ninsecure = true\n`);
  return { policy, regd: join(base, 'registries.d'), conf };
}

function buildCorpus(): void {
  const rsa = keys.get('rsa')!;
  const p256 = keys.get('p256')!;
  const other = keys.get('other')!;
  const byDigest = (d: Digest) => `${LOGICAL}@${d}`;
  const good = (key: Key) => (d: Digest) => [layer(key, cosignPayload(byDigest(d), d))];

  // keys and signature schemes
  for (const name of ['rsa', 'p256', 'p384', 'p521', 'ed25519']) add('keys', { name: `${name} key, digest identity`, key: keys.get(name)!, layers: good(keys.get(name)!) });
  add('keys', { name: 'tag identity', key: rsa, layers: (d) => [layer(rsa, cosignPayload(`${LOGICAL}:4.99.7-x86_64`, d))] });
  add('keys', { name: 'signed by another key', key: rsa, layers: good(other) });
  add('keys', { name: 'RSA-PSS signature', key: rsa, layers: (d) => {
    const p = cosignPayload(byDigest(d), d);
    return [layer(rsa, p, cryptoSign('sha256', p, { key: rsa.privateKey, padding: 6, saltLength: 32 }).toString('base64'))];
  } });
  for (const name of ['p256', 'p384']) {
    add('keys', {
      name: `${name} raw IEEE P1363 signature`,
      key: keys.get(name)!,
      layers: (d) => {
        const p = cosignPayload(byDigest(d), d);
        return [layer(keys.get(name)!, p, signWith(keys.get(name)!, p, 'ieee-p1363'))];
      },
      contractOverOracle: { toolAccepts: true, why: 'sigstore 1.4.2 in the oracle rejects raw P1363 ECDSA; current sigstore/sigstore pkg/signature/ecdsa.go accepts it, and the contract follows current code' },
    });
  }
  add('keys', { name: 'signature not base64', key: rsa, layers: (d) => [layer(rsa, cosignPayload(byDigest(d), d), '%%%')] });
  add('keys', { name: 'signature of another payload', key: rsa, layers: (d) => [layer(rsa, cosignPayload(byDigest(d), d), signWith(rsa, enc('x')))] });

  // payloads
  const payloads: [string, (d: Digest) => string | Uint8Array][] = [
    ['optional null', (d) => `{"critical":${crit(byDigest(d), d)},"optional":null}`],
    ['optional empty', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{}}`],
    ['creator and timestamp', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"creator":"cosign","timestamp":1700000000}}`],
    ['creator null', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"creator":null}}`],
    ['timestamp null', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"timestamp":null}}`],
    ['timestamp 1e3', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"timestamp":1e3}}`],
    ['timestamp 1.5', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"timestamp":1.5}}`],
    ['timestamp as string', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"timestamp":"1"}}`],
    ['creator as number', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"creator":5}}`],
    ['unknown optional key', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"x":[1,{"y":null}]}}`],
    ['invalid UTF-8 in optional.creator', (d) => Buffer.concat([enc(`{"critical":${crit(byDigest(d), d)},"optional":{"creator":"a`), Buffer.from([0xff, 0xfe]), enc('b"}}')])],
    ['invalid UTF-8 in an unknown optional value', (d) => Buffer.concat([enc(`{"critical":${crit(byDigest(d), d)},"optional":{"note":"`), Buffer.from([0xc3]), enc('"}}')])],
    ['invalid UTF-8 outside a string', (d) => Buffer.concat([enc(`{"critical":${crit(byDigest(d), d)},"optional":null}`), Buffer.from([0xff])])],
    ['duplicate top-level key', (d) => `{"critical":${crit(byDigest(d), d)},"critical":${crit(byDigest(d), d)},"optional":null}`],
    ['duplicate optional key', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"creator":"a","creator":"b"}}`],
    ['duplicate key inside an unknown optional value', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"x":{"a":1,"a":2}}}`],
    ['key in upper case', (d) => `{"Critical":${crit(byDigest(d), d)},"optional":null}`],
    ['optional missing', (d) => `{"critical":${crit(byDigest(d), d)}}`],
    ['extra top-level key', (d) => `{"critical":${crit(byDigest(d), d)},"optional":null,"x":1}`],
    ['extra critical key', (d) => `{"critical":${crit(byDigest(d), d).replace('{"identity"', '{"x":1,"identity"')},"optional":null}`],
    ['trailing data', (d) => `{"critical":${crit(byDigest(d), d)},"optional":null}x`],
    ['trailing whitespace', (d) => `{"critical":${crit(byDigest(d), d)},"optional":null}\n\t `],
    ['leading whitespace', (d) => ` \n{"critical":${crit(byDigest(d), d)},"optional":null}`],
    ['byte-order mark', (d) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc(`{"critical":${crit(byDigest(d), d)},"optional":null}`)])],
    ['wrong type', (d) => `{"critical":${crit(byDigest(d), d).replace('cosign container image signature', 'atomic container signature')},"optional":null}`],
    ['digest of another image', (d) => `{"critical":${crit(byDigest(d), `sha256:${'1'.repeat(64)}`)},"optional":null}`],
    ['invalid digest', (d) => `{"critical":${crit(byDigest(d), 'sha256:xyz')},"optional":null}`],
    ['digest null', (d) => `{"critical":${crit(byDigest(d), d).replace(JSON.stringify(d), 'null')},"optional":null}`],
    ['name-only identity', (d) => `{"critical":${crit(LOGICAL, d)},"optional":null}`],
    ['identity in another repository', (d) => `{"critical":${crit(`quay.io/evil/ocp-release@${d}`, d)},"optional":null}`],
    ['identity with another digest', (d) => `{"critical":${crit(`${LOGICAL}@sha256:${'2'.repeat(64)}`, d)},"optional":null}`],
    ['identity with another tag', (d) => `{"critical":${crit(`${LOGICAL}:4.1.0`, d)},"optional":null}`],
    ['identity null', (d) => `{"critical":${crit(byDigest(d), d).replace(JSON.stringify(byDigest(d)), 'null')},"optional":null}`],
    ['deeply nested optional value', (d) => `{"critical":${crit(byDigest(d), d)},"optional":{"x":${'['.repeat(500)}${']'.repeat(500)}}}`],
  ];
  for (const [name, make] of payloads) {
    add('payload', { name, key: rsa, layers: (d) => { const p = make(d); return [layer(rsa, typeof p === 'string' ? enc(p) : p)]; } });
  }

  // manifests and layers
  add('manifest', { name: 'Docker media types', key: rsa, layers: good(rsa), mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
  add('manifest', { name: 'an attestation layer beside the signature', key: rsa, layers: (d) => [{ mediaType: 'application/vnd.dev.cosign.attestation.v1+json', blob: enc('{}'), annotations: {} }, ...good(rsa)(d)] });
  add('manifest', { name: 'no signature layer', key: rsa, layers: () => [{ mediaType: 'text/plain', blob: enc('hello'), annotations: {} }] });
  add('manifest', { name: 'a bad layer then a good one', key: rsa, layers: (d) => [...good(other)(d), ...good(rsa)(d)] });
  add('manifest', { name: 'a good layer then a bad one', key: rsa, layers: (d) => [...good(rsa)(d), ...good(other)(d)] });
  add('manifest', { name: 'missing signature annotation', key: rsa, layers: (d) => [{ mediaType: SIMPLE_SIGNING, blob: cosignPayload(byDigest(d), d), annotations: {} }] });
  add('manifest', { name: 'the same good layer twice', key: rsa, layers: (d) => [...good(rsa)(d), ...good(rsa)(d)] });
  add('manifest', { name: 'good ECDSA layer, RSA key trusted', key: rsa, layers: good(p256) });

  // blobs
  add('blobs', { name: 'a non-signature layer over 4 MiB beside a good signature', key: rsa, layers: (d) => [...good(rsa)(d), { mediaType: 'application/octet-stream', blob: new Uint8Array(4 * 1024 * 1024 + 1).fill(1), annotations: {} }] });
  add('blobs', { name: 'a signature layer blob of exactly 4 MiB', key: rsa, layers: (d) => {
    const p = Buffer.concat([cosignPayload(byDigest(d), d), Buffer.alloc(4 * 1024 * 1024 - cosignPayload(byDigest(d), d).length, 0x20)]);
    return [layer(rsa, p)];
  } });
  add('blobs', { name: 'a blob served altered (garbage for a good layer)', key: rsa, layers: good(rsa), tamper: (_d, layers) => new Map([[sha256(layers[0]!.blob), enc('garbage')]]) });
  add('blobs', {
    name: 'a valid signed payload served for another blob\'s descriptor',
    key: rsa,
    layers: (d) => {
      const real = cosignPayload(byDigest(d), d);
      const decoy = enc(`decoy ${d}`);
      return [{ ...layer(rsa, real), blob: decoy }];
    },
    tamper: (d) => new Map([[sha256(enc(`decoy ${d}`)), cosignPayload(`${LOGICAL}@${d}`, d)]]),
    contractOverOracle: { toolAccepts: false, why: 'containers/image 5.23.1 in the oracle does not hash-check .sig layer blobs; current containers/image does, and the contract requires it' },
  });

  // random mutations of the payload, signed after the mutation (the parser is what is tested)
  const rand = seeded(SEED + 1);
  for (let i = 0; i < 40; i++) {
    const at = rand();
    const value = Math.floor(rand() * 256);
    const mode = Math.floor(rand() * 3);
    add('random', {
      name: `payload byte ${mode === 0 ? 'replaced' : mode === 1 ? 'deleted' : 'inserted'} at ${(at * 100).toFixed(1)}% (0x${value.toString(16)})`,
      key: rsa,
      layers: (d) => {
        const p = Buffer.from(cosignPayload(byDigest(d), d, i % 2 ? { creator: 'x' } : null));
        const pos = Math.floor(at * p.length);
        const mutated = mode === 0 ? Buffer.concat([p.subarray(0, pos), Buffer.from([value]), p.subarray(pos + 1)]) : mode === 1 ? Buffer.concat([p.subarray(0, pos), p.subarray(pos + 1)]) : Buffer.concat([p.subarray(0, pos), Buffer.from([value]), p.subarray(pos)]);
        return [layer(rsa, mutated)];
      },
    });
  }
}

beforeAll(async () => {
  if (!HAVE_ORACLE) return;
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-diff-sigstore-'));
  keys.set('rsa', makeKey('rsa', 'rsa', generateKeyPairSync('rsa', { modulusLength: 2048 })));
  keys.set('other', makeKey('other', 'rsa', generateKeyPairSync('rsa', { modulusLength: 2048 })));
  for (const [name, curve] of [['p256', 'P-256'], ['p384', 'P-384'], ['p521', 'P-521']] as const) keys.set(name, makeKey(name, 'ecdsa', generateKeyPairSync('ec', { namedCurve: curve })));
  keys.set('ed25519', makeKey('ed25519', 'ed25519', generateKeyPairSync('ed25519')));
  for (const k of keys.values()) await writeFile(k.file, k.pem);
  registry = await startRegistry();
  // Serves the registry, except the blobs a case alters.
  proxy = await startServer(async (req, res) => {
    const m = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    const altered = m ? tampered.get(m[1]!) : undefined;
    if (altered) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': altered.byteLength, 'docker-content-digest': m![1]! });
      res.end(req.method === 'HEAD' ? undefined : altered);
      return;
    }
    const upstream = await fetch(`${registry.url}${req.url}`, { method: req.method, headers: { accept: String(req.headers.accept ?? '*/*') } });
    const body = Buffer.from(await upstream.arrayBuffer());
    const headers: Record<string, string> = {};
    upstream.headers.forEach((v, k) => { if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) headers[k] = v; });
    res.writeHead(upstream.status, { ...headers, 'content-length': body.byteLength });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  http = new HttpClient({ retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 20_000 });
  client = new RegistryClient(http, new RegistryAuth(http, CredentialStore.empty()));
  buildCorpus();
}, 120_000);

afterAll(async () => {
  if (HAVE_ORACLE && results.length > 0) console.log(summaryLine('Sigstore (oracle sigstore, docker-registry)', results));
  await http?.close();
  await proxy?.stop();
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runCase(c: Case): Promise<CaseResult> {
  const pusher = new HttpPusher(registry.url, REPO);
  const image = buildImage({ arch: 'amd64', seed: `diff-${SEED}-${seq++}` });
  const digest = await pusher.image(image);
  const layers = c.layers(digest);
  const artifact = buildSigArtifact(layers, c.mediaType ? { dockerMediaTypes: true } : {});
  await pushSig(registry.url, REPO, digest, artifact);
  const alter = c.tamper?.(digest, layers) ?? new Map<string, Uint8Array>();
  for (const [d, bytes] of alter) tampered.set(d, bytes);
  const viaProxy = alter.size > 0;
  const host = viaProxy ? proxy.host : registry.host;
  const config = await writeOracleConfig(c.key, host, `${c.key.name}-${viaProxy ? 'proxy' : 'direct'}`);
  const trust: SigstoreTrust = { releaseRepo: LOGICAL, requirements: [{ origin: 'differential policy', scope: LOGICAL, keys: [c.key.trusted], identity: { type: 'matchRepoDigestOrExact' } }] };
  const [oracle, result] = await Promise.all([
    runOracle(['sigstore', '--policy', config.policy, '--registries-d', config.regd, '--registries-conf', config.conf, '--ref', `docker://${LOGICAL}@${digest}`]),
    checkSigstore({ digest }, { source: new RegistrySigstoreSource(client, parseRepository(`http://${host}/${REPO}`)), trust, identityRepo: LOGICAL }),
  ]);
  const deliberate = result.outcome === 'invalid' && (result.attempts ?? []).some((a) => a.deliberate === true);
  const tool = { accept: result.outcome === 'verified', code: result.outcome, reason: result.reason, deliberate };
  return { cls: c.cls, name: c.name, oracle, tool, ...compare(oracle, tool, c.contractOverOracle) };
}

const CLASSES = ['keys', 'payload', 'manifest', 'blobs', 'random'];

if (!HAVE_ORACLE) {
  console.log(`differential Sigstore suite skipped: the oracle ${ORACLE} is absent (it ships beside the project in its workplace, not in a clone)`);
}

describe.skipIf(!HAVE_ORACLE)(`Sigstore verdicts equal CRI-O's (oracle sigstore over docker-registry), seed ${SEED}`, () => {
  it.each(CLASSES)('class %s: every case agrees with the oracle, is a deliberate refusal, or is one the oracle cannot judge', async (cls) => {
    const list = cases.get(cls) ?? [];
    expect(list.length).toBeGreaterThan(0);
    const batch: CaseResult[] = [];
    for (const c of list) batch.push(await runCase(c));
    results.push(...batch);
    expectNoDisagreement(batch);
  }, 300_000);
});


