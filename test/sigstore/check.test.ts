/**
 * checkSigstore over in-memory repositories (MemorySigstoreSource): outcomes, transport failures kept
 * apart from verdicts, bundle-only images, manifest lists, mirrors.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import type { SigstoreTrust } from '../../src/sigstore/policy.ts';
import type { IdentityRule } from '../../src/sigstore/reference.ts';
import { MemorySigstoreSource, buildBundleReferrer, buildSigArtifact, generateP256Key, sha256, sigTag, signLayer, type SigLayer } from '../harness/cosign.ts';

const R = 'quay.io/openshift-release-dev/ocp-release';
const key = generateP256Key('release key');
const stranger = generateP256Key('stranger');

function trust(identity: IdentityRule = { type: 'matchRepoDigestOrExact' }): SigstoreTrust {
  return { releaseRepo: R, requirements: [{ origin: 'test policy', scope: R, keys: [key.trusted], identity }] };
}
const options = (source: MemorySigstoreSource, identity?: IdentityRule) => ({ source, trust: trust(identity), identityRepo: R });

function signed(digest: string, identity = `${R}@${digest}`, signer = key): SigLayer {
  return signLayer({ identity, digest, key: signer });
}
function sigOf(...layers: SigLayer[]) {
  return buildSigArtifact(layers);
}

const D = sha256('single-arch release') as Digest;

describe('a single-arch image', () => {
  it('verified: names the signature, key and identity; no attempts', async () => {
    const src = new MemorySigstoreSource().putSig(D, sigOf(signed(D, `${R}:4.16.1-x86_64`), signed(D)));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r).toMatchObject({ outcome: 'verified', identity: `${R}:4.16.1-x86_64`, digests: [D] });
    expect(r.reason).toMatch(new RegExp(`^${R}:${sigTag(D)}: signature layer 1 \\(sha256:[0-9a-f]{64}\\): verified with release key \\(ECDSA P-256, sha256:[0-9a-f]{16}\\)`));
    expect(r.source).toBe(`${R}:${sigTag(D)} layer 1`);
    expect(r.signer).toMatch(/^release key \(ECDSA P-256/);
    expect(r.attempts).toBeUndefined();
  });

  it('missing: no .sig tag, the reason says where and what to do', async () => {
    const src = new MemorySigstoreSource();
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('missing');
    expect(r.reason).toBe(`no Sigstore signature: tag ${sigTag(D)} does not exist in ${R}; sign the image with cosign (it writes ${R}:${sigTag(D)}), or copy the tag to this repository`);
    expect(src.calls).toEqual([`manifest ${D}`, `referrers ${D}`]);
  });

  it('bundle-only: missing, naming the bundle and saying CRI-O does not read bundles', async () => {
    const bundle = buildBundleReferrer({ digest: D, size: 500 });
    const src = new MemorySigstoreSource().putReferrer(D, bundle);
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('missing');
    expect(r.reason).toContain(`found Sigstore bundle referrer ${bundle.digest} (application/vnd.dev.sigstore.bundle.v0.3+json), which CRI-O does not read`);
    expect(r.reason).toContain('--new-bundle-format=false');
  });

  it('a referrers failure does not turn a definitive "no .sig" into an error', async () => {
    const src = new MemorySigstoreSource();
    src.referrersError = 'HTTP 500';
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('missing');
    expect(r.reason).toMatch(/\(the referrers could not be listed: HTTP 500\)$/);
  });

  it('error, never missing, when the .sig manifest cannot be read', async () => {
    const src = new MemorySigstoreSource().putSig(D, sigOf(signed(D)));
    src.manifestErrors.add(D);
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r).toMatchObject({ outcome: 'error', reason: `could not read ${R}:${sigTag(D)}: HTTP 503 Service Unavailable after 5 retries` });
  });

  it('error, never invalid, when a layer blob cannot be read; every layer is fetched, once', async () => {
    const good = signed(D);
    const other = { mediaType: 'application/vnd.dev.cosign.attestation.v1+json', blob: new TextEncoder().encode('{}'), annotations: {} };
    const src = new MemorySigstoreSource().putSig(D, sigOf(good, other, good));
    src.blobErrors.add(sha256(other.blob));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('error');
    expect(r.reason).toMatch(/could not read the blob of layer 2 \(sha256:[0-9a-f]{64}\) of .*: connection reset/);
    expect(src.calls.filter((c) => c.startsWith('blob')).sort()).toEqual([`blob ${sha256(good.blob)}`, `blob ${sha256(other.blob)}`].sort());
  });

  it('invalid when a blob is gone (404): CRI-O cannot read the signatures', async () => {
    const good = signed(D);
    const src = new MemorySigstoreSource().putSig(D, sigOf(good));
    src.missingBlobs.add(sha256(good.blob));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('invalid');
    expect(r.reason).toMatch(/the blob of layer 1 \(sha256:[0-9a-f]{64}\) does not exist/);
  });

  it('invalid: every signature is an attempt with its source, code and reason', async () => {
    const src = new MemorySigstoreSource().putSig(D, sigOf(signed(D, R), signed(D, `${R}@${D}`, stranger)));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('invalid');
    expect(r.attempts).toEqual([
      expect.objectContaining({ source: expect.stringMatching(new RegExp(`^${R}:${sigTag(D)} layer 1 \\(sha256:`)), outcome: 'invalid', reason: expect.stringMatching(/^IDENTITY_MISMATCH: /), identity: R, signer: expect.stringMatching(/^release key/) }),
      expect.objectContaining({ source: expect.stringMatching(/ layer 2 /), outcome: 'invalid', reason: expect.stringMatching(/^BAD_SIGNATURE: /) }),
    ]);
  });

  it('a source that throws is an error, not a crash', async () => {
    const src = new MemorySigstoreSource();
    src.getSignatureManifest = () => Promise.reject(new Error('socket hang up'));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/socket hang up/) });
  });

  it('a mirror: read from the mirror, identities name the original repository', async () => {
    const src = new MemorySigstoreSource('mirror.example.com:5000/ocp/release').putSig(D, sigOf(signed(D)));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r.outcome).toBe('verified');
    expect(r.reason).toContain(`mirror.example.com:5000/ocp/release:${sigTag(D)}`);
    const mirrorIdentity = new MemorySigstoreSource('mirror.example.com:5000/ocp/release').putSig(D, sigOf(signed(D, `mirror.example.com:5000/ocp/release@${D}`)));
    expect((await checkSigstore({ digest: D }, options(mirrorIdentity))).outcome).toBe('invalid');
  });

  it('refuses an identity repository that is not a repository', async () => {
    await expect(checkSigstore({ digest: D }, { ...options(new MemorySigstoreSource()), identityRepo: `${R}:latest` })).rejects.toThrow(/without a tag or digest/);
  });
});

describe('a manifest list', () => {
  const LIST = sha256('the multi release list') as Digest;
  const arches = ['amd64', 'arm64', 's390x', 'ppc64le'];
  const instances = arches.map((arch) => ({ digest: sha256(`instance ${arch}`) as Digest, arch }));
  const image = { digest: LIST, instances };
  function allSigned(): MemorySigstoreSource {
    const src = new MemorySigstoreSource();
    for (const i of instances) src.putSig(i.digest, sigOf(signed(i.digest), signed(i.digest, `${R}:4.16.1-multi`)));
    return src;
  }

  it('verified when every instance is, the list itself not being required', async () => {
    const r = await checkSigstore(image, options(allSigned()));
    expect(r.outcome).toBe('verified');
    expect(r.digests).toEqual([LIST, ...instances.map((i) => i.digest)]);
    expect(r.instances?.map((i) => [i.arch, i.outcome])).toEqual(arches.map((a) => [a, 'verified']));
    expect(r.instances?.[0]?.signer).toMatch(/^release key/);
    // the list's own signature is only reported: no referrers lookup for it
    expect(r.reason).toBe(`all 4 instances of manifest list ${LIST} have an accepted signature; the manifest list's own signature (not required): missing (no Sigstore signature: tag ${sigTag(LIST)} does not exist in ${R})`);
    expect(r.signer).toMatch(/^release key/);
  });

  it('one unsigned instance: missing, naming the instance', async () => {
    const src = allSigned();
    src.sigs.delete(instances[1]?.digest as string);
    const r = await checkSigstore(image, options(src));
    expect(r.outcome).toBe('missing');
    expect(r.reason).toMatch(new RegExp(`^1 of 4 instances of manifest list ${LIST} is not accepted: instance ${instances[1]?.digest} \\(arm64\\) missing: no Sigstore signature`));
    expect(r.instances?.map((i) => i.outcome)).toEqual(['verified', 'missing', 'verified', 'verified']);
  });

  it('invalid outranks missing, which outranks error; error only when nothing failed definitively', async () => {
    const src = allSigned();
    src.sigs.delete(instances[0]?.digest as string);
    src.putSig(instances[1]?.digest as string, sigOf(signed(instances[1]?.digest as string, R)));
    src.manifestErrors.add(instances[2]?.digest as string);
    expect((await checkSigstore(image, options(src))).outcome).toBe('invalid');
    const onlyErrors = allSigned();
    onlyErrors.manifestErrors.add(instances[3]?.digest as string);
    const e = await checkSigstore(image, options(onlyErrors));
    expect(e.outcome).toBe('error');
    expect(e.instances?.[3]?.outcome).toBe('error');
    const missingAndError = allSigned();
    missingAndError.sigs.delete(instances[0]?.digest as string);
    missingAndError.manifestErrors.add(instances[3]?.digest as string);
    expect((await checkSigstore(image, options(missingAndError))).outcome).toBe('missing');
  });

  it('an invalid signature on the list itself is reported, not required', async () => {
    const src = allSigned().putSig(LIST, sigOf(signed(LIST, R)));
    const r = await checkSigstore(image, options(src));
    expect(r.outcome).toBe('verified');
    expect(r.reason).toMatch(/the manifest list's own signature \(not required\): invalid \(.*without a tag or digest/);
  });

  it('failing instances keep their attempts; the list attempts are marked as not required', async () => {
    const src = allSigned().putSig(LIST, sigOf(signed(LIST, `${R}@${LIST}`, stranger)));
    src.putSig(instances[0]?.digest as string, sigOf(signed(instances[0]?.digest as string, `${R}@${LIST}`, stranger)));
    const r = await checkSigstore(image, options(src));
    expect(r.outcome).toBe('invalid');
    expect(r.attempts?.map((a) => a.source)).toEqual([
      expect.stringContaining(`${sigTag(instances[0]?.digest as string)} layer 1`),
      expect.stringMatching(new RegExp(`${sigTag(LIST)} layer 1 .*\\(manifest list, not required\\)$`)),
    ]);
  });

  it('instances are verified against the pulled reference, the list: under matchExact an instance signed as R@<list digest> passes', async () => {
    const src = new MemorySigstoreSource();
    for (const i of instances) src.putSig(i.digest, sigOf(signed(i.digest, `${R}@${LIST}`)));
    expect((await checkSigstore(image, options(src, { type: 'matchExact' }))).outcome).toBe('verified');
    const perInstance = allSigned();
    expect((await checkSigstore(image, options(perInstance, { type: 'matchExact' }))).outcome).toBe('invalid');
  });
});

describe('layer digests this tool cannot fetch', () => {
  it('a valid sha512 layer digest is an error (CRI-O could read it; this tool cannot decide)', async () => {
    const layer = { ...signed(D), digest: `sha512:${'c'.repeat(128)}` as Digest };
    const src = new MemorySigstoreSource().putSig(D, sigOf(layer));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/uses digest sha512:c+; this tool fetches sha256 blobs only/) });
  });
  it('an invalid layer digest is invalid (CRI-O refuses it)', async () => {
    const layer = { ...signed(D), digest: 'sha256:nothex' as Digest };
    const src = new MemorySigstoreSource().putSig(D, sigOf(layer));
    const r = await checkSigstore({ digest: D }, options(src));
    expect(r).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/has an invalid digest/) });
  });
});
