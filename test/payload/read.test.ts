/**
 * Reading release payloads as ART lays them out: over Debian's docker-registry (with a fault proxy in
 * front for the 20% faults case), and over the in-process registry for what distribution will not
 * store (a layer of an unknown media type, a blob that does not hash to its digest, corrupt gzip).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { RegistryPayloadSource } from '../../src/payload/fetch.ts';
import { readPayload, type PayloadReadOptions } from '../../src/payload/read.ts';
import { listenOnLoopback, MemoryRegistry } from '../../src/demo/servers.ts';
import { HttpPusher, OCI_CONFIG, OCI_MANIFEST, sha256, type BuiltImage } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildMultiPayload, buildPayload, tarFiles, type ComponentSpec } from '../harness/payload.ts';

const REPO = 'openshift-release-dev/ocp-release';
const ART4 = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
const ART5 = 'quay.io/openshift-release-dev/ocp-v5.0-art-dev';
const components: ComponentSpec[] = [
  { name: 'machine-config-operator', reference: `${ART4}@sha256:${'1'.repeat(64)}` },
  { name: 'cluster-version-operator', reference: `${ART4}@sha256:${'2'.repeat(64)}` },
  { name: 'installer', reference: `${ART5}@sha256:${'3'.repeat(64)}` },
  { name: 'by-tag', reference: `${ART4}:latest` },
];

const OPTIONS: PayloadReadOptions = { maxDownloadBytes: 64 * 1024 * 1024, maxUnpackedBytes: 256 * 1024 * 1024, retries: 4, sleep: async () => undefined };

let registry: RegistryHarness;
let proxy: FaultProxy;
let http: HttpClient;
let client: RegistryClient;
let payload: BuiltImage;

function sourceAt(base: string) {
  return new RegistryPayloadSource(client, parseRepository(`${base}/${REPO}`));
}

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy({ target: registry.url, seed: 12, rate: 0 });
  http = new HttpClient({ retry: { retries: 6, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 3000 });
  client = new RegistryClient(http, new RegistryAuth(http, CredentialStore.empty()));
  payload = await buildPayload({ version: '4.99.0', arch: 'amd64', components, baseBytes: 256 * 1024 });
  await new HttpPusher(registry.url, REPO).image(payload, '4.99.0-x86_64');
}, 60_000);

afterAll(async () => {
  await http?.close();
  await proxy?.stop();
  await registry?.stop();
});

describe('readPayload over docker-registry', () => {
  it('reads release-metadata, image-references, the keys ConfigMap and the policy from the top layer, and no base layer', async () => {
    proxy.resetCounts();
    const read = await readPayload({ digest: payload.digest }, sourceAt(proxy.url), OPTIONS);
    expect(read.kind === 'read' ? 'read' : JSON.stringify(read)).toBe('read');
    if (read.kind !== 'read') return;
    const c = read.contents;
    expect(c.metadata).toMatchObject({ kind: 'cincinnati-metadata-v0', version: '4.99.0' });
    expect(c.configArch).toBe('amd64');
    expect(c.layer).toEqual({ index: 2, digest: payload.layers[2]!.digest });
    expect(c.components?.map((x) => [x.name, x.repository, x.digest])).toEqual([
      ['machine-config-operator', ART4, `sha256:${'1'.repeat(64)}`],
      ['cluster-version-operator', ART4, `sha256:${'2'.repeat(64)}`],
      ['installer', ART5, `sha256:${'3'.repeat(64)}`],
    ]);
    expect(c.unreadable).toEqual([{ name: 'by-tag', reference: `${ART4}:latest`, reason: expect.stringMatching(/not pulled by digest/) }]);
    expect(c.updateKeys?.path).toBe('release-manifests/0000_90_cluster-update-keys_configmap.yaml');
    expect(c.updateKeys?.text).toContain('verifier-public-key-redhat');
    expect(c.imagePolicies.map((p) => p.path)).toEqual(['release-manifests/0000_90_openshift-cluster-image-policy.yaml']);
    // manifest, config, the manifests layer: the two base layers are never downloaded.
    expect(proxy.total()).toBe(3);
  });

  it('gives the same contents with 20% of the requests failing (500, 502, 503, 429, resets, stalls, bodies cut off halfway)', async () => {
    const clean = await readPayload({ digest: payload.digest }, sourceAt(proxy.url), OPTIONS);
    proxy.configure({ rate: 0.2 });
    try {
      for (let i = 0; i < 5; i++) {
        const faulty = await readPayload({ digest: payload.digest }, sourceAt(proxy.url), OPTIONS);
        expect(faulty).toEqual(clean);
      }
      expect(proxy.faultCount()).toBeGreaterThan(0);
    } finally {
      proxy.configure({ rate: 0 });
    }
  }, 60_000);

  it('reads the first instance of a manifest list', async () => {
    const list = await buildMultiPayload({ version: '4.99.0', components: (arch) => [{ name: 'cli', reference: `${ART4}@${sha256(`cli/${arch}`)}` }] });
    await new HttpPusher(registry.url, REPO).index(list, '4.99.0-multi');
    const read = await readPayload({ digest: list.digest, instances: list.images.map((i) => ({ digest: i.digest, arch: i.arch })) }, sourceAt(registry.url), OPTIONS);
    expect(read.kind === 'read' && read.contents).toMatchObject({ digest: list.digest, manifest: list.images[0]!.digest, configArch: 'amd64', metadata: { metadata: { 'release.openshift.io/architecture': 'multi' } } });
    expect(read.kind === 'read' && read.contents.components?.[0]?.digest).toBe(sha256('cli/amd64'));
  });

  it('is invalid when no layer holds release-manifests/, after reading every layer', async () => {
    const none = await buildPayload({ version: '4.99.7', arch: 'amd64', components, noManifests: true });
    await new HttpPusher(registry.url, REPO).image(none, '4.99.7-x86_64');
    const read = await readPayload({ digest: none.digest }, sourceAt(registry.url), OPTIONS);
    expect(read).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_NO_MANIFESTS' });
    expect(read.kind === 'invalid' && read.reason).toContain('not a release payload');
  });

  it('is invalid, not error, when the manifests layer is over the download cap or unpacks over the unpacked cap', async () => {
    const big = await buildPayload({ version: '4.99.8', arch: 'amd64', components, manifestsFiller: 3 * 1024 * 1024 });
    await new HttpPusher(registry.url, REPO).image(big, '4.99.8-x86_64');
    const download = await readPayload({ digest: big.digest }, sourceAt(registry.url), { ...OPTIONS, maxDownloadBytes: 1024 * 1024 });
    expect(download).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_TOO_LARGE' });
    expect(download.kind === 'invalid' && download.reason).toMatch(/over the payload download cap of 1 MiB\. Raise --payload-max-download/);
    const unpacked = await readPayload({ digest: big.digest }, sourceAt(registry.url), { ...OPTIONS, maxUnpackedBytes: 1024 * 1024 });
    expect(unpacked).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_TOO_LARGE' });
    expect(unpacked.kind === 'invalid' && unpacked.reason).toMatch(/unpacked cap.*--payload-max-unpacked/);
    // The same twice: a verdict, not a hiccup.
    expect(await readPayload({ digest: big.digest }, sourceAt(registry.url), { ...OPTIONS, maxUnpackedBytes: 1024 * 1024 })).toEqual(unpacked);
  });
});

describe('readPayload over a registry that serves what distribution refuses', () => {
  let memory: MemoryRegistry;
  let server: Awaited<ReturnType<typeof listenOnLoopback>>;
  beforeAll(async () => {
    memory = new MemoryRegistry();
    server = await listenOnLoopback(memory);
  });
  afterAll(async () => server?.close());

  const put = (img: BuiltImage, layerBytes?: (digest: string) => Uint8Array) => {
    memory.putBlob(REPO, img.config.digest, Buffer.from(img.config.bytes));
    for (const l of img.layers) memory.putBlob(REPO, l.digest, Buffer.from(layerBytes?.(l.digest) ?? l.bytes));
    memory.putManifest(REPO, [], { mediaType: img.mediaType, bytes: Buffer.from(img.manifest), digest: img.digest });
  };

  const withTopLayer = async (mediaType: string, bytes: Uint8Array): Promise<BuiltImage> => {
    const base = await buildPayload({ version: '4.99.9', arch: 'amd64', components });
    const top = { mediaType, digest: sha256(bytes), bytes };
    const layers = [...base.layers.slice(0, 2), top];
    const manifest = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, digest: base.config.digest, size: base.config.bytes.byteLength }, layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.bytes.byteLength })) }));
    return { ...base, layers, manifest, digest: sha256(manifest) };
  };

  it('refuses a layer of an unknown media type with PAYLOAD_MEDIA_TYPE', async () => {
    const img = await withTopLayer('application/vnd.example.layer.v1.tar+lz4', new Uint8Array([1, 2, 3]));
    put(img);
    const read = await readPayload({ digest: img.digest }, sourceAt(server.url), OPTIONS);
    expect(read).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_MEDIA_TYPE' });
  });

  it('reads uncompressed and zstd layers like gzip ones', async () => {
    const { zstdCompressSync } = await import('node:zlib');
    const base = await buildPayload({ version: '4.99.9', arch: 'amd64', components });
    const manifestsTar = await tarFiles([
      { name: 'release-manifests/image-references', content: '{"kind":"ImageStream","apiVersion":"image.openshift.io/v1","spec":{"tags":[]}}' },
      { name: 'release-manifests/release-metadata', content: '{"kind":"cincinnati-metadata-v0","version":"4.99.9"}' },
    ]);
    for (const [mediaType, bytes] of [
      ['application/vnd.oci.image.layer.v1.tar', manifestsTar],
      ['application/vnd.oci.image.layer.v1.tar+zstd', zstdCompressSync(manifestsTar)],
    ] as const) {
      const img = await withTopLayer(mediaType, new Uint8Array(bytes));
      void base;
      put(img);
      const read = await readPayload({ digest: img.digest }, sourceAt(server.url), OPTIONS);
      expect(read.kind === 'read' && read.contents.metadata.version).toBe('4.99.9');
    }
  });

  it('is invalid with DIGEST_MISMATCH when a layer does not hash to its digest, read twice', async () => {
    const img = await buildPayload({ version: '4.99.10', arch: 'amd64', components });
    const top = img.layers[2]!.digest;
    put(img, (d) => (d === top ? gzipSync(Buffer.from('not the layer')) : img.layers.find((l) => l.digest === d)!.bytes));
    const read = await readPayload({ digest: img.digest }, sourceAt(server.url), OPTIONS);
    expect(read).toMatchObject({ kind: 'invalid', code: 'DIGEST_MISMATCH' });
    expect(read.kind === 'invalid' && read.reason).toContain('read twice');
  });

  it('is invalid with PAYLOAD_CORRUPT when a gzip layer is not gzip', async () => {
    const img = await withTopLayer('application/vnd.oci.image.layer.v1.tar+gzip', new TextEncoder().encode('this is not gzip at all, but it hashes to its digest'));
    put(img);
    const read = await readPayload({ digest: img.digest }, sourceAt(server.url), OPTIONS);
    expect(read).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_CORRUPT' });
  });

  it('does not read release-manifests entries that are symlinks, or names not exactly under release-manifests/', async () => {
    const tarBytes = await tarFiles([
      { name: './release-manifests/release-metadata', content: '{"kind":"cincinnati-metadata-v0","version":"9.9.9"}' },
      { name: 'release-manifests/image-references', content: 'x', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'release-manifests/release-metadata', content: '{"kind":"cincinnati-metadata-v0","version":"4.99.11"}' },
      { name: 'release-manifests/release-metadata', content: '{"kind":"cincinnati-metadata-v0","version":"4.99.12"}' },
    ]);
    const img = await withTopLayer('application/vnd.oci.image.layer.v1.tar+gzip', new Uint8Array(gzipSync(tarBytes)));
    put(img);
    const read = await readPayload({ digest: img.digest }, sourceAt(server.url), OPTIONS);
    // release-metadata is found (the first of the name), image-references is not (a symlink is no file).
    expect(read).toMatchObject({ kind: 'invalid', code: 'PAYLOAD_NO_MANIFESTS' });
    expect(read.kind === 'invalid' && read.reason).toContain('image-references');
  });
});
