/**
 * The decision under a node policy, over in-memory sources: how requirements combine, what is read
 * when, what the tool says it cannot evaluate, and manifest lists. The oracle comparison of the same
 * rules on a real registry is test/differential/policy.test.ts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import type { FetchResult } from '../../src/model/sources.ts';
import { isSigcheckError } from '../../src/model/errors.ts';
import { checkPolicy } from '../../src/policy/check.ts';
import type { PolicySources } from '../../src/policy/signatures.ts';
import { loadPolicyTrust } from '../../src/policy/trust.ts';
import { toRepositoryReference } from '../../src/sigstore/reference.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import { DOCKER_MANIFEST, MemorySigstoreSource, buildSigArtifact, generateP256Key, signLayer } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';

const REPO = 'registry.example.com/team/app';
const D = `sha256:${'1'.repeat(64)}` as Digest;
const E = `sha256:${'2'.repeat(64)}` as Digest;
const L = `sha256:${'3'.repeat(64)}` as Digest;

class Lookaside {
  readonly files = new Map<string, Uint8Array>();
  readonly errors = new Set<string>();
  readonly calls: string[] = [];
  put(digest: string, n: number, bytes: Uint8Array): void {
    this.files.set(`https://sigs.example.com/team/app@sha256=${digest.slice(7)}/signature-${n}`, bytes);
  }
  fetch = async (url: string): Promise<FetchResult<Uint8Array>> => {
    this.calls.push(url);
    if (this.errors.has(url)) return { kind: 'error', source: url, reason: 'HTTP 503 after 5 retries' };
    const b = this.files.get(url);
    return b ? { kind: 'found', source: url, value: b } : { kind: 'not-found', source: url };
  };
}

let dir: string;
let gpg: GpgHome;
let key: GpgKey;
let keyFile: string;
const cosign = generateP256Key('unit P-256');
let pemFile: string;
let edFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-policy-eval-'));
  gpg = await GpgHome.create();
  key = await gpg.generateKey({ name: 'Eval key' });
  keyFile = join(dir, 'key.gpg');
  await writeFile(keyFile, await gpg.exportPublicKey(key.fingerprint));
  pemFile = join(dir, 'cosign.pub');
  await writeFile(pemFile, cosign.publicPem);
  edFile = join(dir, 'ed.pub');
  await writeFile(edFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
}, 60_000);
afterAll(async () => {
  await gpg?.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function setup(policy: unknown, registriesD = 'docker:\n  registry.example.com:\n    lookaside: https://sigs.example.com\n    use-sigstore-attachments: true\n') {
  const d = join(dir, `case-${++n}`);
  await mkdir(join(d, 'registries.d'), { recursive: true });
  await writeFile(join(d, 'policy.json'), JSON.stringify(policy));
  await writeFile(join(d, 'registries.d', 'a.yaml'), registriesD);
  const trust = await loadPolicyTrust({ policyJson: join(d, 'policy.json'), registriesD: join(d, 'registries.d') });
  const lookaside = new Lookaside();
  const sigstore = new MemorySigstoreSource(REPO);
  const sources: PolicySources = { fetchLookaside: lookaside.fetch, sigstore };
  const check = (image: { digest: Digest; instances?: { digest: Digest; arch?: string }[] }) => checkPolicy(image, { trust, sources, identityRepo: REPO, physicalRepo: REPO });
  return { trust, lookaside, sigstore, check };
}

const scoped = (reqs: unknown[], def: unknown[] = [{ type: 'reject' }]) => ({ default: def, transports: { docker: { [REPO]: reqs } } });
const signedBy = () => ({ type: 'signedBy', keyType: 'GPGKeys', keyPath: keyFile });
const sigstoreSigned = () => ({ type: 'sigstoreSigned', keyPath: pemFile });
const cosignSig = (digest: Digest) => buildSigArtifact([signLayer({ key: cosign, identity: `${REPO}@${digest}`, digest })]);

describe('evaluatePolicy: requirements, in order, all must pass', () => {
  it('insecureAcceptAnything alone allows without reading any signature', async () => {
    const s = await setup(scoped([{ type: 'insecureAcceptAnything' }]));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('verified');
    expect(r.reason).toMatch(/without checking any signature/);
    expect([...s.lookaside.calls, ...s.sigstore.calls]).toEqual([]);
  });

  it('reject first: refused, and nothing is read', async () => {
    const s = await setup(scoped([{ type: 'reject' }, signedBy()]));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('invalid');
    expect([...s.lookaside.calls, ...s.sigstore.calls]).toEqual([]);
  });

  it('signedBy: a gpg signature in the lookaside passes; none is missing', async () => {
    const s = await setup(scoped([signedBy()]));
    expect((await s.check({ digest: D })).outcome).toBe('missing');
    s.lookaside.put(D, 1, await gpg.sign(simpleSigningPayload({ digest: D, reference: `${REPO}:v1` }), { key: key.fingerprint }));
    const r = await s.check({ digest: D });
    expect(r).toMatchObject({ outcome: 'verified', identity: `${REPO}:v1` });
    expect(r.source).toMatch(/signature-1$/);
  });

  it('a weak hash is refused and the reason says the cluster would accept it', async () => {
    const s = await setup(scoped([signedBy()]));
    s.lookaside.put(D, 1, await gpg.sign(simpleSigningPayload({ digest: D, reference: `${REPO}:v1` }), { key: key.fingerprint, digest: 'SHA1' }));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('invalid');
    expect(r.attempts?.[0]?.reason).toMatch(/^WEAK_HASH: .*containers\/image would accept it/);
  });

  it('a transport failure is error, unless a later requirement refuses anyway', async () => {
    const s = await setup(scoped([signedBy()]));
    s.lookaside.errors.add(`https://sigs.example.com/team/app@sha256=${D.slice(7)}/signature-1`);
    expect((await s.check({ digest: D })).outcome).toBe('error');
    const t = await setup(scoped([signedBy(), { type: 'reject' }]));
    t.lookaside.errors.add(`https://sigs.example.com/team/app@sha256=${D.slice(7)}/signature-1`);
    expect((await t.check({ digest: D })).outcome).toBe('invalid');
  });

  it('a lookaside failure fails sigstoreSigned too (containers/image reads all signatures at once)', async () => {
    const s = await setup(scoped([sigstoreSigned()]));
    s.sigstore.putSig(D, cosignSig(D));
    expect((await s.check({ digest: D })).outcome).toBe('verified');
    s.lookaside.put(D, 1, new TextEncoder().encode('<html>'));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('invalid');
    expect(r.reason).toMatch(/cannot be read: unrecognized signature format/);
  });

  it('a .sig with Docker media types is refused for good, not retried', async () => {
    const s = await setup(scoped([sigstoreSigned()]));
    const sig = buildSigArtifact([signLayer({ key: cosign, identity: `${REPO}@${D}`, digest: D })], { dockerMediaTypes: true });
    s.sigstore.putSig(D, sig);
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('invalid');
    expect(sig.mediaType).toBe(DOCKER_MANIFEST);
    expect(r.reason).toMatch(/unexpected MIME type for sigstore attachment manifest/);
  });

  it('without use-sigstore-attachments the .sig tag is not read, and the reason says so', async () => {
    const s = await setup(scoped([sigstoreSigned()]), 'docker:\n  registry.example.com:\n    lookaside: https://sigs.example.com\n');
    s.sigstore.putSig(D, cosignSig(D));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('missing');
    expect(r.reason).toMatch(/does not enable use-sigstore-attachments/);
    expect(s.sigstore.calls).toEqual([]);
  });
});

describe('what the tool cannot evaluate is said so, never verified', () => {
  const fulcio = { type: 'sigstoreSigned', fulcio: { caPath: '/nonexistent/ca.pem', oidcIssuer: 'https://issuer.example.com', subjectEmail: 'a@example.com' }, rekorPublicKeyPath: '/nonexistent/rekor.pub' };
  it('Fulcio (keyless): UNSUPPORTED, outcome error', async () => {
    const s = await setup(scoped([fulcio]));
    s.sigstore.putSig(D, cosignSig(D));
    const r = await s.check({ digest: D });
    expect(r.outcome).toBe('error');
    expect(r.reason).toMatch(/^UNSUPPORTED: .*Fulcio \(keyless\)/);
  });
  it('PKI, and an Ed25519 key: UNSUPPORTED', async () => {
    const pki = await setup(scoped([{ type: 'sigstoreSigned', pki: { caRootsPath: '/nonexistent', subjectEmail: 'a@example.com' } }]));
    pki.sigstore.putSig(D, cosignSig(D));
    expect((await pki.check({ digest: D })).reason).toMatch(/^UNSUPPORTED: .*PKI/);
    const ed = await setup(scoped([{ type: 'sigstoreSigned', keyPath: edFile }]));
    ed.sigstore.putSig(D, cosignSig(D));
    expect((await ed.check({ digest: D })).reason).toMatch(/^UNSUPPORTED: .*Ed25519/);
  });
  it('a requirement that refuses still decides: invalid', async () => {
    const s = await setup(scoped([fulcio, { type: 'reject' }]));
    s.sigstore.putSig(D, cosignSig(D));
    expect((await s.check({ digest: D })).outcome).toBe('invalid');
  });
  it('no signature at all is missing, whatever the root of trust', async () => {
    const s = await setup(scoped([fulcio]));
    expect((await s.check({ digest: D })).outcome).toBe('missing');
  });
});

describe('manifest lists: every instance is pulled under the list reference', () => {
  it('needs every instance allowed; the list\'s own decision is only reported', async () => {
    const s = await setup(scoped([sigstoreSigned()]));
    const image = { digest: L, instances: [{ digest: D, arch: 'amd64' }, { digest: E, arch: 'arm64' }] };
    s.sigstore.putSig(D, buildSigArtifact([signLayer({ key: cosign, identity: `${REPO}@${L}`, digest: D })]));
    const one = await s.check(image);
    expect(one.outcome).toBe('missing');
    expect(one.instances?.map((i) => [i.arch, i.outcome])).toEqual([['amd64', 'verified'], ['arm64', 'missing']]);
    s.sigstore.putSig(E, buildSigArtifact([signLayer({ key: cosign, identity: `${REPO}:4.99-multi`, digest: E })]));
    const both = await s.check(image);
    expect(both.outcome).toBe('verified');
    expect(both.reason).toMatch(/manifest list's own decision \(not required\): missing/);
  });
});

describe('key material is loaded for the scopes used', () => {
  it('a missing key file of another scope does not matter; of the release scope it is a POLICY_JSON error naming the JSON path', async () => {
    const policy = { default: [{ type: 'reject' }], transports: { docker: { [REPO]: [sigstoreSigned()], 'quay.io': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: join(dir, 'absent.gpg') }] } } };
    const s = await setup(policy);
    await s.trust.prepare(toRepositoryReference(REPO, 'repo'));
    s.sigstore.putSig(D, cosignSig(D));
    expect((await s.check({ digest: D })).outcome).toBe('verified');
    let err: unknown;
    try {
      await s.trust.prepare(toRepositoryReference('quay.io/x/y', 'repo'));
    } catch (e) {
      err = e;
    }
    expect(isSigcheckError(err, 'POLICY_JSON') && err.jsonPath).toBe('transports.docker["quay.io"][0].keyPath');
  });

  it('a Rekor key that is not ECDSA is a configuration error', async () => {
    const s = await setup(scoped([{ type: 'sigstoreSigned', keyPath: pemFile, rekorPublicKeyPath: keyFile }]));
    await expect(s.trust.prepare(toRepositoryReference(REPO, 'repo'))).rejects.toMatchObject({ code: 'POLICY_JSON', jsonPath: 'transports.docker["registry.example.com/team/app"][0].rekorPublicKeyPath' });
  });
});

describe('PolicyTrust.sigstoreTrust: the policy as the Sigstore check\'s trust, where that is exact', () => {
  const attachmentsOnly = 'docker:\n  registry.example.com:\n    use-sigstore-attachments: true\n';
  const repo = toRepositoryReference(REPO, 'repo');
  it('an all-sigstoreSigned scope with attachments and no lookaside: the same verdicts as checkPolicy', async () => {
    const s = await setup(scoped([sigstoreSigned()]), attachmentsOnly);
    const trust = await s.trust.sigstoreTrust(repo, repo);
    expect(trust?.requirements.map((r) => r.keys.map((k) => k.fingerprint))).toEqual([[cosign.trusted.fingerprint]]);
    for (const digest of [D, E]) {
      if (digest === D) s.sigstore.putSig(D, cosignSig(D));
      const viaAdapter = await checkSigstore({ digest }, { source: s.sigstore, trust: trust!, identityRepo: REPO });
      expect(viaAdapter.outcome).toBe((await s.check({ digest })).outcome);
    }
  });
  it('undefined where the Sigstore check would decide otherwise: a lookaside, attachments off, signedBy', async () => {
    expect(await (await setup(scoped([sigstoreSigned()]))).trust.sigstoreTrust(repo, repo)).toBeUndefined();
    expect(await (await setup(scoped([sigstoreSigned()]), 'docker: {}\n')).trust.sigstoreTrust(repo, repo)).toBeUndefined();
    expect(await (await setup(scoped([signedBy()]), attachmentsOnly)).trust.sigstoreTrust(repo, repo)).toBeUndefined();
  });
});
