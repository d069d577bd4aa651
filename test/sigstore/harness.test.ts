/**
 * The cosign harness itself: byte compatibility with real cosign output (the `.sig` manifests oc-mirror
 * captured from quay.io), and the way out to a real registry (Debian's docker-registry on 127.0.0.1)
 * and back into an OCI layout through the real skopeo.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { verifySigstoreLayout } from '../../src/sigstore/layout.ts';
import type { SigstoreTrust } from '../../src/sigstore/policy.ts';
import {
  OCI_MANIFEST,
  buildBundleReferrer,
  buildSigArtifact,
  cosignConfig,
  cosignPayload,
  generateP256Key,
  generateRsaKey,
  goJsonString,
  pushArtifact,
  pushSig,
  sha256,
  sigTag,
  signLayer,
} from '../harness/cosign.ts';
import { buildImage, HttpPusher } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { readOcMirrorLayouts } from './fixtures.ts';

const run = promisify(execFile);

describe('byte compatibility with cosign (oc-mirror captures from quay.io)', () => {
  const layouts = readOcMirrorLayouts();
  it('has the six captures', () => {
    expect(layouts).toHaveLength(6);
  });
  for (const layout of layouts) {
    it(`${layout.name}: payload, config and manifest rebuilt byte for byte`, () => {
      const parsed = JSON.parse(Buffer.from(layout.payload).toString('utf8')) as { critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string } }; optional: Record<string, unknown> | null };
      const payload = cosignPayload(parsed.critical.identity['docker-reference'], parsed.critical.image['docker-manifest-digest'], parsed.optional);
      expect(Buffer.from(payload).equals(Buffer.from(layout.payload))).toBe(true);
      expect(sha256(payload)).toBe(layout.layer.digest);
      expect(Buffer.from(cosignConfig([layout.layer.digest])).equals(Buffer.from(layout.config))).toBe(true);
      const rebuilt = buildSigArtifact([{ mediaType: layout.layer.mediaType, blob: payload, annotations: layout.layer.annotations }]);
      expect(Buffer.from(rebuilt.manifest).toString('utf8')).toBe(Buffer.from(layout.manifest).toString('utf8'));
      expect(rebuilt.digest).toBe(layout.manifestDigest);
    });
  }

  it("escapes strings as Go's encoding/json does", () => {
    expect(goJsonString('a<b>&c\u2028"\\\n\u0001')).toBe('"a\\u003cb\\u003e\\u0026c\\u2028\\"\\\\\\n\\u0001"');
    expect(new TextDecoder().decode(cosignPayload('r', 'd', { b: 1, a: 'x' }))).toBe(
      '{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"cosign container image signature"},"optional":{"a":"x","b":1}}',
    );
  });

  it('builds a config with one history entry and one diff_id per layer (342 bytes for two layers, as cosign)', () => {
    expect(cosignConfig([sha256('a'), sha256('b')]).byteLength).toBe(342);
  });
});

describe('a registry on 127.0.0.1', () => {
  let registry: RegistryHarness;
  let work: string;
  const repo = 'openshift-release-dev/ocp-release';
  const rsa = generateRsaKey('registry RSA-4096');

  beforeAll(async () => {
    registry = await startRegistry();
    work = await makeTempDir('cosign-harness');
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('takes a .sig through blob upload (POST+PUT) and manifest PUT, and serves the same bytes back', async () => {
    const image = buildImage({ arch: 'amd64', seed: 'harness push' });
    const digest = await new HttpPusher(registry.url, repo).image(image, '4.99.0-x86_64');
    const art = buildSigArtifact([signLayer({ identity: `quay.io/${repo}@${digest}`, digest, key: rsa }), signLayer({ identity: `quay.io/${repo}:4.99.0-x86_64`, digest, key: rsa })]);
    expect(await pushSig(registry.url, repo, digest, art)).toBe(art.digest);
    const res = await fetch(`${registry.url}/v2/${repo}/manifests/${sigTag(digest)}`, { headers: { accept: OCI_MANIFEST } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(res.headers.get('docker-content-digest')).toBe(art.digest);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(art.manifest))).toBe(true);
    for (const [blobDigest, bytes] of art.blobs) {
      const blob = await fetch(`${registry.url}/v2/${repo}/blobs/${blobDigest}`);
      expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('skopeo copies the pushed .sig into an OCI layout that verifies offline', async () => {
    const image = buildImage({ arch: 'arm64', seed: 'skopeo layout' });
    const digest = (await new HttpPusher(registry.url, repo).image(image, '4.99.0-aarch64')) as Digest;
    const art = buildSigArtifact([signLayer({ identity: `quay.io/${repo}@${digest}`, digest, key: rsa })]);
    await pushSig(registry.url, repo, digest, art);
    const policy = join(work, 'policy.json');
    await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const authFile = join(work, 'auth.json');
    await writeFile(authFile, '{"auths":{}}');
    const layout = join(work, 'layout');
    await run('/usr/bin/skopeo', ['--policy', policy, 'copy', '--quiet', '--src-tls-verify=false', '--src-no-creds', `docker://${registry.host}/${repo}:${sigTag(digest)}`, `oci:${layout}:${sigTag(digest)}`], {
      env: { ...process.env, REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: work },
      timeout: 60_000,
    });
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
    expect(index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name']).toBe(sigTag(digest));
    expect(index.manifests[0]?.digest).toBe(art.digest);
    const trust: SigstoreTrust = { releaseRepo: `quay.io/${repo}`, requirements: [{ origin: 'test', scope: `quay.io/${repo}`, keys: [rsa.trusted], identity: { type: 'matchRepoDigestOrExact' } }] };
    const result = await verifySigstoreLayout(layout, digest, { trust, identityRepo: `quay.io/${repo}` });
    expect(result.outcome, result.reason).toBe('verified');
    const wrongKey = await verifySigstoreLayout(layout, digest, { trust: { ...trust, requirements: [{ ...trust.requirements[0]!, keys: [generateP256Key().trusted] }] }, identityRepo: `quay.io/${repo}` });
    expect(wrongKey.outcome).toBe('invalid');
  });

  it('takes a bundle-only referrer manifest (with subject) and a Docker media type .sig', async () => {
    const image = buildImage({ arch: 's390x', seed: 'bundle only' });
    const digest = await new HttpPusher(registry.url, repo).image(image, '4.99.0-s390x');
    const bundle = buildBundleReferrer({ digest, size: image.manifest.byteLength });
    expect(await pushArtifact(registry.url, repo, bundle.digest, bundle)).toBe(bundle.digest);
    const docker = buildSigArtifact([signLayer({ identity: `quay.io/${repo}@${digest}`, digest, key: generateP256Key() })], { dockerMediaTypes: true });
    await pushSig(registry.url, repo, digest, docker);
    const res = await fetch(`${registry.url}/v2/${repo}/manifests/${sigTag(digest)}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    expect(res.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.v2+json');
    await res.arrayBuffer();
  });

  it('refuses to push anywhere but http://127.0.0.1', async () => {
    const art = buildSigArtifact([]);
    await expect(pushArtifact('http://localhost:5000', repo, 'x', art)).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(pushArtifact('https://127.0.0.1:5000', repo, 'x', art)).rejects.toThrow(/127\.0\.0\.1 only/);
  });
});
