/**
 * Releases with real payloads on real servers, for the components and release-metadata checks:
 * Debian's docker-registry (behind a fault proxy, which names every image: identities and
 * image-references use the proxy's host, so a faulty run breaks component requests too), a signature
 * store with gpg signatures, cosign-format `.sig` tags, and payloads laid out as ART builds them
 * (payload.ts): base layers, then release-manifests/ with an ImageStream of components in both
 * art-dev repositories, release-metadata, the keys ConfigMap and the ClusterImagePolicy.
 *
 * Each release is one scenario of the components issue; EXPECTED says what every check must give.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSigArtifact, clusterImagePolicyYaml, generateP256Key, generateRsaKey, pushSig, signLayer, type TestKey } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { HttpPusher, type BuiltImage, type BuiltIndex } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startStore, type SignatureStore } from '../harness/store.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildComponentImage, buildComponentList, buildMultiPayload, buildPayload, type ComponentSpec } from '../harness/payload.ts';

export const NS = 'openshift-release-dev';
export const RELEASE = `${NS}/ocp-release`;
export const ART4 = `${NS}/ocp-v4.0-art-dev`;
export const ART5 = `${NS}/ocp-v5.0-art-dev`;
/** A repository no scope of the policy covers. */
export const EXTRAS = `${NS}/ocp-extras`;

type Outcome = 'verified' | 'missing' | 'invalid' | 'error' | 'skipped';
/** Per node `version/arch`: [openpgp, sigstore, components, metadata]. */
export const EXPECTED: Record<string, [Outcome, Outcome, Outcome, Outcome]> = {
  '4.60.0/amd64': ['verified', 'verified', 'verified', 'verified'],
  '4.60.0/multi': ['verified', 'verified', 'verified', 'verified'],
  '4.60.1/amd64': ['verified', 'verified', 'missing', 'verified'],
  '4.60.2/amd64': ['verified', 'verified', 'invalid', 'verified'],
  '4.60.3/amd64': ['verified', 'verified', 'invalid', 'verified'],
  '4.60.4/multi': ['verified', 'verified', 'missing', 'verified'],
  '4.60.5/amd64': ['verified', 'verified', 'verified', 'verified'],
  '4.60.6/amd64': ['verified', 'verified', 'verified', 'invalid'],
  '4.60.7/arm64': ['verified', 'verified', 'verified', 'invalid'],
  '4.60.8/amd64': ['verified', 'verified', 'invalid', 'invalid'],
  '4.60.9/amd64': ['verified', 'verified', 'invalid', 'invalid'],
};
export const VERSIONS = ['4.60.0', '4.60.1', '4.60.2', '4.60.3', '4.60.4', '4.60.5', '4.60.6', '4.60.7', '4.60.8', '4.60.9'];
/** The manifests layer of 4.60.9 is over this download cap; every other payload's is far under it. */
export const DOWNLOAD_CAP = '1MiB';

export interface PayloadWorld {
  registry: RegistryHarness;
  proxy: FaultProxy;
  store: SignatureStore;
  dir: string;
  graphData: string;
  /** `http://<proxy>/openshift-release-dev/ocp-release` */
  releaseRepo: string;
  /** `<proxy host>`: what identities and image-references name. */
  host: string;
  openpgpKeyFile: string;
  policyFile: string;
  /** What the scenarios name in their findings: the bad components' digests, the mis-tagged payload. */
  facts: Record<string, string>;
  args(): string[];
  stop(): Promise<void>;
}

const TAG: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', multi: 'multi' };

export async function startPayloadWorld(): Promise<PayloadWorld> {
  const registry = await startRegistry();
  const proxy = await startFaultProxy({ target: registry.url, seed: 60, rate: 0, stallMs: 2500 });
  const store = await startStore();
  const gpg = await GpgHome.create();
  const dir = await makeTempDir('payload-e2e');
  try {
    const host = proxy.host;
    const trusted: GpgKey = await gpg.generateKey({ algo: 'rsa2048', name: 'Trusted Release Signer' });
    const openpgpKeyFile = await gpg.exportPublicKeyFile(trusted.fingerprint, { armor: true, name: 'trusted.asc' });
    const cosignKey: TestKey = generateRsaKey('trusted release key 3', 2048);
    const wrongKey: TestKey = generateP256Key('nobody trusts this key');
    const facts: Record<string, string> = {};

    // The openshift ClusterImagePolicy's three scopes, on this registry, with the test key.
    const policyFile = join(dir, 'cluster-image-policy.yaml');
    await writeFile(policyFile, clusterImagePolicyYaml([`${host}/${RELEASE}`, `${host}/${ART4}`, `${host}/${ART5}`], cosignKey));

    const pushers = new Map<string, HttpPusher>();
    const pusher = (repo: string) => {
      let p = pushers.get(repo);
      if (!p) pushers.set(repo, (p = new HttpPusher(registry.url, repo)));
      return p;
    };
    /** ART signs each image twice: a digest identity and a tag identity (here only the digest one for components). */
    const cosign = async (repo: string, digest: string, options: { key?: TestKey; identityRepo?: string; tag?: string } = {}) => {
      const identityRepo = options.identityRepo ?? repo;
      const layers = [signLayer({ digest, identity: `${host}/${identityRepo}@${digest}`, key: options.key ?? cosignKey })];
      layers.push(signLayer({ digest, identity: `${host}/${identityRepo}:${options.tag ?? 'component'}`, key: options.key ?? cosignKey }));
      await pushSig(registry.url, repo, digest, buildSigArtifact(layers));
    };
    const openpgpSign = async (digest: string, tag: string) => store.put(digest, 1, await gpg.sign(new TextEncoder().encode(simpleSigningPayload({ digest, reference: `${host}/${RELEASE}:${tag}` })), { key: trusted.fingerprint }));

    // Components: one image per architecture, signed; and lists of them for multi releases.
    const names = [
      { name: 'cluster-version-operator', repo: ART4 },
      { name: 'machine-config-operator', repo: ART4 },
      { name: 'cluster-ingress-operator', repo: ART4 },
      { name: 'installer', repo: ART5 },
      { name: 'cli', repo: ART5 },
    ];
    const images = new Map<string, BuiltImage>();
    const lists = new Map<string, BuiltIndex>();
    for (const c of names) {
      const list = buildComponentList(c.name, 'v1', ['amd64', 'arm64']);
      for (const img of list.images) {
        await pusher(c.repo).image(img);
        await cosign(c.repo, img.digest);
        images.set(`${c.name}/${img.arch}`, img);
      }
      await pusher(c.repo).manifest(list.manifest, list.mediaType, list.digest);
      lists.set(c.name, list);
    }
    const ref = (repo: string, digest: string) => `${host}/${repo}@${digest}`;
    const specs = (arch: string, replace: Record<string, string> = {}): ComponentSpec[] =>
      names.map((c) => ({ name: c.name, reference: replace[c.name] ?? ref(c.repo, arch === 'multi' ? lists.get(c.name)!.digest : images.get(`${c.name}/${arch}`)!.digest) }));

    const publish = async (img: BuiltImage, version: string, arch: string) => {
      const tag = `${version}-${TAG[arch]}`;
      await pusher(RELEASE).image(img, tag);
      await openpgpSign(img.digest, tag);
      await cosign(RELEASE, img.digest, { tag });
      return img.digest;
    };

    // 4.60.0: everything signed, amd64 and multi.
    const good = await buildPayload({ version: '4.60.0', arch: 'amd64', components: specs('amd64') });
    facts['4.60.0/amd64'] = await publish(good, '4.60.0', 'amd64');
    const multi = await buildMultiPayload({ version: '4.60.0', arches: ['amd64', 'arm64'], components: () => specs('multi') });
    for (const img of multi.images) {
      await pusher(RELEASE).image(img);
      await cosign(RELEASE, img.digest);
    }
    await pusher(RELEASE).manifest(multi.manifest, multi.mediaType, '4.60.0-multi');
    await openpgpSign(multi.digest, '4.60.0-multi');

    // 4.60.1: machine-config-operator was rebuilt and never signed.
    const unsigned = buildComponentImage('machine-config-operator', 'amd64', 'rebuilt, unsigned');
    await pusher(ART4).image(unsigned);
    facts['4.60.1/component'] = unsigned.digest;
    await publish(await buildPayload({ version: '4.60.1', arch: 'amd64', components: specs('amd64', { 'machine-config-operator': ref(ART4, unsigned.digest) }) }), '4.60.1', 'amd64');

    // 4.60.2: cluster-ingress-operator signed by a key nobody trusts.
    const wrong = buildComponentImage('cluster-ingress-operator', 'amd64', 'wrong key');
    await pusher(ART4).image(wrong);
    await cosign(ART4, wrong.digest, { key: wrongKey });
    facts['4.60.2/component'] = wrong.digest;
    await publish(await buildPayload({ version: '4.60.2', arch: 'amd64', components: specs('amd64', { 'cluster-ingress-operator': ref(ART4, wrong.digest) }) }), '4.60.2', 'amd64');

    // 4.60.3: the installer (ocp-v5.0-art-dev) is signed, but its identity names ocp-v4.0-art-dev.
    const elsewhere = buildComponentImage('installer', 'amd64', 'identity names another repository');
    await pusher(ART5).image(elsewhere);
    await cosign(ART5, elsewhere.digest, { identityRepo: ART4 });
    facts['4.60.3/component'] = elsewhere.digest;
    await publish(await buildPayload({ version: '4.60.3', arch: 'amd64', components: specs('amd64', { installer: ref(ART5, elsewhere.digest) }) }), '4.60.3', 'amd64');

    // 4.60.4 (multi): the cli list's arm64 instance has no .sig.
    const partial = buildComponentList('cli', 'v2, arm64 unsigned', ['amd64', 'arm64']);
    for (const img of partial.images) {
      await pusher(ART5).image(img);
      if (img.arch !== 'arm64') await cosign(ART5, img.digest);
    }
    await pusher(ART5).manifest(partial.manifest, partial.mediaType, partial.digest);
    facts['4.60.4/component'] = partial.digest;
    facts['4.60.4/instance'] = partial.images.find((i) => i.arch === 'arm64')!.digest;
    const multi4 = await buildMultiPayload({ version: '4.60.4', arches: ['amd64', 'arm64'], components: () => specs('multi', { cli: ref(ART5, partial.digest) }) });
    for (const img of multi4.images) {
      await pusher(RELEASE).image(img);
      await cosign(RELEASE, img.digest);
    }
    await pusher(RELEASE).manifest(multi4.manifest, multi4.mediaType, '4.60.4-multi');
    await openpgpSign(multi4.digest, '4.60.4-multi');

    // 4.60.5: one more component, in a repository no scope covers, unsigned: reported, not failed.
    const outside = buildComponentImage('must-gather', 'amd64', 'outside the scopes');
    await pusher(EXTRAS).image(outside);
    await publish(await buildPayload({ version: '4.60.5', arch: 'amd64', components: [...specs('amd64'), { name: 'must-gather', reference: ref(EXTRAS, outside.digest) }] }), '4.60.5', 'amd64');

    // 4.60.6: the tag holds 4.60.0's payload (signed, for 4.60.0).
    await pusher(RELEASE).manifest(good.manifest, good.mediaType, '4.60.6-x86_64');
    facts['4.60.6/amd64'] = good.digest;

    // 4.60.7: the aarch64 tag holds an amd64 payload that says 4.60.7.
    facts['4.60.7/arm64'] = await publish(await buildPayload({ version: '4.60.7', arch: 'amd64', components: specs('amd64') }), '4.60.7', 'arm64');

    // 4.60.8: no release-manifests/ in any layer.
    await publish(await buildPayload({ version: '4.60.8', arch: 'amd64', components: specs('amd64'), noManifests: true }), '4.60.8', 'amd64');

    // 4.60.9: a manifests layer of 2 MiB, over the 1 MiB download cap of the run.
    await publish(await buildPayload({ version: '4.60.9', arch: 'amd64', components: specs('amd64'), manifestsFiller: 2 * 1024 * 1024 }), '4.60.9', 'amd64');

    const graphData = join(dir, 'graph-data');
    await mkdir(join(graphData, 'channels'), { recursive: true });
    await writeFile(join(graphData, 'channels', 'candidate-4.60.yaml'), `name: candidate-4.60\nversions:\n${VERSIONS.map((v) => `- ${v}`).join('\n')}\n`);
    const releaseRepo = `${proxy.url}/${RELEASE}`;
    return {
      registry,
      proxy,
      store,
      dir,
      graphData,
      releaseRepo,
      host,
      openpgpKeyFile,
      policyFile,
      facts,
      args: () => [
        '--release-repo', releaseRepo,
        '--signature-store', store.base,
        '--openpgp-key', openpgpKeyFile,
        '--image-policy', policyFile,
        '--arch', 'amd64,arm64,multi',
        '--payload-max-download', DOWNLOAD_CAP,
        '--retries', '8',
        '--timeout', '2s',
      ],
      stop: async () => {
        await proxy.stop();
        await registry.stop();
        await store.stop();
        await gpg.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await proxy.stop();
    await registry.stop();
    await store.stop();
    await gpg.close();
    throw err;
  }
}
