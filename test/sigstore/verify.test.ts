/**
 * Harness-signed `.sig` artifacts (cosign's exact format, test/harness/cosign.ts) through the pure
 * verifier: what CRI-O accepts and what it rejects, with the code and reason of each verdict.
 */
import { verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigstoreRequirement, SigstoreTrust } from '../../src/sigstore/policy.ts';
import { parseNormalizedNamed, type IdentityRule } from '../../src/sigstore/reference.ts';
import { redHatReleaseKey3 } from '../../src/sigstore/keys.ts';
import { MAX_LAYER_BLOB_BYTES, parseSignatureManifest, signatureVerifies, verifySignatureManifest, type SignatureVerdict } from '../../src/sigstore/verify.ts';
import {
  BUNDLE_ANNOTATION,
  SIGNATURE_ANNOTATION,
  buildSigArtifact,
  cosignPayload,
  generateP256Key,
  generateRsaKey,
  served,
  sha256,
  signLayer,
  signPayload,
  type BuildSigOptions,
  type SigLayer,
  type TestKey,
} from '../harness/cosign.ts';

const R = 'quay.io/openshift-release-dev/ocp-release';
const D = sha256('the release image manifest');
const OTHER_D = sha256('another image manifest');
const rsa = generateRsaKey('harness RSA-4096');
const p256 = generateP256Key('harness P-256');
const stranger = generateP256Key('a stranger');
const strangerRsa = generateRsaKey('a stranger RSA', 2048);

function requirement(keys: TestKey[], identity: IdentityRule = { type: 'matchRepoDigestOrExact' }, origin = 'test policy'): SigstoreRequirement {
  return { origin, scope: R, keys: keys.map((k) => k.trusted), identity };
}
function trustOf(...requirements: SigstoreRequirement[]): SigstoreTrust {
  return { releaseRepo: R, requirements };
}
const defaultTrust = trustOf(requirement([rsa, p256]));

function intended(digest: string = D) {
  const r = parseNormalizedNamed(`${R}@${digest}`);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
}

function verify(layers: SigLayer[], options: { trust?: SigstoreTrust; imageDigest?: string; build?: BuildSigOptions; mediaType?: string; blobs?: (b: Map<string, Uint8Array>) => void; manifest?: (m: Uint8Array) => Uint8Array } = {}): SignatureVerdict {
  const art = buildSigArtifact(layers, options.build);
  const blobs = new Map(art.blobs);
  options.blobs?.(blobs);
  const manifest = { ...served(art), ...(options.mediaType ? { mediaType: options.mediaType } : {}), ...(options.manifest ? { bytes: options.manifest(art.manifest) } : {}) };
  return verifySignatureManifest({ manifest, blobs, context: { imageDigest: options.imageDigest ?? D, intended: intended(options.imageDigest ?? D) }, trust: options.trust ?? defaultTrust });
}

const good = (key: TestKey = rsa, identity = `${R}@${D}`) => signLayer({ identity, digest: D, key });

describe('accepted', () => {
  it('an RSA-4096 PKCS#1 v1.5 signature with a digest identity', () => {
    const v = verify([good(rsa)]);
    expect(v).toMatchObject({ outcome: 'verified', code: 'VERIFIED' });
    expect(v.accepted?.signer).toMatch(/^harness RSA-4096 \(RSA-4096, sha256:/);
    expect(v.accepted?.identity).toBe(`${R}@${D}`);
    expect(v.reason).toMatch(/^signature layer 1 \(sha256:[0-9a-f]{64}\): verified with harness RSA-4096/);
  });

  it('an ECDSA P-256 DER signature', () => {
    expect(verify([good(p256)])).toMatchObject({ outcome: 'verified', accepted: { signer: expect.stringMatching(/^harness P-256 \(ECDSA P-256/) } });
  });

  it('a tag identity in the same repository (ART signs each image by digest and by tag)', () => {
    expect(verify([good(rsa, `${R}:4.16.1-x86_64`)]).outcome).toBe('verified');
  });

  it('a digest identity naming another digest of the same repository (the rule compares repositories)', () => {
    expect(verify([good(rsa, `${R}@${OTHER_D}`)]).outcome).toBe('verified');
  });

  it('optional creator/timestamp, a served Content-Type with parameters, and extra annotations', () => {
    const layer = signLayer({ identity: `${R}@${D}`, digest: D, key: p256, optional: { creator: 'cosign', timestamp: 1700000000 }, annotations: { [BUNDLE_ANNOTATION]: '{"not":"checked without a Rekor key"}' } });
    expect(verify([layer], { mediaType: 'application/vnd.oci.image.manifest.v1+json; charset=utf-8' }).outcome).toBe('verified');
  });

  it('one good layer among bad ones', () => {
    const layers = [
      signLayer({ identity: `${R}@${D}`, digest: D, key: stranger }),
      signLayer({ identity: R, digest: D, key: rsa }),
      { mediaType: 'application/vnd.dev.cosign.attestation.v1+json', blob: new TextEncoder().encode('{}'), annotations: {} },
      signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, omitSignatureAnnotation: true }),
      good(p256),
      signLayer({ identity: `${R}@${D}`, digest: OTHER_D, key: rsa }),
    ];
    const v = verify(layers);
    expect(v.outcome).toBe('verified');
    expect(v.accepted?.index).toBe(4);
    // layers after the accepted one are not verified (containers/image stops at the first accepted);
    // only signature layers get a verdict (the attestation layer's blob is read and checked, not judged)
    expect(v.layers.map((l) => l.code)).toEqual(['BAD_SIGNATURE', 'IDENTITY_MISMATCH', 'MISSING_ANNOTATION', 'VERIFIED']);
    const rejectedOnly = verify(layers.filter((_, i) => i !== 4));
    expect(rejectedOnly.outcome).toBe('invalid');
    expect(rejectedOnly.layers.map((l) => l.code)).toEqual(['BAD_SIGNATURE', 'IDENTITY_MISMATCH', 'MISSING_ANNOTATION', 'DIGEST_MISMATCH']);
  });

  it('decides as node:crypto verify does for DER, and also accepts raw IEEE P1363 ECDSA as current sigstore does', () => {
    const payload = cosignPayload(`${R}@${D}`, D);
    const cases: [TestKey, string][] = [
      [rsa, signPayload(payload, rsa)],
      [p256, signPayload(payload, p256)],
      [rsa, signPayload(payload, rsa, 'pss')],
      [p256, signPayload(payload, p256, 'p1363')],
      [rsa, signPayload(payload, strangerRsa)],
      [p256, signPayload(payload, stranger)],
      [rsa, Buffer.from('x').toString('base64')],
    ];
    for (const [key, sig] of cases) {
      const bytes = Buffer.from(sig, 'base64');
      const der = cryptoVerify('sha256', payload, key.publicKey, bytes);
      const p1363 = key.kind === 'ecdsa' && cryptoVerify('sha256', payload, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, bytes);
      expect(signatureVerifies(key.trusted, payload, bytes)).toBe(der || p1363);
    }
  });
});

describe('signatures, one by one', () => {
  const rejected: [string, () => SignatureVerdict, string, RegExp][] = [
    ['RSA-PSS', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, scheme: 'pss' })]), 'WRONG_SIGNATURE_SCHEME', /RSA-PSS under harness RSA-4096.*PKCS#1 v1\.5 only/],
    ['another key', () => verify([good(stranger)]), 'BAD_SIGNATURE', /does not verify under any trusted key harness RSA-4096 .*, harness P-256/],
    ['another RSA key, under the Red Hat key', () => verify([good(strangerRsa)], { trust: trustOf({ origin: 'rh', scope: R, keys: [redHatReleaseKey3()], identity: { type: 'matchRepoDigestOrExact' } }) }), 'BAD_SIGNATURE', /the trusted key Red Hat release key 3/],
    ['an ECDSA signature when only RSA is trusted', () => verify([good(p256)], { trust: trustOf(requirement([rsa])) }), 'BAD_SIGNATURE', /made with another key/],
    ['a tampered payload', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, tamperPayload: (p) => new TextEncoder().encode(new TextDecoder().decode(p).replace('ocp-release', 'ocp-releasf')) })]), 'BAD_SIGNATURE', /altered/],
    ['a tampered signature', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: p256, tamperSignature: (s) => Buffer.from(Buffer.from(s, 'base64').map((b, i) => (i === 10 ? b ^ 1 : b))).toString('base64') })]), 'BAD_SIGNATURE', /altered/],
    ['a signature that is not base64', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, tamperSignature: (s) => s.replace(/=*$/, '') + '!' })]), 'BAD_SIGNATURE', /not valid base64/],
    // A 512-byte RSA-4096 signature always ends in one '=' of padding.
    ['unpadded base64 (Go StdEncoding needs padding)', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, tamperSignature: (s) => s.replace(/=+$/, '') })]), 'BAD_SIGNATURE', /not valid base64/],
    ['base64 with line breaks, which Go ignores, is accepted', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, tamperSignature: (s) => s.replace(/(.{64})/g, '$1\r\n') }), signLayer({ identity: R, digest: D, key: stranger })]), 'VERIFIED', /verified with harness RSA-4096/],
    ['an empty signature', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, tamperSignature: () => '' })]), 'BAD_SIGNATURE', /does not verify/],
    ['a payload for another digest', () => verify([signLayer({ identity: `${R}@${D}`, digest: OTHER_D, key: rsa })]), 'DIGEST_MISMATCH', new RegExp(`signs ${OTHER_D}, not the image digest ${D}`)],
    ['a payload for a sha512 digest', () => verify([signLayer({ identity: `${R}@${D}`, digest: `sha512:${'a'.repeat(128)}`, key: rsa })]), 'DIGEST_MISMATCH', /signs sha512:/],
    ['another repository', () => verify([good(rsa, `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`)]), 'IDENTITY_MISMATCH', /names repository quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev, not quay\.io\/openshift-release-dev\/ocp-release/],
    ['a name-only identity (cosign default) under matchRepoDigestOrExact', () => verify([good(rsa, R)]), 'IDENTITY_MISMATCH', /without a tag or digest.*--sign-container-identity/],
    ['an identity that is not a reference', () => verify([good(rsa, 'not a reference')]), 'IDENTITY_MISMATCH', /not a valid reference/],
    ['an extra critical field', () => verify([signLayer({ identity: '', digest: D, key: rsa, payload: new TextEncoder().encode(`{"critical":{"identity":{"docker-reference":"${R}@${D}"},"image":{"docker-manifest-digest":"${D}"},"type":"cosign container image signature","extra":true},"optional":null}`) })]), 'PAYLOAD_INVALID', /critical has unexpected key "extra"/],
    ['duplicate payload keys', () => verify([signLayer({ identity: '', digest: D, key: rsa, payload: new TextEncoder().encode(`{"critical":{"identity":{"docker-reference":"evil.example/x:y","docker-reference":"${R}@${D}"},"image":{"docker-manifest-digest":"${D}"},"type":"cosign container image signature"},"optional":null}`) })]), 'PAYLOAD_INVALID', /has the key "docker-reference" twice/],
    ['an atomic (OpenPGP) payload type', () => verify([signLayer({ identity: '', digest: D, key: rsa, payload: new TextEncoder().encode(`{"critical":{"identity":{"docker-reference":"${R}@${D}"},"image":{"docker-manifest-digest":"${D}"},"type":"atomic container signature"},"optional":null}`) })]), 'PAYLOAD_INVALID', /atomic container signature/],
    ['a missing signature annotation', () => verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, omitSignatureAnnotation: true })]), 'MISSING_ANNOTATION', /missing dev\.cosignproject\.cosign\/signature annotation/],
  ];
  for (const [what, run, code, reason] of rejected) {
    it(`${what} -> ${code}`, () => {
      const v = run();
      expect(v.layers[0]?.code, v.reason).toBe(code);
      expect(v.layers[0]?.reason).toMatch(reason);
      if (code === 'VERIFIED') {
        expect(v.outcome).toBe('verified');
      } else {
        expect(v).toMatchObject({ outcome: 'invalid', code: 'REJECTED' });
        expect(v.reason).toBe(v.layers[0]?.reason);
      }
    });
  }

  it('several failing signatures are all reported, as containers/image words it', () => {
    const v = verify([good(stranger), good(rsa, R)]);
    expect(v.outcome).toBe('invalid');
    expect(v.reason).toMatch(/^none of the 2 signatures was accepted: layer 1: the signature does not verify.*; layer 2: identity .* without a tag or digest/);
  });

  it('the key that verified is named even when a later rule fails', () => {
    const v = verify([signLayer({ identity: `${R}@${D}`, digest: OTHER_D, key: p256 })]);
    expect(v.layers[0]).toMatchObject({ code: 'DIGEST_MISMATCH', signer: expect.stringMatching(/^harness P-256/), identity: `${R}@${D}` });
  });
});

describe('rejected manifests and blobs', () => {
  it('a Docker media type manifest (COSIGN_DOCKER_MEDIA_TYPES=1)', () => {
    const v = verify([good()], { build: { dockerMediaTypes: true } });
    expect(v).toMatchObject({ outcome: 'invalid', code: 'MANIFEST_MEDIA_TYPE' });
    expect(v.reason).toMatch(/application\/vnd\.docker\.distribution\.manifest\.v2\+json.*COSIGN_DOCKER_MEDIA_TYPES=1.*unexpected MIME type/);
  });

  it('an OCI manifest served as an image index', () => {
    expect(verify([good()], { mediaType: 'application/vnd.oci.image.index.v1+json' }).code).toBe('MANIFEST_MEDIA_TYPE');
  });

  it('a non-simplesigning layer only: no signature exists', () => {
    const v = verify([{ mediaType: 'application/vnd.dev.cosign.attestation.v1+json', blob: new TextEncoder().encode('{"payloadType":"x"}'), annotations: { [SIGNATURE_ANNOTATION]: 'AAAA' } }]);
    expect(v).toMatchObject({ outcome: 'missing', code: 'NO_SIGNATURES' });
    expect(v.reason).toMatch(/1 layer\(s\), none of media type application\/vnd\.dev\.cosign\.simplesigning\.v1\+json/);
  });

  it('no layers: no signature exists', () => {
    expect(verify([])).toMatchObject({ outcome: 'missing', code: 'NO_SIGNATURES', reason: 'the signature manifest has no layers: no signature exists' });
  });

  it('a blob not matching its digest rejects the image, even next to a valid signature', () => {
    const wrong = { ...good(p256), digest: sha256('something else') };
    const v = verify([good(rsa), wrong], { blobs: (b) => b.set(wrong.digest, wrong.blob) });
    expect(v).toMatchObject({ outcome: 'invalid', code: 'BLOB_DIGEST_MISMATCH' });
    expect(v.reason).toMatch(/layer 2 .* hashes to sha256:[0-9a-f]{64}, not to its descriptor digest/);
  });

  it('a missing blob rejects the image (CRI-O reads every layer)', () => {
    const layer = good(rsa);
    const v = verify([good(p256), layer], { blobs: (b) => b.delete(sha256(layer.blob)) });
    expect(v).toMatchObject({ outcome: 'invalid', code: 'BLOB_MISSING' });
  });

  it('a blob over 4 MiB rejects the image', () => {
    const big = { mediaType: 'application/octet-stream', blob: new Uint8Array(MAX_LAYER_BLOB_BYTES + 1), annotations: {} };
    expect(verify([good(), big]).code).toBe('BLOB_TOO_LARGE');
  });

  it('an ambiguous manifest (it also carries "manifests")', () => {
    const v = verify([good()], { manifest: (m) => new TextEncoder().encode(new TextDecoder().decode(m).replace('{"schemaVersion":2,', '{"schemaVersion":2,"manifests":[],')) });
    expect(v).toMatchObject({ outcome: 'invalid', code: 'MANIFEST_INVALID', reason: expect.stringMatching(/ambiguous: unexpected fields manifests/) });
  });

  it('never throws on garbage, whatever the bytes', () => {
    const garbage = ['', 'null', '[]', '{"layers":{}}', '{"layers":[1]}', '{"layers":[{"annotations":{"a":1}}]}', '{"layers":[{"size":"1"}]}', '{"layers":[{"digest":"sha256:zz"}]}', '\u0000\u0001'];
    for (const text of garbage) {
      const v = verifySignatureManifest({ manifest: { mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: new TextEncoder().encode(text) }, blobs: new Map(), context: { imageDigest: D, intended: intended() }, trust: defaultTrust });
      expect(v.outcome, text).toBe('invalid');
      expect(v.code, text).toBe('MANIFEST_INVALID');
    }
  });

  it('parseSignatureManifest lists every layer with its annotations', () => {
    const art = buildSigArtifact([good(), { mediaType: 'x/y', blob: new Uint8Array([1]), annotations: { a: 'b' } }]);
    const parsed = parseSignatureManifest(served(art));
    expect(parsed.ok && parsed.layers.map((l) => [l.index, l.mediaType, l.annotations])).toEqual([
      [0, 'application/vnd.dev.cosign.simplesigning.v1+json', { [SIGNATURE_ANNOTATION]: expect.any(String) }],
      [1, 'x/y', { a: 'b' }],
    ]);
  });
});

describe('identity rules and requirements', () => {
  it('matchRepository accepts a name-only identity; exactRepository needs the configured repository', () => {
    expect(verify([good(rsa, R)], { trust: trustOf(requirement([rsa], { type: 'matchRepository' })) }).outcome).toBe('verified');
    expect(verify([good(rsa, `mirror.example.com/ocp/release@${D}`)], { trust: trustOf(requirement([rsa], { type: 'exactRepository', dockerRepository: 'mirror.example.com/ocp/release' })) }).outcome).toBe('verified');
    expect(verify([good(rsa, `${R}@${D}`)], { trust: trustOf(requirement([rsa], { type: 'exactRepository', dockerRepository: 'mirror.example.com/ocp/release' })) }).layers[0]?.code).toBe('IDENTITY_MISMATCH');
  });

  it('remapIdentity: a signature naming the signed prefix is accepted for an image under the prefix', () => {
    const rule: IdentityRule = { type: 'remapIdentity', prefix: 'quay.io/openshift-release-dev', signedPrefix: 'registry.example.com/signed' };
    expect(verify([good(rsa, `registry.example.com/signed/ocp-release:4.16.1`)], { trust: trustOf(requirement([rsa], rule)) }).outcome).toBe('verified');
    const v = verify([good(rsa, `${R}@${D}`)], { trust: trustOf(requirement([rsa], rule)) });
    expect(v.layers[0]?.reason).toMatch(/after remapping quay\.io\/openshift-release-dev to registry\.example\.com\/signed/);
  });

  it('every requirement must be satisfied, each by any signature', () => {
    const both = trustOf(requirement([rsa], undefined, 'policy A'), requirement([p256], undefined, 'policy B'));
    expect(verify([good(rsa), good(p256)], { trust: both }).outcome).toBe('verified');
    const v = verify([good(rsa)], { trust: both });
    expect(v.outcome).toBe('invalid');
    expect(v.reason).toMatch(/^policy B: the signature does not verify/);
  });

  it('a Rekor key in the policy requires the bundle annotation', () => {
    const withRekor = trustOf({ ...requirement([rsa]), rekorKeys: [p256.trusted] });
    const v = verify([good(rsa)], { trust: withRekor });
    expect(v.layers[0]).toMatchObject({ code: 'REKOR_SET_MISSING', reason: expect.stringMatching(/dev\.sigstore\.cosign\/bundle.*test policy configures a Rekor key/) });
    const bogus = verify([signLayer({ identity: `${R}@${D}`, digest: D, key: rsa, annotations: { [BUNDLE_ANNOTATION]: '{"SignedEntryTimestamp":"","Payload":{}}' } })], { trust: withRekor });
    expect(bogus.layers[0]?.code).toBe('REKOR_SET_INVALID');
  });
});
