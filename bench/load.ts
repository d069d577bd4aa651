/**
 * Loads signed releases into the bench registry and signature store, laid out as ART publishes them:
 *
 *   per version V, tags V-x86_64, V-aarch64, V-s390x, V-ppc64le (single-arch images) and V-multi
 *   (a manifest list of four more, distinct per-arch instances);
 *   OpenPGP: `sha256=<hex>/signature-1` in the store for each single-arch image and for the list
 *   (the CVO checks the list digest of a multi release), identity `<repo>:<tag>`;
 *   Sigstore: a `sha256-<hex>.sig` tag for each single-arch image and each instance, with two
 *   simple-signing layers (identity `<repo>@<digest>`, then `<repo>:<tag>`), as ART signs every
 *   manifest twice; the list itself has no `.sig`, as ART does not sign it (research/sigstore.md 1.6).
 *
 * Fast enough for 6,000 nodes: images share one config and one layer blob per architecture (the
 * version goes into a manifest annotation, which keeps each digest distinct), pushes go straight to
 * the registry over a keep-alive pool (not through the delay proxy), and signing runs in worker
 * threads (signing.ts).
 */
import { gzipSync } from 'node:zlib';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import type { MemoryRegistry } from '../src/demo/servers.ts';
import { buildSigArtifact, cosignPayload, SIGNATURE_ANNOTATION, SIMPLE_SIGNING, type SigArtifact } from '../test/harness/cosign.ts';
import { simpleSigningPayload } from '../test/harness/gpg.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST, sha256, tarOneFile, type Digest } from '../test/harness/images.ts';
import type { SigningPool } from './signing.ts';

export const BENCH_REPO = 'openshift-release-dev/ocp-release';
export const SINGLE_ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le'] as const;
export type SingleArch = (typeof SINGLE_ARCHES)[number];
export const TAG_SUFFIX: Record<SingleArch | 'multi', string> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le', multi: 'multi' };

/** Writes a store file `sha256=<hex>/signature-<n>` (test/harness/store.ts `SignatureStore.put`). */
export type PutStoreSignature = (digest: string, n: number, bytes: Uint8Array) => Promise<void>;

export interface LoadTarget {
  /** Where images go: the registry itself over HTTP (not through the delay proxy), or memory. */
  sink: ReleaseSink;
  /** The repository signature identities name: what the tool is told with --release-repo, without scheme. */
  identityRepo: string;
  putStoreSignature: PutStoreSignature;
}

export interface LoadCounts {
  versions: number;
  images: number;
  lists: number;
  sigTags: number;
  cosignSignatures: number;
  openpgpSignatures: number;
  /** HTTP requests sent to the registry while loading. */
  pushRequests: number;
}

export interface Blob {
  digest: Digest;
  bytes: Uint8Array;
}

function blobOf(bytes: Uint8Array | string): Blob {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { digest: sha256(b), bytes: b };
}

function loopbackOrigin(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') throw new Error(`refusing to push to ${u.origin}: the bench pushes to http://127.0.0.1 only`);
  return u.origin;
}

/** Where the loader puts blobs and manifests. */
export interface ReleaseSink {
  blob(b: Blob): Promise<void>;
  manifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void>;
  /** Requests sent so far (0 for an in-memory sink). */
  readonly requests: number;
  close(): Promise<void>;
}

/** The in-process registry of src/demo/servers.ts, filled directly (`--registry memory`). */
export class MemorySink implements ReleaseSink {
  private readonly registry: MemoryRegistry;
  private readonly repo: string;
  readonly requests = 0;

  constructor(registry: MemoryRegistry, repo: string) {
    this.registry = registry;
    this.repo = repo;
  }

  async blob(b: Blob): Promise<void> {
    this.registry.putBlob(this.repo, b.digest, Buffer.from(b.bytes));
  }

  async manifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void> {
    const digest = sha256(bytes);
    this.registry.putManifest(this.repo, reference === digest ? [] : [reference], { mediaType, bytes: Buffer.from(bytes), digest });
  }

  async close(): Promise<void> {}
}

/** The distribution API push side, over one keep-alive pool: blobs (POST, then PUT with ?digest=) and manifests. */
export class RegistryPusher implements ReleaseSink {
  readonly origin: string;
  private readonly repo: string;
  private readonly agent: Agent;
  private readonly pushed = new Map<string, Promise<void>>();
  private closing: Promise<void> | undefined;
  requests = 0;

  constructor(registryUrl: string, repo: string, connections = 32) {
    this.origin = loopbackOrigin(registryUrl);
    this.repo = repo;
    this.agent = new Agent({ connections, keepAliveTimeout: 10_000 });
  }

  private async send(method: 'POST' | 'PUT', url: string, body: Uint8Array | undefined, headers: Record<string, string>, expected: number): Promise<Record<string, unknown>> {
    this.requests++;
    const res = await request(url, { method, body, headers, dispatcher: this.agent });
    const text = await res.body.text();
    if (res.statusCode !== expected) throw new Error(`${method} ${url}: HTTP ${res.statusCode} (expected ${expected}): ${text.slice(0, 500)}`);
    return res.headers as Record<string, unknown>;
  }

  /** Pushes a blob once, however many images share it. */
  blob(b: Blob): Promise<void> {
    let p = this.pushed.get(b.digest);
    if (!p) {
      p = (async () => {
        const headers = await this.send('POST', `${this.origin}/v2/${this.repo}/blobs/uploads/`, undefined, {}, 202);
        const location = new URL(String(headers['location'] ?? ''), this.origin);
        if (location.origin !== this.origin) throw new Error(`the registry sent an upload location on another origin: ${location.origin}`);
        location.searchParams.set('digest', b.digest);
        await this.send('PUT', location.href, b.bytes, { 'content-type': 'application/octet-stream', 'content-length': String(b.bytes.byteLength) }, 201);
      })();
      this.pushed.set(b.digest, p);
    }
    return p;
  }

  async manifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void> {
    await this.send('PUT', `${this.origin}/v2/${this.repo}/manifests/${reference}`, bytes, { 'content-type': mediaType, 'content-length': String(bytes.byteLength) }, 201);
  }

  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }
}

/** The config and layer every image of one architecture shares. */
interface ArchBase {
  config: Blob;
  layer: Blob;
}

function archBase(arch: string): ArchBase {
  const tar = tarOneFile('release-manifests/release-metadata', new TextEncoder().encode(JSON.stringify({ kind: 'cincinnati-metadata-v0', arch })));
  const layer = blobOf(gzipSync(tar, { level: 1 }));
  const config = blobOf(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { 'io.openshift.release.operator': 'true' } }, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
  return { config, layer };
}

interface Image {
  digest: Digest;
  bytes: Uint8Array;
  arch: SingleArch;
}

/** A single-arch image manifest; `name` (e.g. `4.60.3-multi/arm64`) makes its digest unique. */
function imageManifest(base: ArchBase, arch: SingleArch, name: string): Image {
  const bytes = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: base.config.digest, size: base.config.bytes.byteLength },
      layers: [{ mediaType: OCI_LAYER_GZIP, digest: base.layer.digest, size: base.layer.bytes.byteLength }],
      annotations: { 'io.openshift.release': name },
    }),
  );
  return { digest: sha256(bytes), bytes, arch };
}

export class ReleaseLoader {
  private readonly target: LoadTarget;
  private readonly pusher: ReleaseSink;
  private readonly signer: SigningPool;
  private readonly bases = new Map<SingleArch, ArchBase>();
  readonly counts: LoadCounts = { versions: 0, images: 0, lists: 0, sigTags: 0, cosignSignatures: 0, openpgpSignatures: 0, pushRequests: 0 };

  constructor(target: LoadTarget, signer: SigningPool) {
    this.target = target;
    this.pusher = target.sink;
    this.signer = signer;
    for (const arch of SINGLE_ARCHES) this.bases.set(arch, archBase(arch));
  }

  private async pushImage(image: Image, reference: string): Promise<void> {
    const base = this.bases.get(image.arch)!;
    await Promise.all([this.pusher.blob(base.config), this.pusher.blob(base.layer)]);
    await this.pusher.manifest(reference, OCI_MANIFEST, image.bytes);
    this.counts.images++;
  }

  /** The `.sig` of `digest`, signed twice as ART signs: by digest identity, then by tag identity. */
  private async pushSig(digest: Digest, tag: string): Promise<void> {
    const identities = [`${this.target.identityRepo}@${digest}`, `${this.target.identityRepo}:${tag}`];
    const layers = await Promise.all(
      identities.map(async (identity) => {
        const payload = cosignPayload(identity, digest);
        const signature = await this.signer.cosign(payload);
        return { mediaType: SIMPLE_SIGNING, blob: payload, annotations: { [SIGNATURE_ANNOTATION]: signature } };
      }),
    );
    const artifact: SigArtifact = buildSigArtifact(layers);
    await Promise.all([...artifact.blobs].map(([d, bytes]) => this.pusher.blob({ digest: d as Digest, bytes })));
    await this.pusher.manifest(`sha256-${digest.slice('sha256:'.length)}.sig`, artifact.mediaType, artifact.manifest);
    this.counts.sigTags++;
    this.counts.cosignSignatures += layers.length;
  }

  /** signature-1 in the store, over ART's payload (Python json.dumps layout) naming `<repo>:<tag>`. */
  private async putOpenPGP(digest: Digest, tag: string): Promise<void> {
    const payload = new TextEncoder().encode(simpleSigningPayload({ digest, reference: `${this.target.identityRepo}:${tag}` }));
    const blob = await this.signer.openpgp(payload);
    await this.target.putStoreSignature(digest, 1, blob);
    this.counts.openpgpSignatures++;
  }

  /** One version, every architecture, signed both ways. */
  async loadVersion(version: string): Promise<void> {
    const work: Promise<void>[] = [];
    for (const arch of SINGLE_ARCHES) {
      const tag = `${version}-${TAG_SUFFIX[arch]}`;
      const image = imageManifest(this.bases.get(arch)!, arch, tag);
      work.push(this.pushImage(image, tag), this.pushSig(image.digest, tag), this.putOpenPGP(image.digest, tag));
    }
    const multiTag = `${version}-multi`;
    const instances = SINGLE_ARCHES.map((arch) => imageManifest(this.bases.get(arch)!, arch, `${multiTag}/${arch}`));
    const list = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: instances.map((img) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
      }),
    );
    const listDigest = sha256(list);
    work.push(
      (async () => {
        // The registry accepts a list only once every manifest it names exists.
        await Promise.all(instances.map((img) => this.pushImage(img, img.digest)));
        await this.pusher.manifest(multiTag, OCI_INDEX, list);
        this.counts.lists++;
      })(),
      ...instances.map((img) => this.pushSig(img.digest, multiTag)),
      this.putOpenPGP(listDigest, multiTag),
    );
    await Promise.all(work);
    this.counts.versions++;
  }

  /** Loads `versions`, `parallel` at a time; `progress` is called after each. */
  async load(versions: readonly string[], parallel = 8, progress?: (done: number) => void): Promise<void> {
    const limit = pLimit(parallel);
    let done = 0;
    await Promise.all(
      versions.map((v) =>
        limit(async () => {
          await this.loadVersion(v);
          progress?.(++done);
        }),
      ),
    );
    this.counts.pushRequests = this.pusher.requests;
  }

  close(): Promise<void> {
    return this.pusher.close();
  }
}
