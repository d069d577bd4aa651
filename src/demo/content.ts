/**
 * The demo's releases: tiny images, a graph-data that promotes them, and signatures made on the spot
 * with throwaway keys, some deliberately broken, so the real check has something to find.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as openpgp from 'openpgp';
import * as tar from 'tar-stream';
import type { MemoryRegistry, MemoryStore } from './servers.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const SIMPLESIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface DemoKeys {
  openpgp: { privateKey: openpgp.PrivateKey; publicArmored: string };
  sigstore: { privateKey: KeyObject; publicPem: string };
  /** A key nobody trusts, for the "signed by the wrong key" release. */
  wrongSigstore: KeyObject;
}

export async function generateDemoKeys(): Promise<DemoKeys> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'nistP256', userIDs: [{ name: 'release-sigcheck demo signer', email: 'demo@example.invalid' }], format: 'object' });
  const sig = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const wrong = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    openpgp: { privateKey, publicArmored: publicKey.armor() },
    sigstore: { privateKey: sig.privateKey, publicPem: sig.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    wrongSigstore: wrong.privateKey,
  };
}

interface Image {
  digest: string;
  bytes: Buffer;
}

/** A gzipped tar of the given files, written with tar-stream (the reader's library). */
async function tarGz(files: readonly { name: string; content: string | Buffer }[]): Promise<Buffer> {
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
    const content = Buffer.from(f.content);
    pack.entry({ name: f.name, size: content.length, mtime: new Date(0) }, content);
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(parts));
}

function putImage(reg: MemoryRegistry, repo: string, arch: string, layers: Buffer[], labels: Record<string, string>): Image {
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) } }));
  for (const l of layers) reg.putBlob(repo, sha256(l), l);
  reg.putBlob(repo, sha256(config), config);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: LAYER_GZIP, digest: sha256(l), size: l.length })),
    }),
  );
  const image = { digest: sha256(bytes), bytes };
  reg.putManifest(repo, [], { mediaType: OCI_MANIFEST, bytes, digest: image.digest });
  return image;
}

function putList(reg: MemoryRegistry, repo: string, instances: readonly { arch: string; img: Image }[]): Image {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: instances.map(({ arch, img }) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length, platform: { architecture: arch, os: 'linux' } })),
    }),
  );
  const list = { digest: sha256(bytes), bytes };
  reg.putManifest(repo, [], { mediaType: OCI_INDEX, bytes, digest: list.digest });
  return list;
}

/** One component as a payload's image-references names it. */
interface ComponentRef {
  name: string;
  reference: string;
}

/**
 * A release payload as ART builds it: a base layer, then a layer of `release-manifests/` with the
 * release-metadata and the image-references ImageStream naming its components by digest.
 */
async function pushPayload(reg: MemoryRegistry, repo: string, version: string, arch: string, options: { multi?: boolean; components: readonly ComponentRef[] }): Promise<Image> {
  const base = await tarGz([{ name: 'usr/bin/cluster-version-operator', content: `release-sigcheck demo ${version} ${arch}\n` }]);
  const metadata = { kind: 'cincinnati-metadata-v0', version, previous: [], metadata: options.multi ? { 'release.openshift.io/architecture': 'multi' } : {} };
  const references = {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: version },
    spec: { tags: options.components.map((c) => ({ name: c.name, from: { kind: 'DockerImage', name: c.reference } })) },
  };
  const manifests = await tarGz([
    { name: 'release-manifests/image-references', content: JSON.stringify(references, null, 2) },
    { name: 'release-manifests/release-metadata', content: JSON.stringify(metadata) },
  ]);
  return putImage(reg, repo, arch, [base, manifests], { 'io.openshift.release': version });
}

const TAG_SUFFIX: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le' };

export interface DemoRelease {
  version: string;
  /** What the demo expects the check to say, printed before the run. */
  story: string;
}

export interface DemoBuild {
  releases: DemoRelease[];
  channels: Record<string, string>;
  /**
   * The demo's `openshift` ClusterImagePolicy: the three scopes OpenShift's has (ocp-release and the
   * two art-dev repositories), on the demo registry, trusting the demo key.
   */
  imagePolicy: string;
}

/**
 * Builds the releases into the registry and store. `identityRepo` is the repository signatures name
 * (host/path, as clusters pull it).
 */
export async function buildDemoContent(reg: MemoryRegistry, store: MemoryStore, repo: string, identityRepo: string, keys: DemoKeys): Promise<DemoBuild> {
  const openpgpSign = async (digest: string, reference: string): Promise<Buffer> => {
    const payload = `{"critical": {"image": {"docker-manifest-digest": "${digest}"}, "type": "atomic container signature", "identity": {"docker-reference": "${reference}"}}, "optional": {"creator": "release-sigcheck demo"}}`;
    const message = await openpgp.createMessage({ binary: Buffer.from(payload) });
    return Buffer.from((await openpgp.sign({ message, signingKeys: keys.openpgp.privateKey, format: 'binary' })) as Uint8Array);
  };
  const fileSignature = (digest: string, n: number, blob: Buffer) => store.files.set(`sha256=${digest.slice(7)}/signature-${n}`, blob);
  const cosignSign = (digest: string, key: KeyObject, where: { repo: string; identity: string } = { repo, identity: identityRepo }) => {
    const layers = [`${where.identity}@${digest}`].map((reference) => {
      const payload = Buffer.from(`{"critical":{"identity":{"docker-reference":"${reference}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`);
      reg.putBlob(where.repo, sha256(payload), payload);
      return { payload, signature: sign('sha256', payload, key).toString('base64') };
    });
    const config = Buffer.from(
      JSON.stringify({ architecture: '', created: '0001-01-01T00:00:00Z', history: [{ created: '0001-01-01T00:00:00Z' }], os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.payload)) }, config: {} }),
    );
    reg.putBlob(where.repo, sha256(config), config);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: sha256(config) },
        layers: layers.map((l) => ({ mediaType: SIMPLESIGNING, size: l.payload.length, digest: sha256(l.payload), annotations: { 'dev.cosignproject.cosign/signature': l.signature } })),
      }),
    );
    reg.putManifest(where.repo, [`sha256-${digest.slice(7)}.sig`], { mediaType: OCI_MANIFEST, bytes, digest: sha256(bytes) });
  };

  // The component images, in the two art-dev repositories the openshift ClusterImagePolicy covers:
  // one image per architecture each, signed like the release; multi releases reference lists of them.
  const host = identityRepo.split('/')[0] as string;
  const namespace = repo.split('/').slice(0, -1).join('/');
  const COMPONENTS: readonly { name: string; repository: string }[] = [
    { name: 'cluster-version-operator', repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: 'machine-config-operator', repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: 'cluster-ingress-operator', repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: 'installer', repository: `${namespace}/ocp-v5.0-art-dev` },
  ];
  const componentImages = new Map<string, { images: Map<string, Image>; list: Image; repository: string }>();
  for (const c of COMPONENTS) {
    const images = new Map<string, Image>();
    for (const arch of ['amd64', 'arm64']) {
      const layer = await tarGz([{ name: `usr/bin/${c.name}`, content: `${c.name} ${arch}\n` }]);
      const img = putImage(reg, c.repository, arch, [layer], { 'io.openshift.build.name': c.name });
      images.set(arch, img);
      cosignSign(img.digest, keys.sigstore.privateKey, { repo: c.repository, identity: `${host}/${c.repository}` });
    }
    componentImages.set(c.name, { images, list: putList(reg, c.repository, [...images].map(([arch, img]) => ({ arch, img }))), repository: c.repository });
  }
  // 4.99.6's machine-config-operator: a rebuild that was never signed.
  const unsignedLayer = await tarGz([{ name: 'usr/bin/machine-config-operator', content: 'machine-config-operator amd64, rebuilt and not signed\n' }]);
  const unsignedComponent = putImage(reg, `${namespace}/ocp-v4.0-art-dev`, 'amd64', [unsignedLayer], { 'io.openshift.build.name': 'machine-config-operator' });
  const componentRefs = (arch: string, unsigned?: string): ComponentRef[] =>
    COMPONENTS.map((c) => {
      const entry = componentImages.get(c.name)!;
      const digest = c.name === unsigned ? unsignedComponent.digest : arch === 'multi' ? entry.list.digest : entry.images.get(arch)!.digest;
      return { name: c.name, reference: `${host}/${c.repository}@${digest}` };
    });

  interface Plan {
    version: string;
    arches: string[];
    multi?: { unsignedInstance?: string };
    openpgp: 'good' | 'none' | 'misfiled';
    sigstore: 'good' | 'wrong-key' | 'bundle-only';
    /** A component whose image has no .sig tag. */
    unsignedComponent?: string;
    /** The tag holds the payload of this other release (a mis-tagged release). */
    tagOf?: string;
    story: string;
  }
  const plans: Plan[] = [
    { version: '4.99.0', arches: ['amd64', 'arm64'], multi: {}, openpgp: 'good', sigstore: 'good', story: 'signed both ways, every architecture and the manifest list: passes' },
    { version: '4.99.1', arches: ['amd64'], openpgp: 'none', sigstore: 'good', story: 'no OpenPGP signature in the store: the cluster-version operator would refuse the update' },
    { version: '4.99.2', arches: ['amd64'], openpgp: 'misfiled', sigstore: 'good', story: "the store holds 4.99.0's signature under this digest (misfiled): invalid, digest mismatch" },
    { version: '4.99.3', arches: ['amd64'], openpgp: 'good', sigstore: 'wrong-key', story: 'the .sig tag is signed by a key nobody trusts: CRI-O would refuse to run it' },
    { version: '4.99.4', arches: ['amd64'], multi: { unsignedInstance: 'arm64' }, openpgp: 'good', sigstore: 'good', story: 'the manifest list has an arm64 instance without a .sig tag: arm64 nodes would fail to pull' },
    { version: '4.99.5', arches: ['amd64'], openpgp: 'good', sigstore: 'bundle-only', story: 'only a cosign v3 Sigstore bundle (OCI referrer), no .sig tag: CRI-O does not read bundles' },
    { version: '4.99.6', arches: ['amd64'], openpgp: 'good', sigstore: 'good', unsignedComponent: 'machine-config-operator', story: 'the release image is signed, but its machine-config-operator component image is not: its pods would fail with SignatureValidationFailed on every cluster' },
    { version: '4.99.7', arches: ['amd64'], openpgp: 'good', sigstore: 'good', tagOf: '4.99.0', story: "the tag 4.99.7-x86_64 holds 4.99.0's payload (signed, but for 4.99.0): its release metadata says 4.99.0" },
  ];

  let misfiledSource: Buffer | undefined;
  const payloads = new Map<string, Image>();
  for (const plan of plans) {
    const images = new Map<string, Image>();
    for (const arch of plan.arches) {
      const tag = `${plan.version}-${TAG_SUFFIX[arch]}`;
      const borrowed = plan.tagOf ? payloads.get(`${plan.tagOf}/${arch}`) : undefined;
      if (borrowed) {
        // Only the tag is wrong: the image and its signatures are 4.99.0's own.
        reg.putManifest(repo, [tag], { mediaType: OCI_MANIFEST, bytes: borrowed.bytes, digest: borrowed.digest });
        continue;
      }
      const img = await pushPayload(reg, repo, plan.version, arch, { components: componentRefs(arch, plan.unsignedComponent) });
      reg.putManifest(repo, [tag], { mediaType: OCI_MANIFEST, bytes: img.bytes, digest: img.digest });
      images.set(arch, img);
      payloads.set(`${plan.version}/${arch}`, img);
    }
    if (plan.multi) {
      const instances = [];
      for (const arch of ['amd64', 'arm64']) instances.push({ arch, img: await pushPayload(reg, repo, plan.version, arch, { multi: true, components: componentRefs('multi') }) });
      const list = putList(reg, repo, instances);
      const listDigest = list.digest;
      reg.putManifest(repo, [`${plan.version}-multi`], { mediaType: OCI_INDEX, bytes: list.bytes, digest: listDigest });
      images.set('multi', list);
      // ART signs each instance for CRI-O; the list itself gets an OpenPGP signature for the CVO.
      for (const { arch, img } of instances) if (arch !== plan.multi.unsignedInstance) cosignSign(img.digest, keys.sigstore.privateKey);
    }
    for (const [arch, img] of images) {
      const reference = `${identityRepo}:${plan.version}-${arch === 'multi' ? 'multi' : TAG_SUFFIX[arch]}`;
      if (plan.openpgp === 'good') {
        const blob = await openpgpSign(img.digest, reference);
        fileSignature(img.digest, 1, blob);
        misfiledSource ??= blob;
      } else if (plan.openpgp === 'misfiled') {
        fileSignature(img.digest, 1, misfiledSource!);
      }
      if (arch === 'multi') continue; // the list's own .sig is not required; instances were signed above
      if (plan.sigstore === 'good') cosignSign(img.digest, keys.sigstore.privateKey);
      else if (plan.sigstore === 'wrong-key') cosignSign(img.digest, keys.wrongSigstore);
      else {
        const bundle = Buffer.from(JSON.stringify({ mediaType: BUNDLE, note: 'demo bundle' }));
        reg.putBlob(repo, sha256(bundle), bundle);
        const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256('{}'), size: 2 }, layers: [{ mediaType: BUNDLE, digest: sha256(bundle), size: bundle.length }], subject: { mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length } }));
        reg.putManifest(repo, [], { mediaType: OCI_MANIFEST, bytes: manifest, digest: sha256(manifest) });
        reg.addReferrer(repo, img.digest, { mediaType: OCI_MANIFEST, artifactType: BUNDLE, digest: sha256(manifest), size: manifest.length });
      }
    }
  }

  const names = plans.map((p) => p.version);
  const list = (versions: string[]) => versions.map((v) => `- ${v}`).join('\n');
  const keyData = Buffer.from(keys.sigstore.publicPem.trim()).toString('base64');
  const imagePolicy = [
    'apiVersion: config.openshift.io/v1',
    'kind: ClusterImagePolicy',
    'metadata:',
    '  name: openshift',
    'spec:',
    '  scopes:',
    `  - ${host}/${namespace}/ocp-release`,
    `  - ${host}/${namespace}/ocp-v4.0-art-dev`,
    `  - ${host}/${namespace}/ocp-v5.0-art-dev`,
    '  policy:',
    '    rootOfTrust:',
    '      policyType: PublicKey',
    '      publicKey:',
    `        keyData: ${keyData}`,
    '',
  ].join('\n');
  return {
    imagePolicy,
    releases: plans.map((p) => ({ version: p.version, story: p.story })),
    channels: {
      'channels/candidate-4.99.yaml': `name: candidate-4.99\nversions:\n${list(names)}\n`,
      'channels/fast-4.99.yaml': `name: fast-4.99\nversions:\n${list(['4.99.0', '4.99.1'])}\n`,
      'channels/stable-4.99.yaml': `name: stable-4.99\nversions:\n${list(['4.99.0'])}\n`,
    },
  };
}
