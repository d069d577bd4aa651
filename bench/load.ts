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
 *   Payloads as ART builds them: a base layer shared per architecture, then a layer of
 *   release-manifests/ (release-metadata naming the version, `multi` in every instance of a multi
 *   release; image-references; the cluster-update-keys ConfigMap and the ClusterImagePolicy).
 *   With components (`--components`): each payload's image-references names COMPONENTS images in
 *   ocp-v4.0-art-dev (and every tenth in ocp-v5.0-art-dev), single-arch images for the single-arch
 *   payloads, lists of those four for multi; a fifth of them rebuilt at each z-stream (80% shared with
 *   the previous one); every component image signed like the release (a two-layer `.sig`).
 *
 * Fast enough for 6,000 nodes: images share one config and one base layer per architecture, pushes
 * go straight to the registry over a keep-alive pool (not through the delay proxy), and signing runs
 * in worker threads (signing.ts).
 */
import { gzipSync } from 'node:zlib';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import type { MemoryRegistry } from '../src/demo/servers.ts';
import { buildSigArtifact, cosignPayload, SIGNATURE_ANNOTATION, SIMPLE_SIGNING, type SigArtifact } from '../test/harness/cosign.ts';
import { simpleSigningPayload } from '../test/harness/gpg.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST, sha256, tarManyFiles, tarOneFile, type Digest } from '../test/harness/images.ts';
import { KEYS_CONFIGMAP_YAML, OPENSHIFT_POLICY_YAML, imageStream, releaseMetadata, type ComponentSpec } from '../test/harness/payload.ts';
import type { SigningPool } from './signing.ts';

export const BENCH_REPO = 'openshift-release-dev/ocp-release';
export const BENCH_ART4 = 'openshift-release-dev/ocp-v4.0-art-dev';
export const BENCH_ART5 = 'openshift-release-dev/ocp-v5.0-art-dev';
/** Components per payload, as a real release has about 200. */
export const COMPONENTS = 200;
/** Every fifth component is rebuilt at each z-stream: 80% shared with the previous one. */
export const REBUILD_EVERY = 5;
export const SINGLE_ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le'] as const;
export type SingleArch = (typeof SINGLE_ARCHES)[number];
export const TAG_SUFFIX: Record<SingleArch | 'multi', string> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le', multi: 'multi' };

/** Writes a store file `sha256=<hex>/signature-<n>` (test/harness/store.ts `SignatureStore.put`). */
export type PutStoreSignature = (digest: string, n: number, bytes: Uint8Array) => Promise<void>;

export interface LoadTarget {
  /** Where images go: the registry itself over HTTP (not through the delay proxy), or memory. */
  sink: ReleaseSink;
  /** With components: where component images go, per repository. */
  componentSink?: (repo: string) => ReleaseSink;
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
  /** Component images (single-arch) and component lists pushed, each once. */
  componentImages: number;
  componentLists: number;
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

/** The config and base layer every image of one architecture shares. */
interface ArchBase {
  config: Blob;
  layer: Blob;
}

function archBase(arch: string): ArchBase {
  const tar = tarOneFile('usr/bin/cluster-version-operator', new TextEncoder().encode(`bench ${arch}\n`));
  const layer = blobOf(gzipSync(tar, { level: 1 }));
  const config = blobOf(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { 'io.openshift.release.operator': 'true' } }, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
  return { config, layer };
}

interface Image {
  digest: Digest;
  bytes: Uint8Array;
  arch: SingleArch;
  /** Blobs of its own (the manifests layer of a payload). */
  own: Blob[];
}

/** The release-manifests/ layer of one payload. */
function manifestsLayer(version: string, multi: boolean, components: readonly ComponentSpec[]): Blob {
  const tar = tarManyFiles([
    ['release-manifests/0000_90_cluster-update-keys_configmap.yaml', new TextEncoder().encode(KEYS_CONFIGMAP_YAML)],
    ['release-manifests/0000_90_openshift-cluster-image-policy.yaml', new TextEncoder().encode(OPENSHIFT_POLICY_YAML)],
    ['release-manifests/image-references', new TextEncoder().encode(imageStream(components))],
    ['release-manifests/release-metadata', new TextEncoder().encode(releaseMetadata(version, multi ? { multi: true } : {}))],
  ]);
  return blobOf(gzipSync(tar, { level: 6 }));
}

/** A payload image manifest; `name` (e.g. `4.60.3-multi/arm64`) goes into an annotation. */
function imageManifest(base: ArchBase, arch: SingleArch, name: string, manifests: Blob): Image {
  const bytes = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: base.config.digest, size: base.config.bytes.byteLength },
      layers: [
        { mediaType: OCI_LAYER_GZIP, digest: base.layer.digest, size: base.layer.bytes.byteLength },
        { mediaType: OCI_LAYER_GZIP, digest: manifests.digest, size: manifests.bytes.byteLength },
      ],
      annotations: { 'io.openshift.release': name },
    }),
  );
  return { digest: sha256(bytes), bytes, arch, own: [manifests] };
}

/** One build of one component: an image per architecture and the list of them. */
interface ComponentBuild {
  name: string;
  repo: string;
  images: Map<SingleArch, Digest>;
  list: Digest;
}

export class ReleaseLoader {
  private readonly target: LoadTarget;
  private readonly pusher: ReleaseSink;
  private readonly signer: SigningPool;
  private readonly bases = new Map<SingleArch, ArchBase>();
  private readonly builds = new Map<string, Promise<ComponentBuild>>();
  private readonly componentSinks = new Map<string, ReleaseSink>();
  /** The identity host: what `identityRepo` starts with. */
  private readonly host: string;
  readonly counts: LoadCounts = { versions: 0, images: 0, lists: 0, sigTags: 0, cosignSignatures: 0, openpgpSignatures: 0, pushRequests: 0, componentImages: 0, componentLists: 0 };
  /** The (repository, digest) pairs the payloads reference, and the lists' instances: what the tool must verify. */
  readonly uniqueComponents = new Set<string>();

  constructor(target: LoadTarget, signer: SigningPool) {
    this.target = target;
    this.pusher = target.sink;
    this.signer = signer;
    for (const arch of SINGLE_ARCHES) this.bases.set(arch, archBase(arch));
    this.host = target.identityRepo.split('/')[0] as string;
  }

  private componentSink(repo: string): ReleaseSink {
    let sink = this.componentSinks.get(repo);
    if (!sink) this.componentSinks.set(repo, (sink = this.target.componentSink!(repo)));
    return sink;
  }

  /** Build `build` of component `j`, pushed and signed once however many payloads reference it. */
  private component(j: number, build: number): Promise<ComponentBuild> {
    const key = `${j}/${build}`;
    let p = this.builds.get(key);
    if (!p) {
      p = (async () => {
        const name = `component-${String(j).padStart(3, '0')}`;
        const repo = j % 10 === 0 ? BENCH_ART5 : BENCH_ART4;
        const sink = this.componentSink(repo);
        const images = new Map<SingleArch, Digest>();
        const manifests: Image[] = [];
        for (const arch of SINGLE_ARCHES) {
          const base = this.bases.get(arch)!;
          const bytes = new TextEncoder().encode(
            JSON.stringify({
              schemaVersion: 2,
              mediaType: OCI_MANIFEST,
              config: { mediaType: OCI_CONFIG, digest: base.config.digest, size: base.config.bytes.byteLength },
              layers: [{ mediaType: OCI_LAYER_GZIP, digest: base.layer.digest, size: base.layer.bytes.byteLength }],
              annotations: { 'io.openshift.build.name': name, 'io.openshift.build.number': String(build) },
            }),
          );
          const img: Image = { digest: sha256(bytes), bytes, arch, own: [] };
          manifests.push(img);
          images.set(arch, img.digest);
        }
        await Promise.all([...new Set(SINGLE_ARCHES.map((a) => this.bases.get(a)!))].flatMap((b) => [sink.blob(b.config), sink.blob(b.layer)]));
        await Promise.all(manifests.map(async (img) => {
          await sink.manifest(img.digest, OCI_MANIFEST, img.bytes);
          this.counts.componentImages++;
          await this.pushSig(img.digest, `${name}-${build}`, { sink, identityRepo: `${this.host}/${repo}` });
        }));
        const list = new TextEncoder().encode(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: manifests.map((img) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
          }),
        );
        const listDigest = sha256(list);
        await sink.manifest(listDigest, OCI_INDEX, list);
        this.counts.componentLists++;
        return { name, repo, images, list: listDigest };
      })();
      this.builds.set(key, p);
    }
    return p;
  }

  /** The components of version number `v` for `arch`, 80% shared with version `v - 1`. */
  private async componentSpecs(v: number, arch: SingleArch | 'multi'): Promise<ComponentSpec[]> {
    if (!this.target.componentSink) return [];
    const builds = await Promise.all(Array.from({ length: COMPONENTS }, (_, j) => this.component(j, Math.floor((v + (j % REBUILD_EVERY)) / REBUILD_EVERY))));
    return builds.map((b) => {
      const digest = arch === 'multi' ? b.list : b.images.get(arch)!;
      this.uniqueComponents.add(`${b.repo}@${digest}`);
      if (arch === 'multi') for (const d of b.images.values()) this.uniqueComponents.add(`${b.repo}@${d}`);
      return { name: b.name, reference: `${this.host}/${b.repo}@${digest}` };
    });
  }

  private async pushImage(image: Image, reference: string): Promise<void> {
    const base = this.bases.get(image.arch)!;
    await Promise.all([this.pusher.blob(base.config), this.pusher.blob(base.layer), ...image.own.map((b) => this.pusher.blob(b))]);
    await this.pusher.manifest(reference, OCI_MANIFEST, image.bytes);
    this.counts.images++;
  }

  /** The `.sig` of `digest`, signed twice as ART signs: by digest identity, then by tag identity. */
  private async pushSig(digest: Digest, tag: string, where: { sink: ReleaseSink; identityRepo: string } = { sink: this.pusher, identityRepo: this.target.identityRepo }): Promise<void> {
    const identities = [`${where.identityRepo}@${digest}`, `${where.identityRepo}:${tag}`];
    const layers = await Promise.all(
      identities.map(async (identity) => {
        const payload = cosignPayload(identity, digest);
        const signature = await this.signer.cosign(payload);
        return { mediaType: SIMPLE_SIGNING, blob: payload, annotations: { [SIGNATURE_ANNOTATION]: signature } };
      }),
    );
    const artifact: SigArtifact = buildSigArtifact(layers);
    await Promise.all([...artifact.blobs].map(([d, bytes]) => where.sink.blob({ digest: d as Digest, bytes })));
    await where.sink.manifest(`sha256-${digest.slice('sha256:'.length)}.sig`, artifact.mediaType, artifact.manifest);
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

  /** One version (the `v`-th z-stream), every architecture, signed both ways. */
  async loadVersion(version: string, v = 0): Promise<void> {
    const work: Promise<void>[] = [];
    for (const arch of SINGLE_ARCHES) {
      const tag = `${version}-${TAG_SUFFIX[arch]}`;
      work.push(
        (async () => {
          const image = imageManifest(this.bases.get(arch)!, arch, tag, manifestsLayer(version, false, await this.componentSpecs(v, arch)));
          await Promise.all([this.pushImage(image, tag), this.pushSig(image.digest, tag), this.putOpenPGP(image.digest, tag)]);
        })(),
      );
    }
    const multiTag = `${version}-multi`;
    work.push(
      (async () => {
        const layer = manifestsLayer(version, true, await this.componentSpecs(v, 'multi'));
        const instances = SINGLE_ARCHES.map((arch) => imageManifest(this.bases.get(arch)!, arch, `${multiTag}/${arch}`, layer));
        const list = new TextEncoder().encode(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: instances.map((img) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
          }),
        );
        const listDigest = sha256(list);
        await Promise.all([
          (async () => {
            // The registry accepts a list only once every manifest it names exists.
            await Promise.all(instances.map((img) => this.pushImage(img, img.digest)));
            await this.pusher.manifest(multiTag, OCI_INDEX, list);
            this.counts.lists++;
          })(),
          ...instances.map((img) => this.pushSig(img.digest, multiTag)),
          this.putOpenPGP(listDigest, multiTag),
        ]);
      })(),
    );
    await Promise.all(work);
    this.counts.versions++;
  }

  /** Loads `versions`, `parallel` at a time; `progress` is called after each. */
  async load(versions: readonly string[], parallel = 8, progress?: (done: number) => void): Promise<void> {
    const limit = pLimit(parallel);
    let done = 0;
    await Promise.all(
      versions.map((v, i) =>
        limit(async () => {
          await this.loadVersion(v, i);
          progress?.(++done);
        }),
      ),
    );
    this.counts.pushRequests = this.pusher.requests + [...this.componentSinks.values()].reduce((n, s) => n + s.requests, 0);
  }

  async close(): Promise<void> {
    await Promise.all([this.pusher.close(), ...[...this.componentSinks.values()].map((s) => s.close())]);
  }
}
