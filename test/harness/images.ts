/**
 * Tiny OCI images for tests, made in memory: one gzipped tar layer, a config that names an
 * architecture, a manifest; a manifest list of four platforms; a cosign-like `.sig` manifest whose
 * layers are plain bytes (this harness tests fetching, not verification). They can be written as
 * an OCI layout (for `skopeo copy`, skopeo.ts) or pushed through the distribution HTTP API (for bulk
 * loading hundreds of releases).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export type Digest = `sha256:${string}`;

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const COSIGN_SIMPLESIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

export interface Blob {
  mediaType: string;
  digest: Digest;
  bytes: Uint8Array;
}

export interface BuiltImage {
  kind: 'image';
  mediaType: string;
  manifest: Uint8Array;
  digest: Digest;
  config: Blob;
  layers: Blob[];
  /** The architecture the config names (GOARCH style: amd64, arm64, s390x, ppc64le). */
  arch: string;
}

export interface BuiltIndex {
  kind: 'index';
  mediaType: string;
  manifest: Uint8Array;
  digest: Digest;
  images: BuiltImage[];
}

export function sha256(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function blob(mediaType: string, bytes: Uint8Array | string): Blob {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { mediaType, digest: sha256(b), bytes: b };
}

/** A one-file ustar archive (512-byte header, content, padding, two zero blocks). */
export function tarOneFile(name: string, content: Uint8Array): Uint8Array {
  const header = Buffer.alloc(512, 0);
  header.write(name.slice(0, 99), 0, 'ascii');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(content.byteLength.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  header.write('00000000000\0', 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  const padded = Math.ceil(content.byteLength / 512) * 512;
  const out = Buffer.alloc(512 + padded + 1024, 0);
  header.copy(out, 0);
  Buffer.from(content).copy(out, 512);
  return out;
}

/** A ustar archive of several files (each as tarOneFile writes it, one end-of-archive marker). */
export function tarManyFiles(files: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const parts = files.map(([name, content]) => tarOneFile(name, content)).map((t) => t.subarray(0, t.byteLength - 1024));
  return Buffer.concat([...parts, Buffer.alloc(1024, 0)]);
}

/**
 * The version a seed names: `4.50.0-x86_64` and `4.50.5-multi/arm64` are releases 4.50.0 and 4.50.5
 * (the second an instance of a multi release); any other seed is its own version if it is one.
 */
function seedRelease(seed: string): { version: string; multi: boolean } {
  const m = /^(\d+\.\d+\.\d+(?:-(?:rc|ec|fc)\.\d+)?)(?:-(x86_64|aarch64|s390x|ppc64le|multi))?(?:\/.*)?$/.exec(seed);
  return m ? { version: m[1] as string, multi: m[2] === 'multi' } : { version: '0.0.0', multi: false };
}

/**
 * A single-arch image whose config says `architecture: arch`; `seed` makes it unique. Its one layer is
 * a release payload's manifests layer: release-metadata naming the version the seed names (`multi`
 * for an instance of a multi release), and an image-references ImageStream without components.
 */
export function buildImage(options: { arch: string; seed: string; version?: string }): BuiltImage {
  const release = seedRelease(options.seed);
  const metadata = { kind: 'cincinnati-metadata-v0', version: options.version ?? release.version, previous: [], metadata: release.multi ? { 'release.openshift.io/architecture': 'multi' } : {}, seed: options.seed };
  const references = { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name: metadata.version }, spec: { tags: [] } };
  const tar = tarManyFiles([
    ['release-manifests/image-references', new TextEncoder().encode(JSON.stringify(references))],
    ['release-manifests/release-metadata', new TextEncoder().encode(JSON.stringify(metadata))],
  ]);
  const layer = blob(OCI_LAYER_GZIP, gzipSync(tar, { level: 1 }));
  const config = blob(
    OCI_CONFIG,
    JSON.stringify({
      architecture: options.arch,
      os: 'linux',
      config: { Labels: { 'io.openshift.release': options.seed } },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.bytes.byteLength },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.bytes.byteLength }],
    }),
  );
  return { kind: 'image', mediaType: OCI_MANIFEST, manifest, digest: sha256(manifest), config, layers: [layer], arch: options.arch };
}

export const RELEASE_ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le'] as const;

/** A manifest list of one image per architecture, as a multi release is. */
export function buildIndex(options: { seed: string; arches?: readonly string[] }): BuiltIndex {
  const images = (options.arches ?? RELEASE_ARCHES).map((arch) => buildImage({ arch, seed: `${options.seed}/${arch}` }));
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map((img) => ({ mediaType: img.mediaType, digest: img.digest, size: img.manifest.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
    }),
  );
  return { kind: 'index', mediaType: OCI_INDEX, manifest, digest: sha256(manifest), images };
}

export interface BuiltSig {
  manifest: Uint8Array;
  digest: Digest;
  config: Blob;
  layers: Blob[];
}

/** A `.sig`-shaped manifest: simple-signing layers holding the given bytes, with a signature annotation. */
export function buildSigManifest(payloads: Array<Uint8Array | string>): BuiltSig {
  const layers = payloads.map((p) => blob(COSIGN_SIMPLESIGNING, p));
  const config = blob(OCI_CONFIG, JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }));
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.bytes.byteLength },
      layers: layers.map((l, i) => ({
        mediaType: l.mediaType,
        digest: l.digest,
        size: l.bytes.byteLength,
        annotations: { 'dev.cosignproject.cosign/signature': Buffer.from(`not-a-signature-${i}`).toString('base64') },
      })),
    }),
  );
  return { manifest, digest: sha256(manifest), config, layers };
}

/** Writes an OCI image layout with the image or index tagged `ref` (for `oci:<dir>:<ref>`). */
export async function writeOciLayout(dir: string, built: BuiltImage | BuiltIndex, ref = 'latest'): Promise<void> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = (digest: Digest, bytes: Uint8Array) => writeFile(join(blobs, digest.slice('sha256:'.length)), bytes);
  const images = built.kind === 'index' ? built.images : [built];
  for (const img of images) {
    await put(img.config.digest, img.config.bytes);
    for (const l of img.layers) await put(l.digest, l.bytes);
    await put(img.digest, img.manifest);
  }
  if (built.kind === 'index') await put(built.digest, built.manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: built.mediaType, digest: built.digest, size: built.manifest.byteLength, annotations: { 'org.opencontainers.image.ref.name': ref } }],
    }),
  );
}

/** Pushes through the distribution API (blob upload: POST then PUT; manifest: PUT). */
export class HttpPusher {
  private readonly base: string;
  private readonly repo: string;
  private readonly authorization: string | undefined;
  private readonly pushedBlobs = new Set<string>();

  constructor(registryUrl: string, repo: string, authorization?: string) {
    this.base = registryUrl.replace(/\/+$/, '');
    this.repo = repo;
    this.authorization = authorization;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.authorization ? { authorization: this.authorization, ...extra } : extra;
  }

  async blob(b: Blob): Promise<void> {
    if (this.pushedBlobs.has(b.digest)) return;
    const start = await fetch(`${this.base}/v2/${this.repo}/blobs/uploads/`, { method: 'POST', headers: this.headers() });
    await start.arrayBuffer();
    if (start.status !== 202) throw new Error(`blob upload start for ${b.digest}: ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', b.digest);
    const put = await fetch(location, { method: 'PUT', body: b.bytes, headers: this.headers({ 'content-type': 'application/octet-stream' }) });
    const text = await put.text();
    if (put.status !== 201) throw new Error(`blob upload of ${b.digest}: ${put.status} ${text}`);
    this.pushedBlobs.add(b.digest);
  }

  async manifest(bytes: Uint8Array, mediaType: string, reference: string): Promise<Digest> {
    const res = await fetch(`${this.base}/v2/${this.repo}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: this.headers({ 'content-type': mediaType }) });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`manifest PUT ${reference}: ${res.status} ${text}`);
    return sha256(bytes);
  }

  async image(img: BuiltImage, tag?: string): Promise<Digest> {
    await this.blob(img.config);
    for (const l of img.layers) await this.blob(l);
    return this.manifest(img.manifest, img.mediaType, tag ?? img.digest);
  }

  async index(idx: BuiltIndex, tag: string): Promise<Digest> {
    for (const img of idx.images) await this.image(img);
    return this.manifest(idx.manifest, idx.mediaType, tag);
  }

  /** Pushes a `.sig` manifest for `digest` as tag `sha256-<hex>.sig`. */
  async sig(forDigest: Digest, sig: BuiltSig): Promise<Digest> {
    await this.blob(sig.config);
    for (const l of sig.layers) await this.blob(l);
    return this.manifest(sig.manifest, OCI_MANIFEST, `sha256-${forDigest.slice('sha256:'.length)}.sig`);
  }
}
