/**
 * Proxies from the environment: the NO_PROXY rules as pure functions, then a real forwarding proxy
 * (squid) on loopback. Targets have names only the proxy resolves, so an answer proves the request
 * went through it; connections to the proxy are counted by a relay in front of it.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigcheckError, type SigcheckError } from '../../src/model/errors.ts';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import { isLoopbackHost, parseProxyUrl, proxyFromEnv, ProxyRoutes } from '../../src/http/proxy.ts';
import { freePort } from '../harness/registry.ts';
import { startSquid, type SquidProxy } from '../harness/squid.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { startTestCA, type TestCA } from '../harness/tls.ts';

describe('proxy settings', () => {
  it('reads both spellings, the lower-case one winning, as curl and Go do', () => {
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://h:3', NO_PROXY: 'a' })).toEqual({ httpsProxy: 'http://lower:2', httpProxy: 'http://h:3', noProxy: 'a' });
    expect(proxyFromEnv({ HTTPS_PROXY: ' ' })).toEqual({});
  });

  it('reads a proxy without a scheme as http://, and refuses other schemes', () => {
    expect(parseProxyUrl('proxy.example.com:3128', 'HTTPS_PROXY').href).toBe('http://proxy.example.com:3128/');
    expect(() => parseProxyUrl('socks5://p:1080', 'HTTPS_PROXY')).toThrow(/socks5:\/\/ proxies are not supported/);
  });

  it('chooses the proxy by scheme; an https URL does not fall back to HTTP_PROXY', () => {
    const only = new ProxyRoutes({ httpProxy: 'http://p:3128' });
    expect(only.proxyFor(new URL('http://quay.io/v2/'))?.host).toBe('p:3128');
    expect(only.proxyFor(new URL('https://quay.io/v2/'))).toBeUndefined();
  });

  it('applies NO_PROXY as curl and Go read it', () => {
    const r = new ProxyRoutes({ httpsProxy: 'http://p:3128', noProxy: 'example.com, .internal.test,*.sub.test,mirror.test:5000,10.0.0.0/8,[fd00::]/8,192.168.1.7' });
    const direct = (u: string) => r.proxyFor(new URL(u)) === undefined;
    expect(direct('https://example.com/')).toBe(true);
    expect(direct('https://a.b.example.com/')).toBe(true);
    expect(direct('https://notexample.com/')).toBe(false);
    expect(direct('https://internal.test/')).toBe(true);
    expect(direct('https://x.internal.test/')).toBe(true);
    expect(direct('https://sub.test/')).toBe(false);
    expect(direct('https://a.sub.test/')).toBe(true);
    expect(direct('https://mirror.test:5000/')).toBe(true);
    expect(direct('https://mirror.test/')).toBe(false);
    expect(direct('https://10.1.2.3/')).toBe(true);
    expect(direct('https://11.1.2.3/')).toBe(false);
    expect(direct('https://[fd12::1]/')).toBe(true);
    expect(direct('https://192.168.1.7:8443/')).toBe(true);
    expect(direct('https://quay.io/')).toBe(false);
    expect(new ProxyRoutes({ httpsProxy: 'http://p:1', noProxy: '*' }).proxyFor(new URL('https://quay.io/'))).toBeUndefined();
  });

  it('never proxies loopback, whatever NO_PROXY says', () => {
    const r = new ProxyRoutes({ httpsProxy: 'http://p:3128', httpProxy: 'http://p:3128' });
    for (const u of ['http://127.0.0.1:5000/', 'https://localhost/', 'http://[::1]:80/', 'http://127.9.9.9/', 'https://registry.localhost/']) expect(r.proxyFor(new URL(u))).toBeUndefined();
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('through a real forwarding proxy (squid)', () => {
  let squid: SquidProxy;
  let ca: TestCA;
  let plain: TestServer;
  let secure: Server;
  let securePort: number;
  let refusedPort: number;
  const clients: HttpClient[] = [];

  function client(options: HttpClientOptions = {}): HttpClient {
    const c = new HttpClient({ timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 }, proxy: { httpProxy: squid.url, httpsProxy: squid.url }, tls: { extraCa: [ca.ca] }, ...options });
    clients.push(c);
    return c;
  }

  async function rejection(p: Promise<unknown>): Promise<SigcheckError> {
    try {
      await p;
    } catch (err) {
      if (isSigcheckError(err)) return err;
      throw err;
    }
    throw new Error('expected the request to fail');
  }

  beforeAll(async () => {
    squid = await startSquid(['registry.sigcheck.test', 'secure.sigcheck.test', 'dead.sigcheck.test']);
    ca = await startTestCA();
    plain = await startServer((req, res) => res.end(`plain via=${req.headers.via ?? 'none'}`));
    const leaf = ca.leaf('secure', ['DNS:secure.sigcheck.test']);
    secure = createHttpsServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('secure'));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', () => resolve()));
    securePort = (secure.address() as AddressInfo).port;
    refusedPort = await freePort();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    secure?.closeAllConnections();
    await new Promise<void>((resolve) => (secure ? secure.close(() => resolve()) : resolve()));
    await plain?.stop();
    await squid?.stop();
    await ca?.stop();
  });

  it('sends an http request through the proxy, which forwards it', async () => {
    const before = squid.connections();
    const res = await client().request({ url: `http://registry.sigcheck.test:${plain.port}/v2/`, maxBytes: 1024 });
    expect(new TextDecoder().decode(res.body)).toMatch(/^plain via=1\.1 sigcheck-test-proxy/);
    expect(squid.connections() - before).toBe(1);
    expect(await squid.accessLog()).toContainEqual({ method: 'GET', url: `http://registry.sigcheck.test:${plain.port}/v2/`, status: '200' });
  });

  it('tunnels an https request (CONNECT) and verifies the target\'s certificate through the tunnel', async () => {
    const before = squid.connections();
    const c = client();
    for (let i = 0; i < 6; i++) expect(new TextDecoder().decode((await c.request({ url: `https://secure.sigcheck.test:${securePort}/x`, maxBytes: 1024 })).body)).toBe('secure');
    // Keep-alive: the tunnel is reused (undici may open a second connection while the first is released).
    expect(squid.connections() - before).toBeLessThanOrEqual(2);
    await c.close();
    // squid logs a tunnel when it ends, a moment after the client closed it.
    let tunnels = 0;
    for (let i = 0; i < 50 && tunnels === 0; i++) {
      tunnels = (await squid.accessLog()).filter((l) => l.method === 'CONNECT' && l.url === `secure.sigcheck.test:${securePort}`).length;
      if (tunnels === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(tunnels).toBeGreaterThan(0);
    const untrusted = await rejection(client({ tls: {} }).request({ url: `https://secure.sigcheck.test:${securePort}/x`, maxBytes: 1024 }));
    expect(untrusted.code).toBe('HTTP_TLS');
    expect(untrusted.message).toContain(`through the proxy ${squid.url}`);
  });

  it('reaches a NO_PROXY host directly, without a connection to the proxy', async () => {
    const before = squid.connections();
    const resolved: string[] = [];
    const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      resolved.push(hostname);
      if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as NonNullable<HttpClientOptions['lookup']>;
    const c = client({ proxy: { httpProxy: squid.url, httpsProxy: squid.url, noProxy: '.sigcheck.test' }, lookup });
    const res = await c.request({ url: `http://registry.sigcheck.test:${plain.port}/direct`, maxBytes: 1024 });
    expect(new TextDecoder().decode(res.body)).toBe('plain via=none');
    expect(resolved).toEqual(['registry.sigcheck.test']);
    expect(squid.connections() - before).toBe(0);
  });

  it('reaches loopback directly although a proxy is set', async () => {
    const before = squid.connections();
    const res = await client().request({ url: `http://127.0.0.1:${plain.port}/loopback`, maxBytes: 1024 });
    expect(new TextDecoder().decode(res.body)).toBe('plain via=none');
    expect(squid.connections() - before).toBe(0);
  });

  it('reports a host the proxy cannot connect to as HTTP_PROXY, retried once, naming the host and the proxy', async () => {
    const c = client();
    const err = await rejection(c.request({ url: `https://dead.sigcheck.test:${refusedPort}/v2/`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_PROXY');
    expect(err.message).toContain(`dead.sigcheck.test:${refusedPort}: the proxy ${squid.url} would not open a connection to it (it answered 503 to CONNECT)`);
    expect(err.message).toContain('(2 attempts)');
    expect(c.stats().retries).toBe(1);
  });

  it('reports a proxy that does not listen as HTTP_PROXY, saying to check the proxy settings', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const err = await rejection(client({ proxy: { httpsProxy: down } }).request({ url: `https://secure.sigcheck.test:${securePort}/`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_PROXY');
    expect(err.message).toContain(`cannot connect to the proxy ${down}`);
    expect(err.message).toContain('check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)');
  });
});
