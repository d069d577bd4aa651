/**
 * OCI image layouts holding `.sig` artifacts (skopeo style with ref names, oc-mirror style without),
 * read as a SigstoreSource and verified offline.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { OciLayoutSource, verifySigstoreLayout } from '../../src/sigstore/layout.ts';
import type { SigstoreTrust } from '../../src/sigstore/policy.ts';
import { buildBundleReferrer, buildSigArtifact, generateP256Key, sha256, sigTag, signLayer, writeSigLayout } from '../harness/cosign.ts';

const R = 'quay.io/openshift-release-dev/ocp-release';
const key = generateP256Key('layout key');
const trust: SigstoreTrust = { releaseRepo: R, requirements: [{ origin: 'test', scope: R, keys: [key.trusted], identity: { type: 'matchRepoDigestOrExact' } }] };
const D = sha256('layout image') as Digest;
const sigFor = (digest: string, identity = `${R}@${digest}`) => buildSigArtifact([signLayer({ identity, digest, key })]);

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sigcheck-layout-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const newDir = () => join(root, `layout-${++n}`);

describe('verifySigstoreLayout', () => {
  it('a skopeo-style layout (ref name sha256-<hex>.sig) verifies', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D), refName: sigTag(D) }]);
    const r = await verifySigstoreLayout(dir, D, { trust, identityRepo: R });
    expect(r.outcome, r.reason).toBe('verified');
    expect(r.reason).toContain(`oci:${dir}:${sigTag(D)}`);
  });

  it('a ref name that is a full reference ending in :sha256-<hex>.sig is found', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(sha256('other') as string), refName: 'other' }, { artifact: sigFor(D), refName: `${R}:${sigTag(D)}` }]);
    expect((await verifySigstoreLayout(dir, D, { trust, identityRepo: R })).outcome).toBe('verified');
  });

  it('an oc-mirror-style layout (one manifest, no ref name) is used, and its payload must sign the digest', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D) }]);
    expect((await verifySigstoreLayout(dir, D, { trust, identityRepo: R })).outcome).toBe('verified');
    const other = sha256('not this image') as Digest;
    const r = await verifySigstoreLayout(dir, other, { trust, identityRepo: R });
    expect(r.outcome).toBe('invalid');
    expect(r.attempts?.[0]?.reason).toMatch(/^DIGEST_MISMATCH: /);
  });

  it('missing when no entry is the .sig of the digest', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D), refName: 'latest' }]);
    const r = await verifySigstoreLayout(dir, D, { trust, identityRepo: R });
    expect(r.outcome).toBe('missing');
    const two = newDir();
    await writeSigLayout(two, [{ artifact: sigFor(D) }, { artifact: sigFor(sha256('x')) }]);
    expect((await verifySigstoreLayout(two, D, { trust, identityRepo: R })).outcome).toBe('missing');
  });

  it('a bundle referrer in the layout is named when there is no .sig', async () => {
    const dir = newDir();
    const bundle = buildBundleReferrer({ digest: D, size: 100 });
    await writeSigLayout(dir, [{ artifact: bundle, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', refName: 'bundle' }]);
    const r = await verifySigstoreLayout(dir, D, { trust, identityRepo: R });
    expect(r.outcome).toBe('missing');
    expect(r.reason).toContain(`found Sigstore bundle referrer ${bundle.digest}`);
  });

  it('a manifest list whose instance signatures are all in the layout', async () => {
    const list = sha256('list') as Digest;
    const instances = ['amd64', 'arm64'].map((arch) => ({ digest: sha256(arch) as Digest, arch }));
    const dir = newDir();
    await writeSigLayout(dir, instances.map((i) => ({ artifact: sigFor(i.digest), refName: sigTag(i.digest) })));
    const r = await verifySigstoreLayout(dir, { digest: list, instances }, { trust, identityRepo: R });
    expect(r.outcome).toBe('verified');
    expect(r.instances?.map((i) => i.outcome)).toEqual(['verified', 'verified']);
  });

  it('not a layout: error, naming the directory', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D) }]);
    await rm(join(dir, 'oci-layout'));
    const r = await verifySigstoreLayout(dir, D, { trust, identityRepo: R });
    expect(r).toMatchObject({ outcome: 'error', reason: expect.stringContaining(`${dir} is not an OCI image layout`) });
    const nothing = await verifySigstoreLayout(join(root, 'does-not-exist'), D, { trust, identityRepo: R });
    expect(nothing.outcome).toBe('error');
  });

  it('a corrupt blob and a missing layer blob are invalid with the layer\'s code: CRI-O rejects them on every read', async () => {
    const art = sigFor(D);
    const layerDigest = art.layers[0]?.digest as string;
    const corrupt = newDir();
    await writeSigLayout(corrupt, [{ artifact: art, refName: sigTag(D) }]);
    await writeFile(join(corrupt, 'blobs', 'sha256', layerDigest.slice(7)), 'tampered');
    const c = await verifySigstoreLayout(corrupt, D, { trust, identityRepo: R });
    expect(c).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/does not hash to its descriptor digest, on two reads.*hashes to sha256:[0-9a-f]{64}, not sha256:.*the layout is corrupt/) });
    const missing = newDir();
    await writeSigLayout(missing, [{ artifact: art, refName: sigTag(D) }]);
    await rm(join(missing, 'blobs', 'sha256', layerDigest.slice(7)));
    expect((await verifySigstoreLayout(missing, D, { trust, identityRepo: R })).outcome).toBe('invalid');
  });

  it('a layer blob over 4 MiB is not read, and makes the .sig invalid as CRI-O rejects it', async () => {
    const dir = newDir();
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    const art = buildSigArtifact([signLayer({ identity: `${R}@${D}`, digest: D, key }), { mediaType: 'application/octet-stream', blob: big, annotations: {} }]);
    await writeSigLayout(dir, [{ artifact: art, refName: sigTag(D) }]);
    const r = await verifySigstoreLayout(dir, D, { trust, identityRepo: R });
    expect(r).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/over CRI-O's 4194304-byte limit.*over the 4194304-byte limit/) });
  });

  it('takes the media type from the manifest when the index entry has none', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D), refName: sigTag(D) }]);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { mediaType?: string }[] };
    delete index.manifests[0]?.mediaType;
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    expect((await verifySigstoreLayout(dir, D, { trust, identityRepo: R })).outcome).toBe('verified');
  });
});

describe('OciLayoutSource', () => {
  it('validates digests before building paths', async () => {
    const dir = newDir();
    await writeSigLayout(dir, [{ artifact: sigFor(D), refName: sigTag(D) }]);
    const src = new OciLayoutSource(dir);
    for (const evil of ['sha256:../../../../etc/passwd', `sha256:${'A'.repeat(64)}`, '../oci-layout']) {
      const r = await src.getBlob(evil as Digest, 1024);
      expect(r).toMatchObject({ kind: 'error', reason: 'not a sha256 digest' });
    }
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:../../x', annotations: { 'org.opencontainers.image.ref.name': sigTag(D) } }] }));
    expect(await src.getSignatureManifest(D)).toMatchObject({ kind: 'error', reason: expect.stringMatching(/not a sha256 digest/) });
  });

  it('reads blobs within the cap, hash-checked; a missing blob is not-found', async () => {
    const dir = newDir();
    const art = sigFor(D);
    await writeSigLayout(dir, [{ artifact: art, refName: sigTag(D) }]);
    const src = new OciLayoutSource(dir);
    const found = await src.getBlob(art.configDigest, 1 << 20);
    expect(found.kind === 'found' && Buffer.from(found.value).equals(Buffer.from(art.config))).toBe(true);
    expect((await src.getBlob(art.configDigest, 10)).kind).toBe('error');
    expect((await src.getBlob(sha256('absent'), 10)).kind).toBe('not-found');
  });
});
