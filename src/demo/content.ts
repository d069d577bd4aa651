/**
 * The demo's releases: tiny images, a graph-data that promotes them, and signatures made on the spot
 * with throwaway keys, some deliberately broken, so the real check has something to find.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { MemoryRegistry, MemoryStore } from './servers.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
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

/** A single-architecture image: one small layer and a config naming its architecture. */
function pushImage(reg: MemoryRegistry, repo: string, version: string, arch: string): Image {
  const layer = Buffer.from(`release-sigcheck demo ${version} ${arch}\n`);
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { 'io.openshift.release': version } }, rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  reg.putBlob(repo, sha256(layer), layer);
  reg.putBlob(repo, sha256(config), config);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
    }),
  );
  return { digest: sha256(bytes), bytes };
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
  const cosignSign = (digest: string, key: KeyObject) => {
    const layers = [`${identityRepo}@${digest}`].map((reference) => {
      const payload = Buffer.from(`{"critical":{"identity":{"docker-reference":"${reference}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`);
      reg.putBlob(repo, sha256(payload), payload);
      return { payload, signature: sign('sha256', payload, key).toString('base64') };
    });
    const config = Buffer.from(
      JSON.stringify({ architecture: '', created: '0001-01-01T00:00:00Z', history: [{ created: '0001-01-01T00:00:00Z' }], os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.payload)) }, config: {} }),
    );
    reg.putBlob(repo, sha256(config), config);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: sha256(config) },
        layers: layers.map((l) => ({ mediaType: SIMPLESIGNING, size: l.payload.length, digest: sha256(l.payload), annotations: { 'dev.cosignproject.cosign/signature': l.signature } })),
      }),
    );
    reg.putManifest(repo, [`sha256-${digest.slice(7)}.sig`], { mediaType: OCI_MANIFEST, bytes, digest: sha256(bytes) });
  };

  interface Plan {
    version: string;
    arches: string[];
    multi?: { unsignedInstance?: string };
    openpgp: 'good' | 'none' | 'misfiled';
    sigstore: 'good' | 'wrong-key' | 'bundle-only';
    story: string;
  }
  const plans: Plan[] = [
    { version: '4.99.0', arches: ['amd64', 'arm64'], multi: {}, openpgp: 'good', sigstore: 'good', story: 'signed both ways, every architecture and the manifest list: passes' },
    { version: '4.99.1', arches: ['amd64'], openpgp: 'none', sigstore: 'good', story: 'no OpenPGP signature in the store: the cluster-version operator would refuse the update' },
    { version: '4.99.2', arches: ['amd64'], openpgp: 'misfiled', sigstore: 'good', story: "the store holds 4.99.0's signature under this digest (misfiled): invalid, digest mismatch" },
    { version: '4.99.3', arches: ['amd64'], openpgp: 'good', sigstore: 'wrong-key', story: 'the .sig tag is signed by a key nobody trusts: CRI-O would refuse to run it' },
    { version: '4.99.4', arches: ['amd64'], multi: { unsignedInstance: 'arm64' }, openpgp: 'good', sigstore: 'good', story: 'the manifest list has an arm64 instance without a .sig tag: arm64 nodes would fail to pull' },
    { version: '4.99.5', arches: ['amd64'], openpgp: 'good', sigstore: 'bundle-only', story: 'only a cosign v3 Sigstore bundle (OCI referrer), no .sig tag: CRI-O does not read bundles' },
  ];

  let misfiledSource: Buffer | undefined;
  for (const plan of plans) {
    const images = new Map<string, Image>();
    for (const arch of plan.arches) {
      const img = pushImage(reg, repo, plan.version, arch);
      reg.putManifest(repo, [`${plan.version}-${TAG_SUFFIX[arch]}`], { mediaType: OCI_MANIFEST, bytes: img.bytes, digest: img.digest });
      images.set(arch, img);
    }
    if (plan.multi) {
      const instances = ['amd64', 'arm64'].map((arch) => ({ arch, img: pushImage(reg, repo, `${plan.version}-multi`, arch) }));
      for (const { img } of instances) reg.putManifest(repo, [], { mediaType: OCI_MANIFEST, bytes: img.bytes, digest: img.digest });
      const list = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: instances.map(({ arch, img }) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length, platform: { architecture: arch, os: 'linux' } })),
        }),
      );
      const listDigest = sha256(list);
      reg.putManifest(repo, [`${plan.version}-multi`], { mediaType: OCI_INDEX, bytes: list, digest: listDigest });
      images.set('multi', { digest: listDigest, bytes: list });
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
  return {
    releases: plans.map((p) => ({ version: p.version, story: p.story })),
    channels: {
      'channels/candidate-4.99.yaml': `name: candidate-4.99\nversions:\n${list(names)}\n`,
      'channels/fast-4.99.yaml': `name: fast-4.99\nversions:\n${list(['4.99.0', '4.99.1'])}\n`,
      'channels/stable-4.99.yaml': `name: stable-4.99\nversions:\n${list(['4.99.0'])}\n`,
    },
  };
}
