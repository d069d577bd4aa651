/**
 * Signatures made at test time by GnuPG (another OpenPGP implementation than openpgp.js) and by
 * `skopeo standalone-sign` (containers/image's simple-signing signer), verified by this tool.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { OpenPGPKeyring, readOpenPGPKeys, type TrustedKey } from '../../src/openpgp/keys.ts';
import { verifyOpenPGPSignature, type OpenPGPVerdict } from '../../src/openpgp/verify.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { fixtureBytes } from './fixtures.ts';

const DIGEST: Digest = `sha256:${createHash('sha256').update('release payload').digest('hex')}`;
const REFERENCE = 'quay.io/openshift-release-dev/ocp-release:4.99.0-x86_64';
const PAYLOAD = simpleSigningPayload({ digest: DIGEST, reference: REFERENCE });

let gpg: GpgHome;
let plain: GpgKey;
let withSubkey: GpgKey;

beforeAll(async () => {
  gpg = await GpgHome.create();
  plain = await gpg.generateKey({ name: 'Plain RSA key' });
  withSubkey = await gpg.generateKey({ name: 'Key with signing subkey', signingSubkey: true });
});
afterAll(async () => {
  await gpg?.close();
});

async function keyringOf(...fingerprints: string[]): Promise<OpenPGPKeyring> {
  const keys: TrustedKey[] = [];
  for (const fpr of fingerprints) keys.push(...(await readOpenPGPKeys(await gpg.exportPublicKey(fpr), `gpg:${fpr}`)));
  return new OpenPGPKeyring(keys);
}

function expectVerified(verdict: OpenPGPVerdict): asserts verdict is Extract<OpenPGPVerdict, { ok: true }> {
  expect(verdict.ok ? 'verified' : `${verdict.code}: ${verdict.reason}`).toBe('verified');
}

function expectRejected(verdict: OpenPGPVerdict, code: string): void {
  expect(verdict.ok ? 'verified' : `${verdict.code}: ${verdict.reason}`).toMatch(new RegExp(`^${code}: `));
}

describe('signatures made by gpg --sign', () => {
  it('the payload helper writes ART\'s byte layout (json.dumps separators), the layout of the genuine 4.15.0 signature', async () => {
    expect(PAYLOAD).toBe(`{"critical": {"image": {"docker-manifest-digest": "${DIGEST}"}, "type": "atomic container signature", "identity": {"docker-reference": "${REFERENCE}"}}, "optional": {"creator": "Red Hat OpenShift Signing Authority 0.0.1"}}`);
    const genuine = await fixtureBytes('real/ocp-4.15.0-x86_64.sha256-0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363.sig');
    const { inflateRawSync } = await import('node:zlib');
    const inner = inflateRawSync(genuine.subarray(2)).toString('latin1');
    expect(inner).toContain(simpleSigningPayload({ digest: 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363', reference: 'quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64' }));
  });

  it('a v4 RSA signature by the primary key verifies, with the signer, identity and creation time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const blob = await gpg.sign(PAYLOAD, { key: plain.fingerprint });
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint));
    expectVerified(verdict);
    expect(verdict.signatureVersion).toBe(4);
    expect(verdict.signer).toEqual({
      fingerprint: plain.fingerprint,
      keyName: `Plain RSA key <test@example.com> (${plain.fingerprint.slice(0, 8)}...${plain.fingerprint.slice(-8)})`,
      keyId: plain.keyId,
      signingKeyFingerprint: plain.fingerprint,
    });
    expect(verdict.identity).toBe(REFERENCE);
    expect(verdict.created.getTime() / 1000).toBeGreaterThanOrEqual(before - 1);
  });

  it('the same signature is DIGEST_MISMATCH for another digest and UNTRUSTED_KEY without its key', async () => {
    const blob = await gpg.sign(PAYLOAD, { key: plain.fingerprint });
    const other = `sha256:${'0'.repeat(64)}` as Digest;
    expectRejected(await verifyOpenPGPSignature(blob, other, await keyringOf(plain.fingerprint)), 'DIGEST_MISMATCH');
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(withSubkey.fingerprint));
    expectRejected(verdict, 'UNTRUSTED_KEY');
    expect(!verdict.ok && verdict.keyId).toBe(plain.keyId);
  });

  it('a signature by a signing subkey verifies and names the trusted primary key', async () => {
    const subkey = withSubkey.subkeys.find((s) => s.usage.includes('s'))!;
    const blob = await gpg.sign(PAYLOAD, { key: subkey.fingerprint });
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(withSubkey.fingerprint));
    expectVerified(verdict);
    expect(verdict.signer.fingerprint).toBe(withSubkey.fingerprint);
    expect(verdict.signer.keyId).toBe(subkey.keyId);
    expect(verdict.signer.signingKeyFingerprint).toBe(subkey.fingerprint);
  });

  it.each([
    ['zip', 'ZIP'],
    ['zlib', 'ZLIB'],
    ['none', 'none'],
  ] as const)('compression %s verifies', async (compress, reported) => {
    const blob = await gpg.sign(PAYLOAD, { key: plain.fingerprint, compress });
    expect(blob[0]).toBe(compress === 'none' ? 0x90 : 0xa3); // one-pass signature vs. compressed packet first
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint));
    expectVerified(verdict);
    expect(verdict.compression).toBe(reported);
  });

  it.each(['SHA256', 'SHA512', 'SHA384', 'SHA224'] as const)('digest %s is accepted', async (digest) => {
    const blob = await gpg.sign(PAYLOAD, { key: plain.fingerprint, digest });
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint));
    expectVerified(verdict);
    expect(verdict.hashAlgorithm).toBe(digest.replace('SHA', 'SHA-'));
  });

  it('digest SHA1 is WEAK_HASH, compressed or not', async () => {
    for (const compress of ['zip', 'none'] as const) {
      const blob = await gpg.sign(PAYLOAD, { key: plain.fingerprint, digest: 'SHA1', compress });
      const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint));
      expectRejected(verdict, 'WEAK_HASH');
      expect(!verdict.ok && verdict.reason).toContain('SHA-1');
    }
  });

  it('a canonical-text signature (--textmode, class 0x01) of indented, multi-line JSON verifies', async () => {
    // oc writes indented JSON; in text mode the hash covers CR LF line ends while the payload keeps LF.
    const indented = `${JSON.stringify(JSON.parse(PAYLOAD), null, 2)}\n`;
    const blob = await gpg.sign(indented, { key: plain.fingerprint, textMode: true });
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint));
    expectVerified(verdict);
    expect(verdict.identity).toBe(REFERENCE);
  });

  it('a signature made in the past with an expiry that has passed is EXPIRED, and verified while it was valid', async () => {
    const key = await gpg.generateKey({ name: 'Old key', at: new Date('2020-01-01T00:00:00Z') });
    const blob = await gpg.sign(PAYLOAD, { key: key.fingerprint, at: new Date('2020-06-01T00:00:00Z'), expire: '1d' });
    const ring = await keyringOf(key.fingerprint);
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, ring);
    expectRejected(verdict, 'EXPIRED');
    expect(!verdict.ok && verdict.created?.toISOString()).toBe('2020-06-01T00:00:00.000Z');
    expectVerified(await verifyOpenPGPSignature(blob, DIGEST, ring, { now: new Date('2020-06-01T12:00:00Z') }));
    // Dated after "now" (a signer's clock ahead of ours): accepted, as the cluster-version operator accepts it.
    expectVerified(await verifyOpenPGPSignature(blob, DIGEST, ring, { now: new Date('2020-05-31T00:00:00Z') }));
  });

  it('a key that has expired since still verifies what it signed while valid (as x/crypto and the CI key fixture)', async () => {
    const key = await gpg.generateKey({ name: 'Expiring key', at: new Date('2020-01-01T00:00:00Z'), expire: '1y' });
    expect((await gpg.getKey(key.fingerprint)).expired).toBe(true);
    const blob = await gpg.sign(PAYLOAD, { key: key.fingerprint, at: new Date('2020-03-01T00:00:00Z') });
    expectVerified(await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(key.fingerprint)));
  });

  it('a signature by a subkey revoked since is REVOKED_KEY', async () => {
    const key = await gpg.generateKey({ name: 'Key whose subkey gets revoked', signingSubkey: true });
    const subkey = key.subkeys[0]!;
    const blob = await gpg.sign(PAYLOAD, { key: subkey.fingerprint });
    const beforeRevocation = await keyringOf(key.fingerprint);
    expectVerified(await verifyOpenPGPSignature(blob, DIGEST, beforeRevocation));
    await gpg.revokeSubkey(key.fingerprint, subkey.fingerprint);
    const afterRevocation = await keyringOf(key.fingerprint);
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, afterRevocation);
    expectRejected(verdict, 'REVOKED_KEY');
    expect(!verdict.ok && verdict.reason).toContain('Subkey is revoked');
    // Two copies of one key trusted, the revoked one first: like x/crypto's KeysByIdUsage, the
    // unrevoked copy still counts.
    const both = new OpenPGPKeyring([...afterRevocation.keys, ...beforeRevocation.keys]);
    expectVerified(await verifyOpenPGPSignature(blob, DIGEST, both));
  });

  it('an RSA-1024 key is WEAK_KEY', async () => {
    const key = await gpg.generateKey({ name: 'Weak key', algo: 'rsa1024' });
    const verdict = await verifyOpenPGPSignature(await gpg.sign(PAYLOAD, { key: key.fingerprint }), DIGEST, await keyringOf(key.fingerprint));
    expectRejected(verdict, 'WEAK_KEY');
  });

  it('an Ed25519 key is UNUSABLE_KEY: the operator (x/crypto) cannot read EdDSA keys and rejects', async () => {
    const key = await gpg.generateKey({ name: 'Ed25519 key', algo: 'ed25519' });
    const blob = await gpg.sign(PAYLOAD, { key: key.fingerprint, digest: 'SHA512' });
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(key.fingerprint));
    expect(verdict.ok ? 'verified' : `${verdict.code}: ${verdict.reason}`).toMatch(/^UNUSABLE_KEY: .*eddsaLegacy key/);
  });

  it('an armored export of the key loads like the binary one', async () => {
    const armored = await gpg.exportPublicKey(plain.fingerprint, { armor: true });
    expect(Buffer.from(armored).toString('latin1')).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const ring = new OpenPGPKeyring(await readOpenPGPKeys(armored, 'armored'));
    expectVerified(await verifyOpenPGPSignature(await gpg.sign(PAYLOAD, { key: plain.fingerprint }), DIGEST, ring));
  });
});

describe('skopeo standalone-sign', () => {
  it('its signature of a manifest verifies for the manifest digest, with the reference as identity', async () => {
    const manifest = await fixtureBytes('containers-image/image.manifest.json');
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}` as Digest;
    const blob = await gpg.skopeoStandaloneSign(manifest, REFERENCE, plain.fingerprint);
    const verdict = await verifyOpenPGPSignature(blob, digest, await keyringOf(plain.fingerprint));
    expectVerified(verdict);
    expect(verdict.identity).toBe(REFERENCE);
    expect(verdict.payload.creator).toMatch(/^atomic /);
    expect(typeof verdict.payload.timestamp).toBe('number');
    expectRejected(await verifyOpenPGPSignature(blob, DIGEST, await keyringOf(plain.fingerprint)), 'DIGEST_MISMATCH');
  });
});

describe('openpgp.js as the signer', () => {
  it('its one-pass signed messages (how the built-in demo signs) verify', async () => {
    const { generateKey, createMessage, sign } = await import('openpgp');
    const { privateKey, publicKey } = await generateKey({ type: 'ecc', curve: 'nistP256', userIDs: [{ name: 'openpgp.js signer' }], format: 'object' });
    const message = await createMessage({ binary: Buffer.from(PAYLOAD) });
    const blob = (await sign({ message, signingKeys: privateKey, format: 'binary' })) as Uint8Array;
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, new OpenPGPKeyring(await readOpenPGPKeys(publicKey.armor(), 'openpgp.js')));
    expectVerified(verdict);
    expect([verdict.compression, verdict.signatureVersion, verdict.identity]).toEqual(['none', 4, REFERENCE]);
  });
});
