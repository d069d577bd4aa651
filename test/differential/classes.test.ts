/**
 * One named test per disagreement class of issue 11, each expecting the verdict the consumers' own
 * code gives (as measured with ../shared/oracle; the differential suites check it again where the
 * oracle is present). These run without the oracle, so a clone keeps them.
 */
import { createHash, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { OpenPGPKeyring, readOpenPGPKeys } from '../../src/openpgp/keys.ts';
import { verifyOpenPGPSignature, type OpenPGPVerdict } from '../../src/openpgp/verify.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import { toTrustedKey } from '../../src/sigstore/keys.ts';
import type { SigstoreTrust } from '../../src/sigstore/policy.ts';
import { toRepositoryReference, withDigest } from '../../src/sigstore/reference.ts';
import { verifySignatureManifest } from '../../src/sigstore/verify.ts';
import { buildSigArtifact, cosignPayload, MemorySigstoreSource, served, SIGNATURE_ANNOTATION, SIMPLE_SIGNING, type SigLayer } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { makeTestRsaKey, v4Message, type TestRsaKey } from '../openpgp/builder.ts';

const DIGEST: Digest = `sha256:${createHash('sha256').update('classes').digest('hex')}`;
const PAYLOAD = simpleSigningPayload({ digest: DIGEST, reference: 'quay.io/openshift-release-dev/ocp-release:4.99.8-x86_64' });
const R = 'quay.io/openshift-release-dev/ocp-release';

let gpg: GpgHome;
let rsa: GpgKey;
let ring: OpenPGPKeyring;
let built: TestRsaKey;

beforeAll(async () => {
  gpg = await GpgHome.create();
  rsa = await gpg.generateKey({ name: 'classes rsa' });
  ring = new OpenPGPKeyring(await readOpenPGPKeys(await gpg.exportPublicKey(rsa.fingerprint), 'rsa'));
  built = await makeTestRsaKey({ name: 'classes built', date: new Date('2021-01-01T00:00:00Z') });
});
afterAll(async () => {
  await gpg?.close();
});

function verdictOf(v: OpenPGPVerdict): string {
  return v.ok ? 'verified' : `${v.code}${v.deliberate ? ' (deliberate)' : ''}: ${v.reason}`;
}

async function ringOf(key: GpgKey): Promise<OpenPGPKeyring> {
  return new OpenPGPKeyring(await readOpenPGPKeys(await gpg.exportPublicKey(key.fingerprint), 'key'));
}

describe('issue 11 classes: OpenPGP, as the cluster-version operator decides', () => {
  it('an EdDSA key given with --openpgp-key is unusable: the operator rejects (oracle: "invalid signature")', async () => {
    const ed = await gpg.generateKey({ name: 'classes ed25519', algo: 'ed25519' });
    const blob = await gpg.sign(PAYLOAD, { key: ed.fingerprint, digest: 'SHA512' });
    expect(verdictOf(await verifyOpenPGPSignature(blob, DIGEST, await ringOf(ed)))).toMatch(/^UNUSABLE_KEY: /);
  });

  it('a BZip2-compressed message verifies', async () => {
    const blob = await gpg.sign(PAYLOAD, { key: rsa.fingerprint, compress: 'bzip2' as never });
    expect(verdictOf(await verifyOpenPGPSignature(blob, DIGEST, ring))).toBe('verified');
  });

  it('data after the first OpenPGP message does not matter', async () => {
    const blob = await gpg.sign(PAYLOAD, { key: rsa.fingerprint });
    expect(verdictOf(await verifyOpenPGPSignature(Buffer.concat([blob, blob, Buffer.from('junk')]), DIGEST, ring))).toBe('verified');
  });

  it('data after the payload JSON does not matter', async () => {
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(`${PAYLOAD} and more`, { key: rsa.fingerprint }), DIGEST, ring))).toBe('verified');
  });

  it('payload keys in another letter case match, as Go\'s decoder matches them', async () => {
    const upper = PAYLOAD.replace('"critical"', '"Critical"').replace('"docker-manifest-digest"', '"DOCKER-MANIFEST-DIGEST"');
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(upper, { key: rsa.fingerprint }), DIGEST, ring))).toBe('verified');
  });

  it('optional missing or null is accepted', async () => {
    const critical = PAYLOAD.slice(0, PAYLOAD.indexOf(', "optional"'));
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(`${critical}}`, { key: rsa.fingerprint }), DIGEST, ring))).toBe('verified');
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(`${critical}, "optional": null}`, { key: rsa.fingerprint }), DIGEST, ring))).toBe('verified');
  });

  it('null creator and timestamp are accepted', async () => {
    const critical = PAYLOAD.slice(0, PAYLOAD.indexOf(', "optional"'));
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(`${critical}, "optional": {"creator": null, "timestamp": null}}`, { key: rsa.fingerprint }), DIGEST, ring))).toBe('verified');
  });

  it('a DSA-2048 signer is accepted', async () => {
    const dsa = await gpg.generateKey({ name: 'classes dsa', algo: 'dsa2048' as never });
    expect(verdictOf(await verifyOpenPGPSignature(await gpg.sign(PAYLOAD, { key: dsa.fingerprint }), DIGEST, await ringOf(dsa)))).toBe('verified');
  });

  it('a one-pass packet whose key ID differs from the signature\'s issuer is accepted: the one-pass key ID picks the key', async () => {
    const other = await makeTestRsaKey({ name: 'classes other' });
    expect(verdictOf(await verifyOpenPGPSignature(v4Message({ key: built, payload: PAYLOAD, issuer: other.keyId }), DIGEST, built.keyring))).toBe('verified');
  });

  it('deliberate strictness says the cluster would accept, as a field: MD5/SHA-1, RSA under 2048 bits, duplicate keys', async () => {
    for (const digest of ['MD5', 'SHA1'] as const) {
      const v = await verifyOpenPGPSignature(await gpg.sign(PAYLOAD, { key: rsa.fingerprint, digest: digest as never }), DIGEST, ring);
      expect([!v.ok && v.code, !v.ok && v.deliberate, !v.ok && v.reason]).toEqual(['WEAK_HASH', true, expect.stringMatching(/would accept it/)]);
    }
    const small = await gpg.generateKey({ name: 'classes rsa1024', algo: 'rsa1024' });
    const weak = await verifyOpenPGPSignature(await gpg.sign(PAYLOAD, { key: small.fingerprint }), DIGEST, await ringOf(small));
    expect([!weak.ok && weak.code, !weak.ok && weak.deliberate, !weak.ok && weak.reason]).toEqual(['WEAK_KEY', true, expect.stringMatching(/would accept it/)]);
    const dup = await verifyOpenPGPSignature(await gpg.sign(PAYLOAD.replace('"type": "atomic', '"Type": "atomic container signature", "type": "atomic'), { key: rsa.fingerprint }), DIGEST, ring);
    expect([!dup.ok && dup.code, !dup.ok && dup.deliberate, !dup.ok && dup.reason]).toEqual(['DUPLICATE_KEY', true, expect.stringMatching(/would accept this payload/)]);
  });
});

describe('issue 11 classes: Sigstore, as CRI-O decides', () => {
  const D: Digest = `sha256:${createHash('sha256').update('classes sigstore').digest('hex')}`;
  const layerOf = (payload: Uint8Array, signature: string): SigLayer => ({ mediaType: SIMPLE_SIGNING, blob: payload, annotations: { [SIGNATURE_ANNOTATION]: signature } });
  const trustOf = (pem: string): SigstoreTrust => ({ releaseRepo: R, requirements: [{ origin: 'test', scope: R, keys: [toTrustedKey(pem, 'test key')], identity: { type: 'matchRepoDigestOrExact' } }] });
  const verify = (layers: SigLayer[], pem: string) => {
    const art = buildSigArtifact(layers);
    return verifySignatureManifest({ manifest: served(art), blobs: art.blobs, context: { imageDigest: D, intended: withDigest(toRepositoryReference(R, 'test repository'), D) }, trust: trustOf(pem) });
  };

  it('an Ed25519 key is accepted', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const p = cosignPayload(`${R}@${D}`, D);
    const v = verify([layerOf(p, cryptoSign(null, p, privateKey).toString('base64'))], publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(v.outcome).toBe('verified');
  });

  it('a raw IEEE P1363 ECDSA signature is accepted, as current sigstore accepts it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p = cosignPayload(`${R}@${D}`, D);
    const v = verify([layerOf(p, cryptoSign('sha256', p, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'))], publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(v.outcome).toBe('verified');
  });

  it('invalid UTF-8 in the payload\'s optional is accepted, as CRI-O reads it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p = Buffer.concat([Buffer.from(cosignPayload(`${R}@${D}`, D, { creator: 'X' })).subarray(0, -3), Buffer.from([0xff]), Buffer.from('"}}')]);
    const v = verify([layerOf(p, cryptoSign('sha256', p, privateKey).toString('base64'))], publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(v.outcome).toBe('verified');
  });

  it('a .sig layer blob over 4 MiB, or not hashing to its descriptor after a second read, is invalid with the layer\'s code, not error', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p = cosignPayload(`${R}@${D}`, D);
    const art = buildSigArtifact([layerOf(p, cryptoSign('sha256', p, privateKey).toString('base64'))]);
    const trust = trustOf(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    for (const [code, expected] of [['HTTP_BODY_TOO_LARGE', /BLOB_TOO_LARGE|over CRI-O's 4194304-byte limit/], ['DIGEST_MISMATCH', /does not hash to its descriptor digest, on two reads/]] as const) {
      const source = new MemorySigstoreSource().putSig(D, art);
      const layerDigest = art.layers[0]!.digest;
      source.getBlob = async (digest) => (digest === layerDigest ? { kind: 'error', source: digest, reason: `the registry sent ${code}`, code } : { kind: 'not-found', source: digest });
      const r = await checkSigstore({ digest: D }, { source, trust, identityRepo: R });
      expect(r.outcome).toBe('invalid');
      expect(r.reason).toMatch(expected);
    }
  });
});
