/**
 * The resolver against a real registry with token auth: tags pushed by the real skopeo resolve to the
 * digests skopeo reports, a manifest list with its instances, absent architectures, old bare tags,
 * one token request per scope; malformed input never reaches the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkConfig } from '../../src/options/registry.ts';
import { ARCHES } from '../../src/model/arch.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { DOCKER_MANIFEST } from '../../src/registry/manifest.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { buildImage, buildIndex, type BuiltIndex, type Digest } from '../harness/images.ts';
import { skopeoPush } from '../harness/skopeo.ts';
import { startTokenRegistry, type TokenRegistryEnv } from './env.ts';

const REPO = 'openshift-release-dev/ocp-release';
const SCOPE = `repository:${REPO}:pull`;

let env: TokenRegistryEnv;
const pushed: Record<string, Digest> = {};
let list: BuiltIndex;
const networks: Network[] = [];

async function network(overrides: Partial<NetworkConfig> = {}): Promise<Network> {
  const n = await createNetwork(
    { releaseRepo: `http://${env.proxy.host}/${REPO}`, signatureStores: [], concurrency: 8, retries: 2, timeoutMs: 5000, ...overrides },
    { credentials: CredentialStore.empty(), retry: { baseDelayMs: 5, maxDelayMs: 50 } },
  );
  networks.push(n);
  return n;
}

beforeAll(async () => {
  env = await startTokenRegistry();
  const creds = { destCreds: 'pusher:push-pw' };
  list = buildIndex({ seed: '4.99.1-multi' });
  const [amd64, arm64, multi, wrongMulti, old, dockerList] = await Promise.all([
    skopeoPush(buildImage({ arch: 'amd64', seed: '4.99.1-x86_64' }), env.registry.host, REPO, '4.99.1-x86_64', creds),
    // Docker schema 2, as quay.io serves release images.
    skopeoPush(buildImage({ arch: 'arm64', seed: '4.99.1-aarch64' }), env.registry.host, REPO, '4.99.1-aarch64', { ...creds, format: 'v2s2' }),
    skopeoPush(list, env.registry.host, REPO, '4.99.1-multi', { ...creds, all: true }),
    skopeoPush(buildImage({ arch: 'amd64', seed: '4.99.2-multi' }), env.registry.host, REPO, '4.99.2-multi', creds),
    // A 4.1-era release: only the bare version tag, an s390x image.
    skopeoPush(buildImage({ arch: 's390x', seed: '4.1.99' }), env.registry.host, REPO, '4.1.99', creds),
    // A Docker manifest list of Docker schema 2 manifests, as quay.io serves multi releases.
    skopeoPush(buildIndex({ seed: '4.99.3-multi' }), env.registry.host, REPO, '4.99.3-multi', { ...creds, all: true, format: 'v2s2' }),
  ]);
  Object.assign(pushed, { amd64, arm64, multi, wrongMulti, old, dockerList });
  env.issuer.reset();
});

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  await env?.stop();
});

describe('RegistryResolver against docker-registry with token auth', () => {
  it('resolves each tag to the digest skopeo reported, and a manifest list with its instances', async () => {
    const net = await network();
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest: pushed['amd64'], tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest: pushed['amd64'] }) });
    expect(await net.resolver.resolve('4.99.1', 'arm64')).toEqual({ kind: 'found', digest: pushed['arm64'], tag: '4.99.1-aarch64', manifest: expect.objectContaining({ digest: pushed['arm64'] }) });
    const multi = await net.resolver.resolve('4.99.1', 'multi');
    expect(multi).toEqual({
      kind: 'found',
      digest: pushed['multi'],
      tag: '4.99.1-multi',
      instances: list.images.map((img) => ({ digest: img.digest, arch: img.arch })),
    });
    expect(pushed['multi']).toBe(list.digest);
  });

  it('resolves a Docker manifest list, whose instances are Docker schema 2 manifests', async () => {
    const net = await network();
    const r = await net.resolver.resolve('4.99.3', 'multi');
    expect(r).toMatchObject({ kind: 'found', digest: pushed['dockerList'], tag: '4.99.3-multi' });
    const instances = r.kind === 'found' ? (r.instances ?? []) : [];
    expect(instances.map((i) => i.arch)).toEqual(['amd64', 'arm64', 's390x', 'ppc64le']);
    for (const instance of instances) {
      const m = await net.registry.getManifest(net.repository, instance.digest);
      expect(m).toMatchObject({ kind: 'found', value: { digest: instance.digest, mediaType: DOCKER_MANIFEST } });
    }
  });

  it('asks the token endpoint once per scope, not once per request', async () => {
    env.issuer.reset();
    const net = await network();
    const before = env.proxy.total();
    const results = await Promise.all(['4.99.1', '4.99.2', '4.99.3'].flatMap((v) => ARCHES.map((a) => net.resolver.resolve(v, a))));
    expect(results).toHaveLength(15);
    const requests = env.proxy.total() - before;
    const tokens = env.issuer.countFor(SCOPE);
    console.log(`token auth: ${requests} requests through the registry origin, ${tokens} token request(s) for ${SCOPE}; client counted ${net.stats().tokenRequests}`);
    expect(tokens).toBe(1);
    expect(net.stats().tokenRequests).toBe(1);
    expect(requests).toBeGreaterThan(15);
    // A second batch on the same client reuses the cached token.
    await Promise.all(ARCHES.map((a) => net.resolver.resolve('4.99.1', a)));
    expect(env.issuer.countFor(SCOPE)).toBe(1);
    env.issuer.reset();
  });

  it('reports an architecture that was not published as absent', async () => {
    const net = await network();
    expect(await net.resolver.resolve('4.99.1', 's390x')).toEqual({ kind: 'absent', tag: '4.99.1-s390x' });
    expect(await net.resolver.resolve('4.99.9', 'multi')).toEqual({ kind: 'absent', tag: '4.99.9-multi' });
  });

  it('refuses a -multi tag that is not a manifest list, saying why', async () => {
    const net = await network();
    const r = await net.resolver.resolve('4.99.2', 'multi');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain(`is a single-architecture manifest`);
    expect(r.kind === 'error' && r.reason).toContain(pushed['wrongMulti']);
  });

  it('resolves an old release from its bare tag, reading the tag and its config once per version', async () => {
    const net = await network();
    const paths = () => env.proxy.requests.map((r) => r.path);
    const before = paths().length;
    const results = await Promise.all(ARCHES.map((a) => net.resolver.resolve('4.1.99', a)));
    expect(results).toEqual([
      { kind: 'absent', tag: '4.1.99-x86_64' },
      { kind: 'absent', tag: '4.1.99-aarch64' },
      { kind: 'found', digest: pushed['old'], tag: '4.1.99' },
      { kind: 'absent', tag: '4.1.99-ppc64le' },
      { kind: 'absent', tag: '4.1.99-multi' },
    ]);
    const after = paths().slice(before);
    expect(after.filter((p) => p.endsWith('/manifests/4.1.99'))).toHaveLength(1);
    expect(after.filter((p) => p.includes('/blobs/'))).toHaveLength(1);
  });

  it('rejects a version that makes no valid tag before any request', async () => {
    const net = await network();
    const before = env.proxy.total();
    for (const version of ['../../v2/x', '4.99.1/../..', 'x'.repeat(130), '4.99.1?x', '']) {
      const r = await net.resolver.resolve(version, 'amd64');
      expect(r.kind).toBe('error');
    }
    expect(env.proxy.total()).toBe(before);
  });

  it('reads from a mirror when one is configured', async () => {
    const mirrorRepo = 'mirror/ocp-release';
    const img = buildImage({ arch: 'amd64', seed: 'mirrored' });
    await env.pusher(mirrorRepo).image(img, '4.99.5-x86_64');
    const net = await network({ releaseRepo: 'quay.io/openshift-release-dev/ocp-release', mirror: `http://${env.proxy.host}/${mirrorRepo}` });
    expect(net.repository.display).toBe(`${env.proxy.host}/${mirrorRepo}`);
    expect(net.releaseRepository.display).toBe('quay.io/openshift-release-dev/ocp-release');
    expect(await net.resolver.resolve('4.99.5', 'amd64')).toEqual({ kind: 'found', digest: img.digest, tag: '4.99.5-x86_64', manifest: expect.objectContaining({ digest: img.digest }) });
    expect(net.sigstoreSource.repository).toBe(`${env.proxy.host}/${mirrorRepo}`);
    expect(net.stats().hosts['quay.io']).toBeUndefined();
  });

  it('turns a registry that keeps failing into error, never absent', async () => {
    const net = await network({ retries: 1 });
    env.proxy.configure({ rate: 1, kinds: ['503'] });
    try {
      const r = await net.resolver.resolve('4.99.1', 'amd64');
      expect(r.kind).toBe('error');
      expect(r.kind === 'error' && r.reason).toContain('503');
      expect(r.kind === 'error' && r.reason).toContain('gave up after 2 attempts');
    } finally {
      env.proxy.configure({ rate: 0 });
    }
  });
});
