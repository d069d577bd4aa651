/**
 * Every row of test/fixtures/sigstore/README.md that states a verdict, as a test case with that
 * verdict; and every fixture rejected under the Red Hat key (the default trust).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import type { FetchResult, ManifestBytes, ReferrerDescriptor, SigstoreSource } from '../../src/model/sources.ts';
import { SigcheckError } from '../../src/model/errors.ts';
import { REDHAT_RELEASE_3_PEM } from '../../src/trust/baked-keys.ts';
import { checkSigstore } from '../../src/sigstore/check.ts';
import { redHatReleaseKey3, type TrustedKey } from '../../src/sigstore/keys.ts';
import { OciLayoutSource, verifySigstoreLayout } from '../../src/sigstore/layout.ts';
import { loadSigstoreTrust, parseImagePolicies, type SigstoreRequirement, type SigstoreTrust } from '../../src/sigstore/policy.ts';
import { parseNormalizedNamed, withDigest, type DockerReference, type IdentityRule } from '../../src/sigstore/reference.ts';
import { verifySignatureLayer, verifySignatureManifest, type LayerCode, type SignatureLayer } from '../../src/sigstore/verify.ts';
import { buildSigArtifact, served } from '../harness/cosign.ts';
import { type CiFixtureDir, CI, OC, SIGSTORE_FIXTURES, fixtureKey, readCiDir, readOcMirrorLayouts, readSignatureFile, sha256Of } from './fixtures.ts';

let cases = 0;
afterAll(() => {
  console.log(`sigstore fixture cases: ${cases}`);
});

const cosign = fixtureKey(join(CI, 'cosign.pub'), 'cosign.pub');
const cosign2 = fixtureKey(join(CI, 'cosign2.pub'), 'cosign2.pub');
const rekor = fixtureKey(join(CI, 'rekor.pub'), 'rekor.pub');
const integration = fixtureKey(join(OC, 'integration-cosign.pub'), 'integration-cosign.pub');
const redHat = redHatReleaseKey3();

function req(keys: TrustedKey[], identity: IdentityRule = { type: 'matchRepoDigestOrExact' }, rekorKeys?: TrustedKey[]): SigstoreRequirement {
  return { origin: 'test', scope: 'test', keys, identity, ...(rekorKeys ? { rekorKeys } : {}) };
}
function trustOf(requirement: SigstoreRequirement): SigstoreTrust {
  return { releaseRepo: 'test', requirements: [requirement] };
}
function ref(s: string): DockerReference {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ref;
}
const matchRepository: IdentityRule = { type: 'matchRepository' };

const valid = readCiDir('dir-img-cosign-valid');
const valid2 = readCiDir('dir-img-cosign-valid-2');
const withTag = readCiDir('dir-img-cosign-valid-with-tag');
const mixed = readCiDir('dir-img-cosign-mixed');
const modified = readCiDir('dir-img-cosign-modified-manifest');
const digestError = readCiDir('dir-img-cosign-manifest-digest-error');
const noManifest = readCiDir('dir-img-cosign-no-manifest');
const otherAttachment = readCiDir('dir-img-cosign-other-attachment');
const keyRekor = readCiDir('dir-img-cosign-key-rekor-valid');
const fulcio = readCiDir('dir-img-cosign-fulcio-rekor-valid');
const pki = readCiDir('dir-img-cosign-pki-valid');

const SAMPLE = '192.168.64.2:5000/cosign-signed-single-sample';
const VALID_DIGEST = 'sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00';

function first(dir: CiFixtureDir): SignatureLayer {
  const layer = dir.signatures[0]?.layer;
  if (!layer) throw new Error('no signature');
  return layer;
}

interface LayerCase {
  name: string;
  layer: () => SignatureLayer;
  requirement: SigstoreRequirement;
  imageDigest: string;
  intended: string;
  code: LayerCode;
  reason?: RegExp;
}

const layerCases: LayerCase[] = [
  // dir-img-cosign-valid: ACCEPT with matchRepository; REJECT with matchRepoDigestOrExact, cosign2.pub, the Red Hat key, identity testing/manifest
  { name: 'valid: accepted with matchRepository', layer: () => first(valid), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'VERIFIED' },
  { name: 'valid: name-only identity rejected by matchRepoDigestOrExact', layer: () => first(valid), requirement: req([cosign]), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'IDENTITY_MISMATCH', reason: /without a tag or digest/ },
  { name: 'valid: rejected under cosign2.pub', layer: () => first(valid), requirement: req([cosign2], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'BAD_SIGNATURE' },
  { name: 'valid: rejected under the Red Hat key', layer: () => first(valid), requirement: req([redHat], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'BAD_SIGNATURE' },
  { name: 'valid: rejected for identity testing/manifest', layer: () => first(valid), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `testing/manifest@${VALID_DIGEST}`, code: 'IDENTITY_MISMATCH', reason: /not docker\.io\/testing\/manifest/ },
  // dir-img-cosign-valid-2: two valid signatures
  { name: 'valid-2 signature-1 accepted', layer: () => first(valid2), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'VERIFIED' },
  { name: 'valid-2 signature-2 accepted', layer: () => valid2.signatures[1]?.layer ?? first(valid2), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'VERIFIED' },
  // dir-img-cosign-valid-with-tag: ACCEPT for :tag or @digest under matchRepoDigestOrExact; REJECT for :othertag
  { name: 'valid-with-tag accepted for :tag', layer: () => first(withTag), requirement: req([cosign]), imageDigest: VALID_DIGEST, intended: '192.168.64.2:5000/skopeo-signed:tag', code: 'VERIFIED' },
  { name: 'valid-with-tag accepted for @digest', layer: () => first(withTag), requirement: req([cosign]), imageDigest: VALID_DIGEST, intended: `192.168.64.2:5000/skopeo-signed@${VALID_DIGEST}`, code: 'VERIFIED' },
  { name: 'valid-with-tag rejected for :othertag', layer: () => first(withTag), requirement: req([cosign]), imageDigest: VALID_DIGEST, intended: '192.168.64.2:5000/skopeo-signed:othertag', code: 'IDENTITY_MISMATCH' },
  // dir-img-cosign-mixed: signature-1 unknown key (REJECT alone), signature-2 valid
  { name: 'mixed signature-1 (unknown key) rejected alone', layer: () => first(mixed), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'BAD_SIGNATURE' },
  { name: 'mixed signature-2 accepted', layer: () => mixed.signatures[1]?.layer ?? first(mixed), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'VERIFIED' },
  // digest mismatches
  { name: 'modified-manifest: digest mismatch', layer: () => first(modified), requirement: req([cosign], matchRepository), imageDigest: modified.manifestDigest ?? '', intended: `${SAMPLE}@${modified.manifestDigest ?? ''}`, code: 'DIGEST_MISMATCH', reason: /signs sha256:634a8f35/ },
  { name: 'manifest-digest-error (schema1 manifest): digest mismatch', layer: () => first(digestError), requirement: req([cosign], matchRepository), imageDigest: digestError.manifestDigest ?? '', intended: `${SAMPLE}@${digestError.manifestDigest ?? ''}`, code: 'DIGEST_MISMATCH' },
  // no manifest: the only digest there is, is that of no bytes at all
  { name: 'no-manifest: the digest check fails', layer: () => first(noManifest), requirement: req([cosign], matchRepository), imageDigest: sha256Of(''), intended: `${SAMPLE}@${sha256Of('')}`, code: 'DIGEST_MISMATCH' },
  // other attachment
  { name: 'other-attachment: text/plain is not a signature', layer: () => first(otherAttachment), requirement: req([cosign], matchRepository), imageDigest: VALID_DIGEST, intended: `${SAMPLE}@${VALID_DIGEST}`, code: 'NOT_A_SIGNATURE' },
  // key-rekor-valid: ACCEPT with cosign2.pub (SET not needed; valid with rekor.pub); REJECT with cosign.pub / Red Hat key
  { name: 'key-rekor-valid accepted with cosign2.pub', layer: () => first(keyRekor), requirement: req([cosign2], matchRepository), imageDigest: keyRekor.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/key-1@${keyRekor.manifestDigest ?? ''}`, code: 'VERIFIED' },
  { name: 'key-rekor-valid accepted with cosign2.pub and rekor.pub (SET verified)', layer: () => first(keyRekor), requirement: req([cosign2], matchRepository, [rekor]), imageDigest: keyRekor.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/key-1@${keyRekor.manifestDigest ?? ''}`, code: 'VERIFIED' },
  { name: 'key-rekor-valid rejected with cosign.pub', layer: () => first(keyRekor), requirement: req([cosign], matchRepository), imageDigest: keyRekor.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/key-1@${keyRekor.manifestDigest ?? ''}`, code: 'UNTRUSTED_KEY', reason: /Rekor entry/ },
  { name: 'key-rekor-valid rejected with cosign.pub and rekor.pub (SET names another key)', layer: () => first(keyRekor), requirement: req([cosign], matchRepository, [rekor]), imageDigest: keyRekor.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/key-1@${keyRekor.manifestDigest ?? ''}`, code: 'REKOR_SET_INVALID', reason: /does not match/ },
  { name: 'key-rekor-valid rejected with the Red Hat key', layer: () => first(keyRekor), requirement: req([redHat], matchRepository), imageDigest: keyRekor.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/key-1@${keyRekor.manifestDigest ?? ''}`, code: 'UNTRUSTED_KEY' },
  // certificate-based signatures: REJECT under any PublicKey policy
  ...[cosign, cosign2, redHat].map((key): LayerCase => ({ name: `fulcio-rekor-valid rejected under ${key.name}`, layer: () => first(fulcio), requirement: req([key], matchRepository), imageDigest: fulcio.manifestDigest ?? '', intended: `192.168.64.2:5000/cosign-signed/fulcio-rekor-1@${fulcio.manifestDigest ?? ''}`, code: 'UNTRUSTED_KEY', reason: /certificate/ })),
  ...[cosign, cosign2, redHat].map((key): LayerCase => ({ name: `pki-valid rejected under ${key.name}`, layer: () => first(pki), requirement: req([key], matchRepository), imageDigest: pki.manifestDigest ?? '', intended: `localhost:5000/test@${pki.manifestDigest ?? ''}`, code: 'UNTRUSTED_KEY', reason: /certificate/ })),
  // unknown-cosign-key.signature: REJECT with cosign.pub, cosign2.pub, the Red Hat key
  ...[cosign, cosign2, redHat].map((key): LayerCase => ({
    name: `unknown-cosign-key.signature rejected under ${key.name}`,
    layer: () => readSignatureFile(join(CI, 'unknown-cosign-key.signature')),
    requirement: req([key], matchRepository),
    imageDigest: VALID_DIGEST,
    intended: `${SAMPLE}@${VALID_DIGEST}`,
    code: 'BAD_SIGNATURE',
  })),
];

describe('containers/image signature fixtures', () => {
  for (const c of layerCases) {
    it(`${c.name} -> ${c.code}`, () => {
      cases++;
      const verdict = verifySignatureLayer(c.layer(), c.requirement, { imageDigest: c.imageDigest, intended: ref(c.intended) });
      expect(verdict.code, verdict.reason).toBe(c.code);
      if (c.reason) expect(verdict.reason).toMatch(c.reason);
    });
  }

  it('valid-with-tag: the payload made by containers/image carries optional.creator and timestamp', () => {
    cases++;
    const verdict = verifySignatureLayer(first(withTag), req([cosign]), { imageDigest: VALID_DIGEST, intended: ref('192.168.64.2:5000/skopeo-signed:tag') });
    expect(verdict).toMatchObject({ code: 'VERIFIED', identity: '192.168.64.2:5000/skopeo-signed:tag' });
  });

  it('digest mismatches are found after the signature verified (crypto alone is OK)', () => {
    cases++;
    for (const dir of [modified, digestError, noManifest]) {
      const verdict = verifySignatureLayer(first(dir), req([cosign], matchRepository), { imageDigest: dir.manifestDigest ?? sha256Of(''), intended: ref(`${SAMPLE}@${dir.manifestDigest ?? sha256Of('')}`) });
      expect(verdict.code).toBe('DIGEST_MISMATCH');
      expect(verdict.signer).toContain('cosign.pub');
    }
    expect(noManifest.manifestDigest).toBeUndefined();
  });

  it('mixed: the image is accepted, by its second signature (any one suffices)', () => {
    cases++;
    const art = buildSigArtifact(mixed.signatures.map((s) => ({ mediaType: s.layer.mediaType, blob: s.layer.payload, annotations: { ...s.layer.annotations } })));
    const verdict = verifySignatureManifest({ manifest: served(art), blobs: art.blobs, context: { imageDigest: VALID_DIGEST, intended: ref(`${SAMPLE}@${VALID_DIGEST}`) }, trust: trustOf(req([cosign], matchRepository)) });
    expect(verdict.outcome).toBe('verified');
    expect(verdict.accepted?.index).toBe(1);
    expect(verdict.layers[0]?.code).toBe('BAD_SIGNATURE');
  });

  it('valid-2: the image with two valid signatures is accepted', () => {
    cases++;
    const art = buildSigArtifact(valid2.signatures.map((s) => ({ mediaType: s.layer.mediaType, blob: s.layer.payload, annotations: { ...s.layer.annotations } })));
    const verdict = verifySignatureManifest({ manifest: served(art), blobs: art.blobs, context: { imageDigest: VALID_DIGEST, intended: ref(`${SAMPLE}@${VALID_DIGEST}`) }, trust: trustOf(req([cosign], matchRepository)) });
    expect(verdict.outcome).toBe('verified');
    // the first accepted signature decides, as in containers/image; the second is not verified
    expect(verdict.layers.map((l) => l.code)).toEqual(['VERIFIED']);
    expect(art.layers).toHaveLength(2);
  });

  it('other-attachment: a .sig with only a text/plain layer has no signature', () => {
    cases++;
    const s = first(otherAttachment);
    const art = buildSigArtifact([{ mediaType: s.mediaType, blob: s.payload, annotations: { ...s.annotations } }]);
    const verdict = verifySignatureManifest({ manifest: served(art), blobs: art.blobs, context: { imageDigest: VALID_DIGEST, intended: ref(`${SAMPLE}@${VALID_DIGEST}`) }, trust: trustOf(req([cosign], matchRepository)) });
    expect(verdict).toMatchObject({ outcome: 'missing', code: 'NO_SIGNATURES' });
    expect(verdict.reason).toContain('1 sigstore non-signature attachment');
  });

  it('the manifests hash to the digests the README states', () => {
    cases++;
    expect(valid.manifestDigest).toBe(VALID_DIGEST);
    expect(keyRekor.manifestDigest?.slice(0, 19)).toBe('sha256:0489474da8ea');
    expect(fulcio.manifestDigest?.slice(0, 19)).toBe('sha256:0489474da8ea');
    expect(digestError.manifestDigest?.slice(0, 19)).toBe('sha256:dc6d2c1a204b');
    expect(modified.manifestDigest?.slice(0, 19)).toBe('sha256:d9dcafdb480a');
    expect(pki.manifestDigest?.slice(0, 19)).toBe('sha256:253c890b744f');
    for (const d of [mixed, valid2, withTag, otherAttachment]) expect(d.manifestDigest).toBe(VALID_DIGEST);
  });
});

describe('key fixtures', () => {
  it('cosign.pub, cosign2.pub and integration-cosign.pub are ECDSA P-256 keys', () => {
    cases++;
    for (const k of [cosign, cosign2, integration]) expect(k).toMatchObject({ algorithm: 'ecdsa', description: 'ECDSA P-256' });
  });

  it('rekor.pub: sha256 of its DER is the public-good Rekor log ID', () => {
    cases++;
    expect(rekor.fingerprint).toBe('sha256:c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d');
  });

  it('some-rsa-key.pub is RSA-4096 and not a valid Rekor key', () => {
    cases++;
    const key = fixtureKey(join(CI, 'some-rsa-key.pub'));
    expect(key.description).toBe('RSA-4096');
    const yaml = policyYaml({ keyData: readFileSync(join(CI, 'cosign.pub')), rekorKeyData: readFileSync(join(CI, 'some-rsa-key.pub')) });
    expect(() => parseImagePolicies(yaml, 'p.yaml')).toThrow(/not using ECDSA/);
  });

  it('fulcio_v1.crt.pem is a CA certificate, not usable as a PublicKey policy key', () => {
    cases++;
    let error: unknown;
    try {
      fixtureKey(join(CI, 'fulcio_v1.crt.pem'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SigcheckError);
    expect((error as SigcheckError).code).toBe('CONFIG');
    expect((error as SigcheckError).message).toContain('"CERTIFICATE"');
  });

  it('redhat-release-3-sigstore.pub is the baked-in Red Hat release key 3 (RSA-4096)', () => {
    cases++;
    const key = fixtureKey(join(SIGSTORE_FIXTURES, 'redhat-release-3-sigstore.pub'));
    expect(key.fingerprint).toBe(redHat.fingerprint);
    expect(key.description).toBe('RSA-4096');
    expect(readFileSync(join(SIGSTORE_FIXTURES, 'redhat-release-3-sigstore.pub'), 'utf8')).toBe(REDHAT_RELEASE_3_PEM);
  });
});

function policyYaml(keys: { keyData: Uint8Array; rekorKeyData?: Uint8Array }): string {
  return [
    'apiVersion: config.openshift.io/v1',
    'kind: ClusterImagePolicy',
    'metadata: {name: p}',
    'spec:',
    '  scopes: [quay.io/openshift-release-dev/ocp-release]',
    '  policy:',
    '    rootOfTrust:',
    '      policyType: PublicKey',
    '      publicKey:',
    `        keyData: ${Buffer.from(keys.keyData).toString('base64')}`,
    ...(keys.rekorKeyData ? [`        rekorKeyData: ${Buffer.from(keys.rekorKeyData).toString('base64')}`] : []),
  ].join('\n');
}

describe('oc-mirror captures', () => {
  const layouts = readOcMirrorLayouts();
  const repoOf = (name: string) => (name.startsWith('single-arch') ? 'quay.io/rh_ee_aguidi/empty-image' : 'quay.io/rh_ee_aguidi/multi-platform-container');

  it('the multi-platform manifests hash to their file names; the index lists the four others', () => {
    cases++;
    const dir = join(OC, 'multi-platform-container-manifests');
    const names = ['02f29c270f30416a266571383098d7b98a49488723087fd917128045bcd1ca75', '0de0e983a4980f32b1aad2d7f7f387cea2d4e9517b47f336cef27f63735911fa', '832f20ad3d7e687c581b0a7d483174901d8bf22bb96c981b3f9da452817a754e', 'b15a2f174d803fd5fd7db0b3969c75cee0fe9131e0d8478f8c70ac01a4534869', 'e033aa62f84267cf44de611acac2e76bfa4d2f0b6b2b61f1c4fecbefefde7159'];
    for (const n of names) expect(sha256Of(readFileSync(join(dir, n)))).toBe(`sha256:${n}`);
    const index = JSON.parse(readFileSync(join(dir, names[1] as string), 'utf8')) as { mediaType: string; manifests: { digest: string }[] };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m) => m.digest).sort()).toEqual(names.filter((_, i) => i !== 1).map((n) => `sha256:${n}`).sort());
  });

  for (const layout of layouts) {
    describe(layout.name, () => {
      const repo = repoOf(layout.name);
      it('is accepted with the key of its Rekor entry under matchRepository', async () => {
        cases++;
        const result = await verifySigstoreLayout(layout.dir, layout.digest, { trust: trustOf(req([layout.embeddedKey], matchRepository)), identityRepo: repo });
        expect(result.outcome, result.reason).toBe('verified');
        expect(result.identity).toBe(repo);
      });
      it('is accepted with a Rekor key configured: its SET verifies with rekor.pub', async () => {
        cases++;
        const result = await verifySigstoreLayout(layout.dir, layout.digest, { trust: trustOf(req([layout.embeddedKey], matchRepository, [rekor])), identityRepo: repo });
        expect(result.outcome, result.reason).toBe('verified');
      });
      it('is rejected under matchRepoDigestOrExact (name-only identity)', async () => {
        cases++;
        const result = await verifySigstoreLayout(layout.dir, layout.digest, { trust: trustOf(req([layout.embeddedKey])), identityRepo: repo });
        expect(result.outcome).toBe('invalid');
        expect(result.attempts?.[0]?.reason).toMatch(/^IDENTITY_MISMATCH: .*without a tag or digest/);
      });
      it('is rejected under the Red Hat key and the integration test key', async () => {
        cases++;
        for (const key of [redHat, integration]) {
          const result = await verifySigstoreLayout(layout.dir, layout.digest, { trust: trustOf(req([key], matchRepository)), identityRepo: repo });
          expect(result.outcome).toBe('invalid');
          expect(result.attempts?.[0]?.reason).toMatch(/^UNTRUSTED_KEY: .*Rekor entry/);
        }
      });
    });
  }

  /** The five layouts as one repository: each digest's `.sig` comes from its own layout. */
  class CompositeSource implements SigstoreSource {
    readonly repository = 'quay.io/rh_ee_aguidi/multi-platform-container';
    private readonly byDigest = new Map(layouts.filter((l) => l.name.startsWith('multi')).map((l) => [l.digest as string, new OciLayoutSource(l.dir)]));
    private last: OciLayoutSource | undefined;
    getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
      const source = this.byDigest.get(digest);
      this.last = source;
      return source ? source.getSignatureManifest(digest) : Promise.resolve({ kind: 'not-found', source: digest });
    }
    async getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>> {
      for (const source of this.byDigest.values()) {
        const r = await source.getBlob(digest, maxBytes);
        if (r.kind === 'found') return r;
      }
      return { kind: 'not-found', source: digest };
    }
    getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
      return Promise.resolve({ kind: 'not-found', source: digest });
    }
  }

  it('the multi-platform manifest list: every instance verified under its key with matchRepository', async () => {
    cases++;
    const key = layouts.find((l) => l.name.startsWith('multi'))?.embeddedKey as TrustedKey;
    const index = JSON.parse(readFileSync(join(OC, 'multi-platform-container-manifests', '0de0e983a4980f32b1aad2d7f7f387cea2d4e9517b47f336cef27f63735911fa'), 'utf8')) as { manifests: { digest: Digest; platform: { architecture: string } }[] };
    const image = { digest: 'sha256:0de0e983a4980f32b1aad2d7f7f387cea2d4e9517b47f336cef27f63735911fa' as Digest, instances: index.manifests.map((m) => ({ digest: m.digest, arch: m.platform.architecture })) };
    const ok = await checkSigstore(image, { source: new CompositeSource(), trust: trustOf(req([key], matchRepository)), identityRepo: 'quay.io/rh_ee_aguidi/multi-platform-container' });
    expect(ok.outcome, ok.reason).toBe('verified');
    expect(ok.instances?.map((i) => i.outcome)).toEqual(['verified', 'verified', 'verified', 'verified']);
    expect(ok.reason).toContain("the manifest list's own signature (not required): verified");
    const bad = await checkSigstore(image, { source: new CompositeSource(), trust: trustOf(req([key])), identityRepo: 'quay.io/rh_ee_aguidi/multi-platform-container' });
    expect(bad.outcome).toBe('invalid');
    expect(bad.reason).toContain('4 of 4 instances');
    for (const m of index.manifests) expect(bad.reason).toContain(`${m.digest} (${m.platform.architecture}) invalid`);
  });
});

describe('every fixture is rejected under the default trust (Red Hat release key 3)', () => {
  it('no containers/image signature and no oc-mirror capture verifies', async () => {
    cases++;
    const trust = await loadSigstoreTrust({ releaseRepo: 'quay.io/openshift-release-dev/ocp-release' });
    const requirement = trust.requirements[0] as SigstoreRequirement;
    expect(requirement.keys.map((k) => k.fingerprint)).toEqual([redHat.fingerprint]);
    let checked = 0;
    for (const dir of [valid, valid2, withTag, mixed, modified, digestError, noManifest, otherAttachment, keyRekor, fulcio, pki]) {
      for (const { layer } of dir.signatures) {
        for (const rule of [requirement.identity, matchRepository]) {
          const verdict = verifySignatureLayer(layer, { ...requirement, identity: rule }, { imageDigest: VALID_DIGEST, intended: withDigest(ref(SAMPLE), VALID_DIGEST) });
          expect(verdict.code).not.toBe('VERIFIED');
          checked++;
        }
      }
    }
    const unknown = verifySignatureLayer(readSignatureFile(join(CI, 'unknown-cosign-key.signature')), requirement, { imageDigest: VALID_DIGEST, intended: ref(`${SAMPLE}@${VALID_DIGEST}`) });
    expect(unknown.code).toBe('BAD_SIGNATURE');
    for (const layout of readOcMirrorLayouts()) {
      const result = await verifySigstoreLayout(layout.dir, layout.digest, { trust, identityRepo: 'quay.io/openshift-release-dev/ocp-release' });
      expect(result.outcome).toBe('invalid');
      checked++;
    }
    expect(checked).toBe(2 * 13 + 6);
  });
});
