/**
 * Release payload images laid out as ART builds them (`oc adm release new`): base layers (an operating
 * system and the cluster-version operator, here a few files of filler), then one layer holding only
 * `release-manifests/`: `image-references` (an ImageStream naming every component by digest, in the
 * ocp-v4.0-art-dev and ocp-v5.0-art-dev repositories), `release-metadata` (cincinnati-metadata-v0),
 * the cluster-update-keys ConfigMap and the `openshift` ClusterImagePolicy exactly as OpenShift ships
 * them (test/fixtures/openpgp/cluster-update-keys.*.yaml), and a few other manifests. Pure: values in,
 * bytes out; push them with HttpPusher (images.ts) or serve them from memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST, sha256, type Blob, type BuiltImage, type BuiltIndex, type Digest } from './images.ts';
import { FIXTURES } from '../helpers/paths.ts';

export const KEYS_CONFIGMAP_YAML = readFileSync(join(FIXTURES, 'openpgp', 'cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml'), 'utf8');
export const OPENSHIFT_POLICY_YAML = readFileSync(join(FIXTURES, 'openpgp', 'cluster-update-keys.manifests.rhel.0000_90_openshift-cluster-image-policy.yaml'), 'utf8');

export interface TarFile {
  name: string;
  content: Uint8Array | string;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** A tar archive of the given entries, as tar-stream packs it (ustar, PAX for long names). */
export async function tarFiles(files: readonly TarFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => {
      parts.push(c as Buffer);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const f of files) {
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : Buffer.from(f.content);
    if (f.type === 'directory') pack.entry({ name: f.name, type: 'directory' });
    else if (f.type === 'symlink') pack.entry({ name: f.name, type: 'symlink', linkname: f.linkname ?? 'x' });
    else pack.entry({ name: f.name, size: content.byteLength, mtime: new Date(0) }, content);
  }
  pack.finalize();
  await done;
  return Buffer.concat(parts);
}

export interface ComponentSpec {
  /** image-references tag name, e.g. `machine-config-operator`. */
  name: string;
  /** `host/path@sha256:...` */
  reference: string;
}

export function imageStream(components: readonly ComponentSpec[]): string {
  return JSON.stringify(
    {
      kind: 'ImageStream',
      apiVersion: 'image.openshift.io/v1',
      metadata: { name: '4.99.0', creationTimestamp: null, annotations: { 'release.openshift.io/from-image-stream': 'ocp/4.99-art-latest' } },
      spec: {
        lookupPolicy: { local: false },
        tags: components.map((c) => ({
          name: c.name,
          annotations: { 'io.openshift.build.commit.id': 'abcdef0', 'io.openshift.build.source-location': `https://github.com/openshift/${c.name}` },
          from: { kind: 'DockerImage', name: c.reference },
          generation: null,
          importPolicy: {},
          referencePolicy: { type: '' },
        })),
      },
      status: { dockerImageRepository: '' },
    },
    null,
    2,
  );
}

export function releaseMetadata(version: string, options: { multi?: boolean; previous?: string[] } = {}): string {
  return JSON.stringify({
    kind: 'cincinnati-metadata-v0',
    version,
    previous: options.previous ?? [],
    metadata: { url: `https://access.redhat.com/errata/RHSA-2099:${version.replace(/\D/g, '').slice(-4)}`, ...(options.multi ? { 'release.openshift.io/architecture': 'multi' } : {}) },
  });
}

export interface PayloadSpec {
  /** What release-metadata says (defaults to `version`). */
  metadataVersion?: string;
  version: string;
  /** GOARCH of the image config. */
  arch: string;
  /** Release metadata says `release.openshift.io/architecture: multi` (every instance of a multi release does). */
  multi?: boolean;
  components: readonly ComponentSpec[];
  /** Leave out release-manifests/ altogether. */
  noManifests?: boolean;
  /** Extra bytes of incompressible filler in the manifests layer (for the cap scenario). */
  manifestsFiller?: number;
  /** Filler bytes of the base layers. */
  baseBytes?: number;
  /** Something to make otherwise equal payloads differ. */
  seed?: string;
  previous?: string[];
  /** The keys ConfigMap the payload ships instead of OpenShift's (a source release's keyring, for update edges). */
  updateKeysYaml?: string;
  /** The ClusterImagePolicy the payload ships instead of OpenShift's. */
  imagePolicyYaml?: string;
}

function layerBlob(tarBytes: Uint8Array): Blob {
  const gz = gzipSync(tarBytes, { level: 6 });
  return { mediaType: OCI_LAYER_GZIP, digest: sha256(gz), bytes: gz };
}

/** Deterministic filler that does not compress (so a layer is really that large on the wire). */
export function filler(bytes: number, seed: string): Buffer {
  const out = Buffer.alloc(bytes);
  let block = Buffer.from(sha256(seed));
  for (let off = 0; off < bytes; off += 32) {
    block = Buffer.from(sha256(block).slice(7), 'hex');
    block.copy(out, off, 0, Math.min(32, bytes - off));
  }
  return out;
}

/** The manifests layer's files, in the order `oc adm release new` writes them (sorted names). */
export function manifestFiles(spec: PayloadSpec): TarFile[] {
  const files: TarFile[] = [
    { name: 'release-manifests/', content: '', type: 'directory' },
    { name: 'release-manifests/0000_00_cluster-version-operator_00_namespace.yaml', content: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: openshift-cluster-version\n' },
    { name: 'release-manifests/0000_50_cluster-ingress-operator_00-custom-resource-definition.yaml', content: `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ingresscontrollers.operator.openshift.io\nspec:\n  group: operator.openshift.io\n# ${'x'.repeat(2000)}\n` },
    { name: 'release-manifests/0000_90_cluster-update-keys_configmap.yaml', content: spec.updateKeysYaml ?? KEYS_CONFIGMAP_YAML },
    { name: 'release-manifests/0000_90_openshift-cluster-image-policy.yaml', content: spec.imagePolicyYaml ?? OPENSHIFT_POLICY_YAML },
    { name: 'release-manifests/image-references', content: imageStream(spec.components) },
    { name: 'release-manifests/release-metadata', content: releaseMetadata(spec.metadataVersion ?? spec.version, { ...(spec.multi ? { multi: true } : {}), ...(spec.previous ? { previous: spec.previous } : {}) }) },
  ];
  if (spec.manifestsFiller) files.splice(3, 0, { name: 'release-manifests/0000_80_large_filler.bin', content: filler(spec.manifestsFiller, `${spec.seed ?? spec.version}/filler`) });
  return files;
}

/** A payload image: two base layers and the manifests layer on top, a config naming its architecture. */
export async function buildPayload(spec: PayloadSpec): Promise<BuiltImage> {
  const seed = `${spec.seed ?? spec.version}/${spec.arch}`;
  const baseBytes = spec.baseBytes ?? 4096;
  const base1 = layerBlob(await tarFiles([{ name: 'usr/lib/os-release', content: 'NAME="Red Hat Enterprise Linux CoreOS"\n' }, { name: 'usr/lib/libfiller.so', content: filler(baseBytes, `${seed}/base1`) }]));
  const base2 = layerBlob(await tarFiles([{ name: 'usr/bin/cluster-version-operator', content: filler(Math.ceil(baseBytes / 2), `${seed}/cvo`) }, { name: 'manifests/0000_00_cluster-version-operator_01_clusterversion.crd.yaml', content: 'kind: CustomResourceDefinition\n' }]));
  const layers = [base1, base2];
  if (!spec.noManifests) layers.push(layerBlob(await tarFiles(manifestFiles(spec))));
  const config: Blob = {
    mediaType: OCI_CONFIG,
    digest: '' as Digest,
    bytes: new TextEncoder().encode(
      JSON.stringify({
        architecture: spec.arch,
        os: 'linux',
        config: { Labels: { 'io.openshift.release': spec.version, 'io.openshift.release.base-image-digest': 'sha256:' + '0'.repeat(64) } },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      }),
    ),
  };
  config.digest = sha256(config.bytes);
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.bytes.byteLength },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.bytes.byteLength })),
    }),
  );
  return { kind: 'image', mediaType: OCI_MANIFEST, manifest, digest: sha256(manifest), config, layers, arch: spec.arch };
}

/** A multi release: one payload per architecture, each saying `multi` in its release-metadata. */
export async function buildMultiPayload(spec: Omit<PayloadSpec, 'arch' | 'multi' | 'components'> & { arches?: readonly string[]; components: (arch: string) => readonly ComponentSpec[] }): Promise<BuiltIndex> {
  const arches = spec.arches ?? ['amd64', 'arm64', 's390x', 'ppc64le'];
  const images = await Promise.all(arches.map((arch) => buildPayload({ ...spec, arch, multi: true, components: spec.components(arch) })));
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map((img) => ({ mediaType: img.mediaType, digest: img.digest, size: img.manifest.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
    }),
  );
  return { kind: 'index', mediaType: OCI_INDEX, manifest, digest: sha256(manifest), images };
}

/** A component image: one small layer, a config. */
export function buildComponentImage(name: string, arch: string, seed: string): BuiltImage {
  const layer = { mediaType: OCI_LAYER_GZIP, ...(() => {
    const gz = gzipSync(Buffer.from(`component ${name} ${arch} ${seed}\n`));
    return { digest: sha256(gz), bytes: new Uint8Array(gz) };
  })() } as Blob;
  const configBytes = new TextEncoder().encode(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { 'io.openshift.build.name': name } }, rootfs: { type: 'layers', diff_ids: [layer.digest] } }));
  const config: Blob = { mediaType: OCI_CONFIG, digest: sha256(configBytes), bytes: configBytes };
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: configBytes.byteLength },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.bytes.byteLength }],
    }),
  );
  return { kind: 'image', mediaType: OCI_MANIFEST, manifest, digest: sha256(manifest), config, layers: [layer], arch };
}

/** A component manifest list (what a multi release references): one image per architecture. */
export function buildComponentList(name: string, seed: string, arches: readonly string[] = ['amd64', 'arm64', 's390x', 'ppc64le']): BuiltIndex {
  const images = arches.map((arch) => buildComponentImage(name, arch, seed));
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map((img) => ({ mediaType: img.mediaType, digest: img.digest, size: img.manifest.byteLength, platform: { architecture: img.arch, os: 'linux' } })),
    }),
  );
  return { kind: 'index', mediaType: OCI_INDEX, manifest, digest: sha256(manifest), images };
}
