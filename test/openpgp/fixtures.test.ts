/**
 * The shared OpenPGP fixtures: every case of manifest.json, driven from the file, and every row of
 * the fixtures README that states a verdict, with the reason code it must be rejected for.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyOpenPGPSignature, type OpenPGPVerdict } from '../../src/openpgp/verify.ts';
import type { Digest } from '../../src/model/digest.ts';
import { loadOpenPGPKeyring } from '../../src/openpgp/keys.ts';
import { bakedKeyring, fixtureBytes, fixturePath, MANIFEST, manifestKeyring, REAL_RELEASE_SIGNATURES, RELEASE_KEY_2 } from './fixtures.ts';

const CIMAGE_DIGEST: Digest = 'sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55';

async function verifyFixture(file: string, digest: Digest, keyring: string | 'baked'): Promise<OpenPGPVerdict> {
  const ring = keyring === 'baked' ? await bakedKeyring() : await manifestKeyring(keyring);
  return verifyOpenPGPSignature(await fixtureBytes(file), digest, ring);
}

function expectRejected(verdict: OpenPGPVerdict, code: string): void {
  expect(verdict.ok ? 'verified' : `${verdict.code}: ${verdict.reason}`).toMatch(new RegExp(`^${code}: `));
}

/**
 * Expectations of the fixtures README that the oracle (the cluster-version operator's own code,
 * ../shared/oracle `oracle cvo`) contradicts; the fixtures stay unedited, the oracle's verdict wins.
 */
const ORACLE_OVERRIDES: Record<string, { expect: 'ACCEPT' | 'REJECT'; code?: string; oracle: string }> = {
  'other-signers/cincinnati-dhurta-ed25519.sha256-d93f2f4672685bf03b59d9e4dc1de13d22118865a807008fdbafe0abee7e561f.signature-3 other-signers': {
    expect: 'REJECT',
    code: 'UNUSABLE_KEY',
    // x/crypto cannot read EdDSA keys: the operator skips the key file ("public key type: 22") and rejects.
    oracle: '{"accept":false,"reason":"invalid signature"}',
  },
};

describe('manifest.json', () => {
  let run = 0;
  afterAll(() => {
    console.log(`manifest.json: ${run} of ${MANIFEST.cases.length} cases run, each gave its expected verdict`);
  });

  it('has the 50 cases the fixtures were checked with', () => {
    expect(MANIFEST.cases.length).toBe(50);
  });

  it.each(MANIFEST.cases.map((c, i) => [i + 1, c.expect, c.file, c.keyring, c] as const))('case %i: %s %s (keyring %s)', async (_n, _expect, _file, _keyring, c) => {
    const verdict = await verifyFixture(c.file, c.digest, c.keyring);
    const got = verdict.ok ? 'ACCEPT' : 'REJECT';
    const override = ORACLE_OVERRIDES[`${c.file} ${c.keyring}`];
    expect(`${got} (${verdict.ok ? verdict.signer.keyName : `${verdict.code}: ${verdict.reason}`})`).toMatch(new RegExp(`^${override?.expect ?? c.expect} ${override?.code ? `\\(${override.code}` : ''}`));
    if (verdict.ok) {
      expect(verdict.payload.digest).toBe(c.digest);
      expect(verdict.identity.length).toBeGreaterThan(0);
    } else {
      expect(verdict.reason.length).toBeGreaterThan(10);
    }
    run++;
  });
});

describe('README: genuine Red Hat release signatures (real/)', () => {
  it.each(REAL_RELEASE_SIGNATURES.map((s) => [s.identity.split(':')[1]!, s.version, s] as const))(
    '%s (v%i) verifies with the baked-in keys',
    async (_name, _version, s) => {
      const verdict = await verifyFixture(s.file, s.digest, 'baked');
      if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.reason}`);
      expect(verdict.signer.fingerprint).toBe(RELEASE_KEY_2);
      expect(verdict.signer.keyName).toBe('Red Hat release key 2 (567E347A...FD431D51)');
      expect(verdict.signatureVersion).toBe(s.version);
      expect(verdict.identity).toBe(s.identity);
      expect(verdict.hashAlgorithm).toBe('SHA-256');
      expect(verdict.compression).toBe('ZIP');
      expect(verdict.payload.creator).toBe('Red Hat OpenShift Signing Authority 0.0.1');
    },
  );

  it('the v3 signature of 2022 has the identity of another version than the digest it signs, and still verifies', async () => {
    const s = REAL_RELEASE_SIGNATURES.find((r) => r.version === 3)!;
    const verdict = await verifyFixture(s.file, s.digest, 'baked');
    expect(verdict.ok && verdict.identity.endsWith(':4.10.18-x86_64')).toBe(true);
    expect(verdict.ok && verdict.created.toISOString().slice(0, 10)).toBe('2022-06-09');
  });

  it.each(REAL_RELEASE_SIGNATURES.map((s) => [s.identity.split(':')[1]!, s] as const))('%s verifies with the graph-data key files', async (_name, s) => {
    const verdict = await verifyFixture(s.file, s.digest, 'redhat');
    expect(verdict.ok && verdict.signer.fingerprint).toBe(RELEASE_KEY_2);
  });

  it.each(REAL_RELEASE_SIGNATURES.map((s) => [s.identity.split(':')[1]!, s] as const))('%s is DIGEST_MISMATCH when checked for another digest', async (_name, s) => {
    const other = REAL_RELEASE_SIGNATURES.find((r) => r.digest !== s.digest)!.digest;
    const verdict = await verifyFixture(s.file, other, 'baked');
    expectRejected(verdict, 'DIGEST_MISMATCH');
    expect(!verdict.ok && verdict.signedDigest).toBe(s.digest);
  });

  it('rhel7 7.6 (v3, 2019) and the four aws-load-balancer-operator-bundle signatures (v3, four identities) verify', async () => {
    const files = (await readdir(fixturePath('real'))).filter((f) => f.startsWith('rhel7-') || f.startsWith('aws-load-balancer'));
    expect(files).toHaveLength(5);
    const identities = new Set<string>();
    for (const file of files) {
      const digest = `sha256:${/sha256-([0-9a-f]{64})/.exec(file)![1]}` as Digest;
      const verdict = await verifyFixture(`real/${file}`, digest, 'baked');
      if (!verdict.ok) throw new Error(`${file}: ${verdict.code}: ${verdict.reason}`);
      expect(verdict.signatureVersion).toBe(3);
      identities.add(verdict.identity);
    }
    expect(identities.size).toBe(5);
  });

  it('the OpenShift CI signature is UNTRUSTED_KEY with the Red Hat keys and verified with CI key 1 (expired since, valid when it signed)', async () => {
    const file = 'real/ocp-ci-4.0.0-0.ci-2019-04-19-181452.ci-key.sha256-edd9824f0404f1a139688017e7001370e2f3fbc088b94da84506653b473fe140.sig';
    const digest: Digest = 'sha256:edd9824f0404f1a139688017e7001370e2f3fbc088b94da84506653b473fe140';
    expectRejected(await verifyFixture(file, digest, 'baked'), 'UNTRUSTED_KEY');
    expectRejected(await verifyFixture(file, digest, 'redhat'), 'UNTRUSTED_KEY');
    const verdict = await verifyFixture(file, digest, 'openshift-ci');
    expect(verdict.ok && verdict.signer.keyName).toBe('OpenShift CI key 1 (D04761B1...B923888E)');
    expect(verdict.ok && verdict.compression).toBe('none');
  });
});

describe('README: store/', () => {
  it('the 4.16.0 signature filed under sha256:37433b71... is DIGEST_MISMATCH: it signs sha256:37173380...', async () => {
    const digest: Digest = 'sha256:37433b71c073c6cbfc8173ec7ab2d99032c8e6d6fe29de06e062d85e33e34531';
    const verdict = await verifyFixture(`store/sha256=${digest.slice(7)}/signature-1`, digest, 'baked');
    expectRejected(verdict, 'DIGEST_MISMATCH');
    expect(!verdict.ok && verdict.signedDigest).toBe('sha256:3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3');
    expect(!verdict.ok && verdict.signer?.fingerprint).toBe(RELEASE_KEY_2);
    expect(!verdict.ok && verdict.reason).toContain('filed under the wrong digest');
  });

  it('the six other store directories verify for the digest they are named after', async () => {
    const dirs = (await readdir(fixturePath('store'))).filter((d) => !d.startsWith('sha256=37433b71'));
    expect(dirs).toHaveLength(6);
    for (const dir of dirs) {
      const verdict = await verifyFixture(`store/${dir}/signature-1`, `sha256:${dir.slice('sha256='.length)}` as Digest, 'baked');
      expect(verdict.ok ? 'verified' : `${dir}: ${verdict.code}`).toBe('verified');
    }
  });
});

describe('README: signatures by untrusted keys (other-signers/)', () => {
  const rows = [
    ['cincinnati-hongkliu-rsa2048.sha256-d33abd703ea76813f8dbd9518ff46d3f95ac23f364f5b6417d9fa2593aa72a1a.signature-3', 'C21DE04A3350BF4D'],
    ['cincinnati-vrutkovs-rsa2048.sha256-3d8d70c6090d4b843f885c8a0c80d01c5fb78dd7c8d16e20929ffc32a15e2fde.signature-3', '3D54B6723B20C69F'],
    ['oc-mirror-testkey-rsa4096-sha512.sha256-2352c020dacb945a96cf665e553644f3a3c39341b636a4d9ef1653944fd9de1f.sig', 'F53FAEFBECBD6FD9'],
  ] as const;

  it.each(rows)('%s is UNTRUSTED_KEY (%s) with the Red Hat keys and verified with its own key', async (name, keyId) => {
    const file = `other-signers/${name}`;
    const digest = `sha256:${/sha256-([0-9a-f]{64})/.exec(name)![1]}` as Digest;
    for (const ring of ['baked', 'redhat'] as const) {
      const verdict = await verifyFixture(file, digest, ring);
      expectRejected(verdict, 'UNTRUSTED_KEY');
      expect(!verdict.ok && verdict.keyId).toBe(keyId);
      expect(!verdict.ok && verdict.reason).toContain(keyId);
    }
    const own = await verifyFixture(file, digest, 'other-signers');
    expect(own.ok ? own.signer.keyId : `${!own.ok && own.code}`).toBe(keyId);
  });

  it('the dhurta EdDSA signature is UNTRUSTED_KEY with the Red Hat keys and UNUSABLE_KEY with its own key: the README says ACCEPT, the oracle (the operator) rejects', async () => {
    const name = 'cincinnati-dhurta-ed25519.sha256-d93f2f4672685bf03b59d9e4dc1de13d22118865a807008fdbafe0abee7e561f.signature-3';
    const digest = 'sha256:d93f2f4672685bf03b59d9e4dc1de13d22118865a807008fdbafe0abee7e561f';
    expectRejected(await verifyFixture(`other-signers/${name}`, digest, 'baked'), 'UNTRUSTED_KEY');
    const own = await verifyFixture(`other-signers/${name}`, digest, 'other-signers');
    expectRejected(own, 'UNUSABLE_KEY');
    expect(!own.ok && own.reason).toMatch(/eddsaLegacy key, which the cluster-version operator \(x\/crypto\/openpgp\) cannot read/);
  });

  it('the hongkliu signature claims the Red Hat creator string, which grants nothing', async () => {
    const file = `other-signers/${rows[0][0]}`;
    const own = await verifyFixture(file, 'sha256:d33abd703ea76813f8dbd9518ff46d3f95ac23f364f5b6417d9fa2593aa72a1a', 'other-signers');
    expect(own.ok && own.payload.creator).toBe('Red Hat OpenShift Signing Authority 0.0.1');
  });
});

describe('README: containers/image fixtures', () => {
  const accepted = ['image.signature', 'dir-img-valid_signature-1', 'dir-img-valid-2_signature-2', 'no-optional-fields.signature', 'invalid-reference.signature', 'subkey.signature', 'subkey.signature-v3'];
  it.each(accepted)('%s verifies with the test keyring', async (file) => {
    const verdict = await verifyFixture(`containers-image/${file}`, CIMAGE_DIGEST, 'cimage');
    expect(verdict.ok ? 'verified' : `${verdict.code}: ${verdict.reason}`).toBe('verified');
  });

  it('subkey signatures name the trusted primary key and the signing subkey', async () => {
    for (const file of ['subkey.signature', 'subkey.signature-v3']) {
      const verdict = await verifyFixture(`containers-image/${file}`, CIMAGE_DIGEST, 'cimage');
      expect(verdict.ok && verdict.signer.fingerprint).toBe('B9F4CDB9FD8C475BFA340AC38D54A947EE396F36');
      expect(verdict.ok && verdict.signer.signingKeyFingerprint).toBe('57D1D95BBC53BA0EAFF0718CD75B3109B3BAAEAF');
    }
  });

  it('image.signature is UNTRUSTED_KEY when only the Red Hat keys are trusted', async () => {
    expectRejected(await verifyFixture('containers-image/image.signature', CIMAGE_DIGEST, 'baked'), 'UNTRUSTED_KEY');
  });

  const rejected = [
    // The stray byte after the ZIP stream is never read (the operator stops at the signature packet);
    // what rejects these is the altered payload under the signature.
    ['corrupt.signature', 'BAD_SIGNATURE'],
    ['corrupt.signature-v3', 'BAD_SIGNATURE'],
    ['expired.signature', 'EXPIRED'],
    ['invalid-blob.signature', 'PAYLOAD_INVALID'],
    ['invalid-blob.signature-v3', 'PAYLOAD_INVALID'],
    ['invalid-cleartext.signature', 'NOT_SIGNED_MESSAGE'],
    ['subkey-revoked.signature', 'REVOKED_KEY'],
    ['subkey-revoked.signature-v3', 'REVOKED_KEY'],
    ['unknown-key.signature', 'UNTRUSTED_KEY'],
    ['unknown-key.signature-v3', 'UNTRUSTED_KEY'],
    ['unsigned-encrypted.signature', 'NOT_SIGNED_MESSAGE'],
    ['unsigned-literal.signature', 'NOT_SIGNED_MESSAGE'],
  ] as const;
  it.each(rejected)('%s is %s', async (file, code) => {
    expectRejected(await verifyFixture(`containers-image/${file}`, CIMAGE_DIGEST, 'cimage'), code);
  });

  it('corrupt.signature(-v3) carries a stray newline after the ZIP stream; without it the altered payload is BAD_SIGNATURE', async () => {
    for (const file of ['corrupt.signature', 'corrupt.signature-v3']) {
      const bytes = await fixtureBytes(`containers-image/${file}`);
      expect(bytes[bytes.length - 1]).toBe(0x0a);
      const verdict = await verifyOpenPGPSignature(bytes.subarray(0, -1), CIMAGE_DIGEST, await manifestKeyring('cimage'));
      expectRejected(verdict, 'BAD_SIGNATURE');
    }
  });

  it('expired.signature still verifies cryptographically at a time before it expired (then fails on its non-JSON payload)', async () => {
    const verdict = await verifyOpenPGPSignature(await fixtureBytes('containers-image/expired.signature'), CIMAGE_DIGEST, await manifestKeyring('cimage'), {
      now: new Date('2025-06-24T00:00:00Z'),
    });
    expectRejected(verdict, 'PAYLOAD_INVALID');
  });
});

describe('README: containers/image fixtures before the 2025 key regeneration', () => {
  // The README expects REJECT for the first four; the oracle (the operator's own code) accepts them:
  // RSA-1024 and SHA-1 are the contract's deliberate refusals, so each carries `deliberate`.
  const rows = [
    ['image.signature', 'WEAK_KEY', true],
    ['double.signature', 'WEAK_KEY', true],
    ['no-optional-fields.signature', 'WEAK_HASH', true],
    ['invalid-reference.signature', 'WEAK_HASH', true],
    ['expired.signature', 'EXPIRED', false],
    ['invalid-blob.signature', 'PAYLOAD_INVALID', false],
    ['invalid-blob.signature-v3', 'PAYLOAD_INVALID', false],
    ['unknown-key.signature', 'UNTRUSTED_KEY', false],
    ['unknown-key.signature-v3', 'UNTRUSTED_KEY', false],
    ['corrupt.signature-v3', 'BAD_SIGNATURE', false],
    ['corrupt.signature', 'BAD_SIGNATURE', false],
    ['unsigned-literal.signature', 'NOT_SIGNED_MESSAGE', false],
    ['unsigned-encrypted.signature', 'NOT_SIGNED_MESSAGE', false],
  ] as const;
  it.each(rows)('%s is %s (deliberate: %s)', async (file, code, deliberate) => {
    const verdict = await verifyFixture(`containers-image-pre2025/${file}`, CIMAGE_DIGEST, 'cimage-pre2025');
    expectRejected(verdict, code);
    expect(!verdict.ok && verdict.deliberate === true).toBe(deliberate);
  });

  it('image.signature names the RSA-1024 key, and says that the operator would accept it', async () => {
    const verdict = await verifyFixture('containers-image-pre2025/image.signature', CIMAGE_DIGEST, 'cimage-pre2025');
    expect(!verdict.ok && verdict.reason).toMatch(/1024-bit RSA key .*would accept it, but RSA keys under 2048 bits are refused/);
  });

  it('double.signature is judged by its first copy alone, as the operator reads only the first message', async () => {
    const double = await fixtureBytes('containers-image-pre2025/double.signature');
    const single = await fixtureBytes('containers-image-pre2025/image.signature');
    expect(Buffer.compare(Buffer.from(double), Buffer.concat([single, single]))).toBe(0);
    const genuine = await fixtureBytes(REAL_RELEASE_SIGNATURES[0]!.file);
    const doubled = Buffer.concat([genuine, genuine]);
    const verdict = await verifyOpenPGPSignature(doubled, REAL_RELEASE_SIGNATURES[0]!.digest, await bakedKeyring());
    expect(verdict.ok && verdict.signer.fingerprint).toBe(RELEASE_KEY_2);
  });
});

describe('README: keys', () => {
  it('the graph-data copies of the Red Hat keys (SHA-1 self-signatures, missing armor blank line) load through the key-file path', async () => {
    const ring = await loadOpenPGPKeyring({ baked: false, keyFiles: [fixturePath('keys/graph-data.verifier-public-key-redhat-release'), fixturePath('keys/graph-data.verifier-public-key-redhat-beta-2')] });
    expect(ring.fingerprints()).toEqual(['567E347AD0044ADE55BA8A5F199E2F91FD431D51', 'B08B659EE86AF623BC90E8DB938A80CAF21541EB']);
    for (const s of REAL_RELEASE_SIGNATURES) {
      const verdict = await verifyOpenPGPSignature(await fixtureBytes(s.file), s.digest, ring);
      expect(verdict.ok ? verdict.signer.keyName : `${!verdict.ok && verdict.code}`).toBe('Red Hat release key 2 (567E347A...FD431D51)');
    }
  });

  it('the cluster-update-keys copies load and verify too', async () => {
    const ring = await manifestKeyring('redhat-cluster-update-keys');
    for (const s of REAL_RELEASE_SIGNATURES) {
      const verdict = await verifyOpenPGPSignature(await fixtureBytes(s.file), s.digest, ring);
      expect(verdict.ok).toBe(true);
    }
  });
});
