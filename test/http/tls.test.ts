/**
 * Certificates, against https servers on loopback with a throwaway CA made by openssl: every kind of
 * certificate problem is HTTP_TLS, tried once (never retried), with a message naming the host and
 * the fix; an added CA, turning verification off for all hosts or for one, make the same servers
 * answer.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigcheckError, type SigcheckError } from '../../src/model/errors.ts';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import { TlsPolicy } from '../../src/http/tls.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { startTestCA, type LeafCert, type TestCA } from '../harness/tls.ts';

interface TlsServer {
  host: string;
  url: string;
  /** TCP connections accepted (each attempt opens one). */
  connections: number;
  requests: number;
  stop(): Promise<void>;
}

async function tlsServer(cert: LeafCert, address = '127.0.0.1'): Promise<TlsServer> {
  const state = { connections: 0, requests: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createHttpsServer({ cert: cert.cert, key: cert.key }, (_req, res) => {
    state.requests++;
    res.end('secret-free answer');
  });
  server.on('connection', (s: Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `${address}:${port}`,
    url: `https://${address}:${port}`,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let ca: TestCA;
let good: TlsServer; // signed by the CA, for 127.0.0.1
let selfSigned: TlsServer;
let expired: TlsServer;
let wrongName: TlsServer; // signed by the CA, for another name
let plain: TestServer; // plain http on a port an https URL names
const clients: HttpClient[] = [];

function client(options: HttpClientOptions = {}): HttpClient {
  const c = new HttpClient({ timeoutMs: 5000, retry: { retries: 5, baseDelayMs: 5, maxDelayMs: 20 }, ...options });
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
  ca = await startTestCA();
  good = await tlsServer(ca.leaf('good', ['IP:127.0.0.1', 'DNS:localhost']));
  selfSigned = await tlsServer(ca.selfSigned('self', ['IP:127.0.0.1']));
  expired = await tlsServer(ca.leaf('expired', ['IP:127.0.0.1'], { expired: true }));
  wrongName = await tlsServer(ca.leaf('wrong', ['DNS:registry.example.com', 'IP:127.0.0.2']));
  plain = await startServer((_req, res) => res.end('plain'));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([good, selfSigned, expired, wrongName].map((s) => s?.stop()));
  await plain?.stop();
  await ca?.stop();
});

describe('certificate problems are permanent, named, and say what to do', () => {
  it.each([
    ['a self-signed certificate', () => selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'is self-signed', 'ca-file option (or NODE_EXTRA_CA_CERTS)'],
    ['a certificate from an unknown CA', () => good, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'is not signed by a trusted CA', 'ca-file option (or NODE_EXTRA_CA_CERTS)'],
    ['an expired certificate', () => expired, 'CERT_HAS_EXPIRED', 'has expired', 'the server must renew it'],
  ] as const)('%s', async (_name, server, code, problem, fix) => {
    const s = server();
    const before = s.connections;
    const c = client();
    const err = await rejection(c.request({ url: `${s.url}/v2/`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_TLS');
    expect(err.message).toContain(`${s.host}: its TLS certificate ${problem}`);
    expect(err.message).toContain(code);
    expect(err.message).toContain(fix);
    expect(err.message).not.toContain('transient');
    expect(err.hint?.options).toContain('ca-file');
    expect(err.hint?.env).toEqual(['NODE_EXTRA_CA_CERTS']);
    expect(s.connections - before).toBe(1);
    expect(c.stats().retries).toBe(0);
  });

  it('a certificate for another name', async () => {
    const c = client({ tls: { extraCa: [ca.ca] } });
    const err = await rejection(c.request({ url: `${wrongName.url}/v2/`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_TLS');
    expect(err.message).toContain(`${wrongName.host}: its TLS certificate is for another name (ERR_TLS_CERT_ALTNAME_INVALID)`);
    expect(wrongName.requests).toBe(0);
  });

  it('an https URL for a plain-HTTP server', async () => {
    const err = await rejection(client().request({ url: `https://${plain.host}/v2/`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_TLS');
    expect(err.message).toContain('does not speak TLS on this port; if it serves plain HTTP, write the URL as http://');
  });
});

describe('trusting a private CA, or not verifying', () => {
  it('answers once the CA is added, on top of the default roots', async () => {
    const res = await client({ tls: { extraCa: [ca.ca] } }).request({ url: `${good.url}/v2/`, maxBytes: 1024 });
    expect(res.status).toBe(200);
    const policy = new TlsPolicy({ extraCa: [ca.ca] });
    expect((policy.connectOptions(true).ca ?? []).length).toBeGreaterThan(1);
  });

  it('with verification off for all hosts, even a self-signed certificate answers', async () => {
    const res = await client({ tls: { verify: false } }).request({ url: `${selfSigned.url}/v2/`, maxBytes: 1024 });
    expect(res.status).toBe(200);
  });

  it('an insecure host is not verified, every other host still is', async () => {
    const c = client({ tls: { insecureHosts: [selfSigned.host] } });
    expect((await c.request({ url: `${selfSigned.url}/v2/`, maxBytes: 1024 })).status).toBe(200);
    expect((await rejection(c.request({ url: `${expired.url}/v2/`, maxBytes: 1024 }))).code).toBe('HTTP_TLS');
  });

  it('matches insecure hosts with or without a port', () => {
    const p = new TlsPolicy({ insecureHosts: ['mirror.example.com', 'other.example.com:5000'] });
    expect(p.verifies('mirror.example.com:443')).toBe(false);
    expect(p.verifies('other.example.com:5000')).toBe(false);
    expect(p.verifies('other.example.com:5001')).toBe(true);
    expect(p.verifies('quay.io')).toBe(true);
    expect(new TlsPolicy({ verify: false }).verifies('quay.io')).toBe(false);
  });
});
