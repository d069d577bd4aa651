/**
 * Registry authentication against real docker-registry instances: credentialed bearer tokens, a
 * token realm on another host, a token the registry does not accept, token expiry, a flaky token
 * endpoint, and htpasswd (Basic). Credentials go to the registry's own host only and never show up
 * in messages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkConfig } from '../../src/options/registry.ts';
import { HttpClient } from '../../src/http/client.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildImage, HttpPusher } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startTokenIssuer, type TokenIssuer } from '../harness/token-issuer.ts';
import { credentialsFor, startTokenRegistry, type TokenRegistryEnv } from './env.ts';

const REPO = 'ocp/release';
const SCOPE = `repository:${REPO}:pull`;
const image = buildImage({ arch: 'amd64', seed: 'auth' });

let dir: string;
let priv: TokenRegistryEnv; // token registry that refuses anonymous pulls
let issuer2: TokenIssuer; // a second issuer, anonymous pulls allowed, on its own host
let untrusted: RegistryHarness; // trusts priv's issuer, sends clients to issuer2: its tokens are refused
let untrustedProxy: FaultProxy;
let elsewhere: RegistryHarness; // trusts issuer2, whose realm is on another host than the registry
let elsewhereProxy: FaultProxy;
let basic: RegistryHarness; // htpasswd
const stops: Array<() => Promise<void>> = [];
const networks: Network[] = [];

async function network(repo: string, credentials: CredentialStore, overrides: Partial<NetworkConfig> = {}): Promise<Network> {
  const n = await createNetwork({ releaseRepo: repo, signatureStores: [], concurrency: 4, retries: 3, timeoutMs: 5000, ...overrides }, { credentials, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  networks.push(n);
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-auth-'));
  priv = await startTokenRegistry({ anonymousPull: false, users: { reader: 'reader-pw' } });
  stops.push(() => priv.stop());
  await priv.pusher(REPO).image(image, '4.99.1-x86_64');

  issuer2 = await startTokenIssuer();
  stops.push(() => issuer2.stop());
  untrusted = await startRegistry({ kind: 'token', realm: issuer2.realm, service: priv.issuer.service, issuer: priv.issuer.issuer, rootCertBundle: priv.issuer.rootCertBundle });
  stops.push(() => untrusted.stop());
  untrustedProxy = await startFaultProxy({ target: untrusted.url });
  stops.push(() => untrustedProxy.stop());

  elsewhere = await startRegistry({ kind: 'token', realm: issuer2.realm, service: issuer2.service, issuer: issuer2.issuer, rootCertBundle: issuer2.rootCertBundle });
  stops.push(() => elsewhere.stop());
  elsewhereProxy = await startFaultProxy({ target: elsewhere.url });
  stops.push(() => elsewhereProxy.stop());
  await new HttpPusher(elsewhere.url, REPO, `Bearer ${issuer2.mint([{ name: REPO, actions: ['pull', 'push'] }], 'pusher')}`).image(image, '4.99.1-x86_64');

  basic = await startRegistry({ kind: 'htpasswd', users: { reader: 'basic-pw' } });
  stops.push(() => basic.stop());
  await new HttpPusher(basic.url, REPO, `Basic ${Buffer.from('reader:basic-pw').toString('base64')}`).image(image, '4.99.1-x86_64');
});

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  for (const stop of stops.reverse()) await stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bearer tokens', () => {
  it('sends the credentials of REGISTRY_AUTH_FILE to the token endpoint of the same host, and only a token to the registry', async () => {
    priv.issuer.reset();
    const credentials = await credentialsFor({ [priv.proxy.host]: { username: 'reader', password: 'reader-pw' } }, dir);
    const net = await network(`http://${priv.proxy.host}/${REPO}`, credentials);
    const before = priv.proxy.requests.length;
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest: image.digest, tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest: image.digest }) });
    expect(priv.issuer.requests).toEqual([{ scopes: [SCOPE], accountParam: 'reader', sentUser: 'reader', service: priv.issuer.service, account: 'reader', sentCredentials: true, status: 200 }]);
    const registryRequests = priv.proxy.requests.slice(before).filter((r) => r.path.startsWith('/v2/'));
    expect(registryRequests.length).toBeGreaterThan(0);
    for (const r of registryRequests) expect(r.headers.authorization ?? '').not.toMatch(/^Basic/);
    expect(registryRequests.at(-1)!.headers.authorization).toMatch(/^Bearer /);
  });

  it('reports a private repository without credentials as an authentication error, not as absent', async () => {
    const net = await network(`http://${priv.proxy.host}/${REPO}`, CredentialStore.empty());
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain('anonymous request; the repository may be private');
    expect(r.kind === 'error' && r.reason).toContain('REGISTRY_AUTH_FILE');
  });

  it('reports rejected credentials without showing them', async () => {
    const credentials = await credentialsFor({ [priv.proxy.host]: { username: 'reader', password: 'wrong-secret' } }, dir);
    const net = await network(`http://${priv.proxy.host}/${REPO}`, credentials);
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    const reason = r.kind === 'error' ? r.reason : '';
    expect(reason).toContain('answered 401 to the credentials');
    expect(reason).toContain(credentials.files[0]);
    expect(reason).not.toContain('wrong-secret');
    expect(reason).not.toContain(Buffer.from('reader:wrong-secret').toString('base64'));
  });

  it('never sends the credentials of a registry to a token realm on another host', async () => {
    issuer2.reset();
    const credentials = await credentialsFor({ [elsewhereProxy.host]: { username: 'reader', password: 'registry-secret' } }, dir);
    const net = await network(`http://${elsewhereProxy.host}/${REPO}`, credentials);
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toMatchObject({ kind: 'found', digest: image.digest });
    expect(issuer2.requests).toHaveLength(1);
    expect(issuer2.requests[0]).toMatchObject({ sentCredentials: false, account: undefined });
  });

  it('does not retry a 401 to a freshly issued token', async () => {
    issuer2.reset();
    const net = await network(`http://${untrustedProxy.host}/${REPO}`, CredentialStore.empty());
    const before = untrustedProxy.total();
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain('refused a freshly issued authorization (401)');
    // One anonymous probe, one request with the fresh token; one token request.
    expect(untrustedProxy.total() - before).toBe(2);
    expect(issuer2.requests).toHaveLength(1);
  });

  it('renews a token when it expires, and reuses it until then', async () => {
    priv.issuer.reset();
    let now = Date.now();
    const credentials = await credentialsFor({ [priv.proxy.host]: { username: 'reader', password: 'reader-pw' } }, dir);
    const http = new HttpClient({ retry: { retries: 1, baseDelayMs: 5 } });
    try {
      const client = new RegistryClient(http, new RegistryAuth(http, credentials, () => now));
      const repo = parseRepository(`http://${priv.proxy.host}/${REPO}`);
      for (let i = 0; i < 3; i++) expect((await client.getManifest(repo, '4.99.1-x86_64')).kind).toBe('found');
      expect(priv.issuer.countFor(SCOPE)).toBe(1);
      now += 301_000; // the issuer's tokens live 300 s
      expect((await client.getManifest(repo, '4.99.1-x86_64')).kind).toBe('found');
      expect(priv.issuer.countFor(SCOPE)).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('retries a token endpoint that answers 502', async () => {
    priv.issuer.reset();
    priv.proxy.failNext(['502', '503'], /^\/token/);
    const credentials = await credentialsFor({ [priv.proxy.host]: { username: 'reader', password: 'reader-pw' } }, dir);
    const net = await network(`http://${priv.proxy.host}/${REPO}`, credentials);
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toMatchObject({ kind: 'found', digest: image.digest });
    expect(priv.proxy.faults['502']).toBeGreaterThanOrEqual(1);
    expect(priv.issuer.countFor(SCOPE)).toBe(1);
    expect(net.stats().hosts[priv.proxy.host]!.retries).toBe(2);
    expect(net.stats().tokenRequests).toBe(1);
  });
});

describe('htpasswd (Basic)', () => {
  it('uses the Basic credentials of the registry host', async () => {
    const credentials = await credentialsFor({ [basic.host]: { username: 'reader', password: 'basic-pw' } }, dir);
    const net = await network(`http://${basic.host}/${REPO}`, credentials);
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest: image.digest, tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest: image.digest }) });
    expect(await net.resolver.resolve('4.99.1', 'arm64')).toEqual({ kind: 'absent', tag: '4.99.1-aarch64' });
  });

  it('says where to put credentials when there are none', async () => {
    const net = await network(`http://${basic.host}/${REPO}`, CredentialStore.empty());
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain(`requires credentials (Basic) and none were found for ${basic.host}`);
  });

  it('reports wrong credentials as an error after one retry with them, without showing them', async () => {
    const credentials = await credentialsFor({ [basic.host]: { username: 'reader', password: 'nope-secret' } }, dir);
    const net = await network(`http://${basic.host}/${REPO}`, credentials);
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain('refused a freshly issued authorization (401)');
    expect(JSON.stringify(r)).not.toContain('nope-secret');
    expect(net.stats().requests).toBe(2);
  });
});
