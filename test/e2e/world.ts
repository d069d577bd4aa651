/**
 * A small release world on real servers: Debian's docker-registry holding release images (pushed with
 * skopeo and over the distribution API), a signature store, OpenPGP signatures made by gpg, and
 * cosign-format `.sig` tags made by the harness; some releases deliberately broken. The graph-data
 * promoting them is written to a temporary directory. Everything listens on 127.0.0.1 only.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBundleReferrer, buildSigArtifact, generateP256Key, generateRsaKey, pushArtifact, pushSig, signLayer, type TestKey } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { buildImage, buildIndex, HttpPusher, type BuiltImage, type BuiltIndex } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { skopeoPush } from '../harness/skopeo.ts';
import { startStore, type SignatureStore } from '../harness/store.ts';

export const REPO = 'openshift-release-dev/ocp-release';
const TAG_SUFFIX: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64le: 'ppc64le', multi: 'multi' };

export interface World {
  registry: RegistryHarness;
  store: SignatureStore;
  gpg: GpgHome;
  dir: string;
  graphData: string;
  /** `http://127.0.0.1:<port>/openshift-release-dev/ocp-release` */
  releaseRepo: string;
  /** `127.0.0.1:<port>/openshift-release-dev/ocp-release`: what identities name. */
  identityRepo: string;
  openpgpKeyFile: string;
  sigstoreKeyFile: string;
  digests: Map<string, string>;
  /** Options that point the tool at this world. */
  args(): string[];
  /** Publishes a release image (single-arch or list) fully signed, for extra scenarios; another seed moves the tag. */
  publishSigned(version: string, arch: string, seed?: string): Promise<string>;
  /** Signs an image already in the registry both ways with the trusted keys. */
  signBoth(digest: string, tag: string): Promise<void>;
  /** Overwrites the `.sig` tag of a digest with one made by an untrusted key. */
  overwriteSigWithWrongKey(digest: string, tag: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelLine {
  file: string;
  line: number;
}

export async function startWorld(): Promise<World> {
  const registry = await startRegistry();
  const store = await startStore();
  const gpg = await GpgHome.create();
  const dir = await makeTempDir('e2e');
  try {
    const trusted: GpgKey = await gpg.generateKey({ algo: 'rsa3072', name: 'Trusted Release Signer' });
    const untrusted: GpgKey = await gpg.generateKey({ algo: 'rsa2048', name: 'Someone Else' });
    const openpgpKeyFile = await gpg.exportPublicKeyFile(trusted.fingerprint, { armor: true, name: 'trusted.asc' });
    const cosignKey: TestKey = generateRsaKey('trusted release key');
    const wrongKey: TestKey = generateP256Key('wrong key');
    const sigstoreKeyFile = join(dir, 'trusted.pub');
    await writeFile(sigstoreKeyFile, cosignKey.publicPem);

    const releaseRepo = `${registry.url}/${REPO}`;
    const identityRepo = `${registry.host}/${REPO}`;
    const pusher = new HttpPusher(registry.url, REPO);
    const digests = new Map<string, string>();

    const pushImage = async (img: BuiltImage, tag?: string) => {
      for (const b of [img.config, ...img.layers]) await pusher.blob(b);
      return pusher.manifest(img.manifest, img.mediaType, tag ?? img.digest);
    };
    const pushList = async (list: BuiltIndex, tag: string) => {
      for (const img of list.images) await pushImage(img);
      return pusher.manifest(list.manifest, list.mediaType, tag);
    };
    const openpgpSign = async (digest: string, reference: string, key = trusted) =>
      gpg.sign(new TextEncoder().encode(simpleSigningPayload({ digest, reference })), { key: key.fingerprint });
    const cosign = async (digest: string, tag: string | undefined, key = cosignKey) => {
      // ART signs each image twice: a digest identity and a tag identity.
      const layers = [signLayer({ digest, identity: `${identityRepo}@${digest}`, key })];
      if (tag) layers.push(signLayer({ digest, identity: `${identityRepo}:${tag}`, key }));
      await pushSig(registry.url, REPO, digest, buildSigArtifact(layers));
    };

    const publishSigned = async (version: string, arch: string, seed?: string): Promise<string> => {
      const tag = `${version}-${TAG_SUFFIX[arch]}`;
      if (arch === 'multi') {
        const list = buildIndex({ seed: seed ?? `${version}-multi` });
        const digest = await pushList(list, tag);
        await store.put(digest, 1, await openpgpSign(digest, `${identityRepo}:${tag}`));
        for (const img of list.images) await cosign(img.digest, undefined);
        return digest;
      }
      const digest = await pushImage(buildImage({ arch, seed: seed ?? tag }), tag);
      await store.put(digest, 1, await openpgpSign(digest, `${identityRepo}:${tag}`));
      await cosign(digest, tag);
      return digest;
    };
    const signBoth = async (digest: string, tag: string) => {
      await store.put(digest, 1, await openpgpSign(digest, `${identityRepo}:${tag}`));
      await cosign(digest, tag);
    };

    // 4.50.0: good, amd64 pushed by skopeo (another implementation), arm64 and the list over HTTP.
    const good = buildImage({ arch: 'amd64', seed: '4.50.0-x86_64' });
    const goodDigest = await skopeoPush(good, registry.host, REPO, '4.50.0-x86_64');
    await store.put(goodDigest, 1, await openpgpSign(goodDigest, `${identityRepo}:4.50.0-x86_64`));
    await cosign(goodDigest, '4.50.0-x86_64');
    digests.set('4.50.0/amd64', goodDigest);
    digests.set('4.50.0/arm64', await publishSigned('4.50.0', 'arm64'));
    digests.set('4.50.0/multi', await publishSigned('4.50.0', 'multi'));

    // 4.50.1: unsigned: no OpenPGP signature, no .sig tag.
    digests.set('4.50.1/amd64', await pushImage(buildImage({ arch: 'amd64', seed: '4.50.1' }), '4.50.1-x86_64'));

    // 4.50.2: misfiled: the store holds 4.50.0's genuine signature under 4.50.2's digest.
    const misfiled = await pushImage(buildImage({ arch: 'amd64', seed: '4.50.2' }), '4.50.2-x86_64');
    await store.put(misfiled, 1, await openpgpSign(goodDigest, `${identityRepo}:4.50.0-x86_64`));
    await cosign(misfiled, '4.50.2-x86_64');
    digests.set('4.50.2/amd64', misfiled);

    // 4.50.3: wrong keys: OpenPGP by an untrusted gpg key, .sig by an untrusted cosign key.
    const wrong = await pushImage(buildImage({ arch: 'amd64', seed: '4.50.3' }), '4.50.3-x86_64');
    await store.put(wrong, 1, await openpgpSign(wrong, `${identityRepo}:4.50.3-x86_64`, untrusted));
    await cosign(wrong, '4.50.3-x86_64', wrongKey);
    digests.set('4.50.3/amd64', wrong);

    // 4.50.4: bundle only: a cosign v3 referrer (in the referrers tag schema), no .sig tag.
    const bundleImg = buildImage({ arch: 'amd64', seed: '4.50.4' });
    const bundled = await pushImage(bundleImg, '4.50.4-x86_64');
    await store.put(bundled, 1, await openpgpSign(bundled, `${identityRepo}:4.50.4-x86_64`));
    const referrer = buildBundleReferrer({ digest: bundled, size: bundleImg.manifest.byteLength });
    await pushArtifact(registry.url, REPO, referrer.digest, referrer);
    const referrersIndex = new TextEncoder().encode(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: referrer.mediaType, digest: referrer.digest, size: referrer.manifest.byteLength, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }] }),
    );
    await pusher.manifest(referrersIndex, 'application/vnd.oci.image.index.v1+json', `sha256-${bundled.slice(7)}`);
    digests.set('4.50.4/amd64', bundled);

    // 4.50.5: a manifest list (pushed by skopeo --all) whose arm64 instance has no .sig.
    const partial = buildIndex({ seed: '4.50.5-multi' });
    const partialDigest = await skopeoPush(partial, registry.host, REPO, '4.50.5-multi', { all: true });
    await store.put(partialDigest, 1, await openpgpSign(partialDigest, `${identityRepo}:4.50.5-multi`));
    for (const img of partial.images) if (img.arch !== 'arm64') await cosign(img.digest, undefined);
    digests.set('4.50.5/multi', partialDigest);
    digests.set('4.50.5/multi/arm64', partial.images.find((i) => i.arch === 'arm64')!.digest);

    const graphData = join(dir, 'graph-data');
    await mkdir(join(graphData, 'channels'), { recursive: true });
    await writeFile(join(graphData, 'channels', 'candidate-4.50.yaml'), 'name: candidate-4.50\nversions:\n- 4.50.0\n- 4.50.1\n# a comment line\n- 4.50.2\n- 4.50.3\n- 4.50.4\n- 4.50.5\n');
    await writeFile(join(graphData, 'channels', 'fast-4.50.yaml'), 'name: fast-4.50\nversions:\n- 4.50.0\n- 4.50.1\n');

    return {
      registry,
      store,
      gpg,
      dir,
      graphData,
      releaseRepo,
      identityRepo,
      openpgpKeyFile,
      sigstoreKeyFile,
      digests,
      args: () => ['--release-repo', releaseRepo, '--signature-store', store.base, '--openpgp-key', openpgpKeyFile, '--sigstore-key', sigstoreKeyFile, '--arch', 'amd64,arm64,multi', '--retries', '2', '--timeout', '10s'],
      publishSigned,
      signBoth,
      overwriteSigWithWrongKey: (digest, tag) => cosign(digest, tag, wrongKey),
      stop: async () => {
        await registry.stop();
        await store.stop();
        await gpg.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await registry.stop();
    await store.stop();
    await gpg.close();
    throw err;
  }
}
