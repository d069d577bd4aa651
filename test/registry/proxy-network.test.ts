/**
 * Every request of a check goes through the proxy of the environment: the registry, its token
 * endpoint (on another host) and the signature store, each under a name that only the proxy
 * (squid, with its own hosts file) resolves. With NO_PROXY naming them, none does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork, type Network, type NetworkOptions } from '../../src/wiring/network.ts';
import { buildImage, HttpPusher } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startSquid, type SquidProxy } from '../harness/squid.ts';
import { startStore, type SignatureStore } from '../harness/store.ts';
import { startTokenIssuer, type TokenIssuer } from '../harness/token-issuer.ts';

const REPO = 'ocp/release';
const image = buildImage({ arch: 'amd64', seed: 'proxied' });
let squid: SquidProxy;
let issuer: TokenIssuer;
let registry: RegistryHarness;
let store: SignatureStore;
const networks: Network[] = [];

beforeAll(async () => {
  squid = await startSquid(['registry.sigcheck.test', 'auth.sigcheck.test', 'store.sigcheck.test']);
  issuer = await startTokenIssuer();
  registry = await startRegistry({ kind: 'token', realm: `http://auth.sigcheck.test:${issuer.port}/token`, service: issuer.service, issuer: issuer.issuer, rootCertBundle: issuer.rootCertBundle });
  await new HttpPusher(registry.url, REPO, `Bearer ${issuer.mint([{ name: REPO, actions: ['pull', 'push'] }], 'pusher')}`).image(image, '4.99.1-x86_64');
  store = await startStore();
  await store.put(image.digest, 1, new Uint8Array([1, 2, 3]));
});

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  await Promise.all([registry?.stop(), issuer?.stop(), store?.stop()]);
  await squid?.stop();
});

async function network(env: NodeJS.ProcessEnv, lookup?: NetworkOptions['lookup']): Promise<Network> {
  const n = await createNetwork(
    { releaseRepo: `http://registry.sigcheck.test:${registry.port}/${REPO}`, signatureStores: [], concurrency: 4, retries: 1, timeoutMs: 5000 },
    { credentials: CredentialStore.empty(), env, ...(lookup ? { lookup } : {}) },
  );
  networks.push(n);
  return n;
}

describe('HTTP_PROXY from the environment', () => {
  it('carries the registry, the token endpoint and the store', async () => {
    const net = await network({ http_proxy: squid.url });
    const before = squid.connections();
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest: image.digest, tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest: image.digest }) });
    const sig = await net.fetchStoreSignature(`http://store.sigcheck.test:${store.port}/signatures/sha256=${image.digest.slice(7)}/signature-1`);
    expect(sig).toMatchObject({ kind: 'found' });
    expect(squid.connections() - before).toBeGreaterThan(0);
    const forwarded = (await squid.accessLog()).filter((l) => l.method === 'GET').map((l) => new URL(l.url.startsWith('http') ? l.url : `http://${l.url}`).host);
    expect(forwarded).toContain(`registry.sigcheck.test:${registry.port}`);
    expect(forwarded).toContain(`auth.sigcheck.test:${issuer.port}`);
    expect(forwarded).toContain(`store.sigcheck.test:${store.port}`);
    expect(issuer.requests.length).toBeGreaterThan(0);
  });

  it('honours NO_PROXY: the hosts it names are reached directly, and nothing reaches the proxy', async () => {
    // The names resolve here only through this stand-in for the system resolver (no DNS in tests).
    const looked: string[] = [];
    const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      looked.push(hostname);
      if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as NonNullable<NetworkOptions['lookup']>;
    const net = await network({ HTTP_PROXY: squid.url, NO_PROXY: 'sigcheck.test' }, lookup);
    const before = squid.connections();
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toMatchObject({ kind: 'found', digest: image.digest });
    expect(await net.fetchStoreSignature(`http://store.sigcheck.test:${store.port}/signatures/sha256=${image.digest.slice(7)}/signature-1`)).toMatchObject({ kind: 'found' });
    expect(new Set(looked)).toEqual(new Set(['registry.sigcheck.test', 'auth.sigcheck.test', 'store.sigcheck.test']));
    expect(squid.connections() - before).toBe(0);
  });
});
