import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isSigcheckError, type SigcheckError } from '../../src/model/errors.ts';
import { displayUrl, HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import { BLOB_MAX_BYTES, SIGNATURE_MAX_BYTES } from '../../src/http/limits.ts';
import { freePort } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';

const servers: TestServer[] = [];
const clients: HttpClient[] = [];

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(options: HttpClientOptions = {}): HttpClient {
  const c = new HttpClient({ timeoutMs: 1000, ...options, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20, ...options.retry } });
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

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Answers `statuses[i]` to request i, then 200 "ok". */
function sequence(statuses: number[], headers: Record<string, string> = {}) {
  let i = 0;
  return (_req: unknown, res: ServerResponse) => {
    const status = statuses[i++];
    if (status === undefined) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else res.writeHead(status, headers).end(`status ${status}`);
  };
}

describe('retries', () => {
  it.each([429, 500, 502, 503, 504])('retries %i and returns the answer that follows', async (status) => {
    const s = await server(sequence([status, status], { 'retry-after': '0' }));
    const c = client();
    const res = await c.request({ url: `${s.url}/x`, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe('ok');
    expect(res.attempts).toBe(3);
    expect(s.requests).toHaveLength(3);
    expect(c.stats()).toMatchObject({ requests: 3, retries: 2, failures: 0 });
  });

  it.each([400, 401, 403, 404])('never retries %i: it is returned after one request', async (status) => {
    const s = await server(sequence([status, status, status]));
    const c = client();
    const res = await c.request({ url: `${s.url}/x`, maxBytes: 1024 });
    expect(res.status).toBe(status);
    expect(res.attempts).toBe(1);
    expect(s.requests).toHaveLength(1);
    expect(c.stats().retries).toBe(0);
  });

  it('gives up when the budget is spent, with the last cause and no answer', async () => {
    const s = await server((_req, res) => res.writeHead(503).end('{"errors":[{"code":"UNAVAILABLE"}]}'));
    const err = await rejection(client({ retry: { retries: 2 } }).request({ url: `${s.url}/v2/x/manifests/y?secret=1`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('answered 503');
    expect(err.message).toContain('gave up after 3 attempts');
    expect(err.message).toContain('UNAVAILABLE');
    expect(err.message).not.toContain('secret=1');
    expect(s.requests).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    let n = 0;
    const s = await server((req, res) => {
      if (n++ < 2) (req.socket as Socket).resetAndDestroy();
      else res.end('ok');
    });
    const res = await client().request({ url: s.url, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(3);
  });

  it('turns a refused connection into HTTP_NETWORK after the retries', async () => {
    const port = await freePort();
    const c = client({ retry: { retries: 2 } });
    const err = await rejection(c.request({ url: `http://127.0.0.1:${port}/x`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_NETWORK');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain('gave up after 3 attempts');
    expect(c.stats().hosts[`127.0.0.1:${port}`]).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it('retries a server that stalls past the timeout, then succeeds', async () => {
    let n = 0;
    const s = await server((_req, res) => {
      if (n++ === 0) return; // never answer
      res.end('ok');
    });
    const started = Date.now();
    const res = await client({ timeoutMs: 300 }).request({ url: s.url, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('reports HTTP_TIMEOUT when every attempt stalls', async () => {
    const s = await server(() => undefined);
    const err = await rejection(client({ timeoutMs: 200, retry: { retries: 1 } }).request({ url: s.url, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_TIMEOUT');
    expect(s.requests).toHaveLength(2);
  });

  it('retries a body cut off before its Content-Length', async () => {
    let n = 0;
    const s = await server((req, res) => {
      if (n++ === 0) {
        res.writeHead(200, { 'content-length': '1000' });
        res.write(Buffer.alloc(400, 1), () => (req.socket as Socket).destroy());
        return;
      }
      res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000, 2));
    });
    const res = await client().request({ url: s.url, maxBytes: 4096 });
    expect(res.body).toEqual(new Uint8Array(1000).fill(2));
    expect(res.attempts).toBe(2);
  });

  it('waits out Retry-After: 2 before retrying a 429', async () => {
    const s = await server(sequence([429], { 'retry-after': '2' }));
    const c = client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const started = Date.now();
    const res = await c.request({ url: s.url, maxBytes: 1024 });
    const waited = Date.now() - started;
    console.log(`Retry-After: 2 waited ${waited} ms`);
    expect(res.status).toBe(200);
    expect(waited).toBeGreaterThanOrEqual(1990);
    expect(waited).toBeLessThan(3500);
    expect(c.stats().throttled).toBe(1);
  });

  it('caps a Retry-After that asks for too long', async () => {
    const s = await server(sequence([429], { 'retry-after': '3600' }));
    const started = Date.now();
    const res = await client({ retry: { maxRetryAfterMs: 300 } }).request({ url: s.url, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('adaptive rate limit', () => {
  it('lowers the request rate after repeated 429s', async () => {
    const arrivals: number[] = [];
    let first = 0;
    const s = await server((_req, res) => {
      const now = Date.now();
      if (first === 0) first = now;
      arrivals.push(now - first);
      // A host that throttles for its first 2.5 seconds, then recovers.
      if (now - first < 2500) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.end('ok');
    });
    const c = client({ rate: 40, rateFloor: 1, concurrencyPerHost: 8, retry: { retries: 30, baseDelayMs: 1, maxDelayMs: 1 } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.request({ url: `${s.url}/${i}`, maxBytes: 1024 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const inWindow = (from: number, to: number) => arrivals.filter((t) => t >= from && t < to).length;
    const firstSecond = inWindow(0, 1000);
    // Still throttled, after two decreases.
    const lateWindow = inWindow(1500, 2500);
    const limit = c.stats().hosts[s.host]!.rateLimit;
    console.log(`adaptive rate: ${firstSecond} requests in the first second, ${lateWindow} from 1.5 s to 2.5 s; ${limit.throttled} 429s, ${limit.decreases} decreases, rate now ${limit.rate?.toFixed(1)}/s`);
    expect(limit.decreases).toBeGreaterThanOrEqual(3);
    expect(limit.throttled).toBeGreaterThan(10);
    // Configured at 40/s; halved on the first 429 (20/s in the first second), then 10/s and 5/s.
    expect(firstSecond).toBeLessThanOrEqual(25);
    expect(lateWindow).toBeLessThanOrEqual(12);
    expect(lateWindow).toBeLessThan(firstSecond * 0.6);
  });

  it('limits requests in flight per host', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await server(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      res.end('ok');
    });
    const c = client({ concurrencyPerHost: 3 });
    await Promise.all(Array.from({ length: 20 }, () => c.request({ url: s.url, maxBytes: 1024 })));
    expect(peak).toBe(3);
  });

  it('keeps connections alive between requests', async () => {
    const sockets = new Set<unknown>();
    const s = await server((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    });
    const c = client();
    for (let i = 0; i < 10; i++) await c.request({ url: s.url, maxBytes: 1024 });
    expect(s.requests).toHaveLength(10);
    // Sequential requests reuse their connections (undici may open a second one while the first is released).
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});

describe('body caps', () => {
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const baseline = process.memoryUsage().rss;
  afterAll(() => {
    clearInterval(sampler);
    console.log(`body caps: peak RSS ${(peakRss / 2 ** 20).toFixed(1)} MiB (baseline ${(baseline / 2 ** 20).toFixed(1)} MiB)`);
  });

  /** Streams `total` bytes (Infinity: forever) in 64 KiB chunks, honouring backpressure; counts what it wrote. */
  function streaming(total: number, withLength: boolean) {
    const sent = { bytes: 0 };
    const handler = (_req: unknown, res: ServerResponse) => {
      res.writeHead(200, withLength && Number.isFinite(total) ? { 'content-length': String(total) } : {});
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (sent.bytes < total) {
          sent.bytes += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    };
    return { sent, handler };
  }

  it('refuses a 100 MiB blob by its Content-Length, before reading it', async () => {
    const { sent, handler } = streaming(100 * 2 ** 20, true);
    const s = await server(handler);
    const err = await rejection(client().request({ url: `${s.url}/v2/r/blobs/x`, maxBytes: BLOB_MAX_BYTES, what: 'blob' }));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
    expect(err.message).toContain('104857600 bytes, over the 4 MiB limit');
    expect(s.requests).toHaveLength(1); // not retried
    expect(sent.bytes).toBeLessThan(100 * 2 ** 20);
  });

  it('cuts off a 100 MiB blob without Content-Length at the cap', async () => {
    const { sent, handler } = streaming(100 * 2 ** 20, false);
    const s = await server(handler);
    const err = await rejection(client({ timeoutMs: 10_000 }).request({ url: s.url, maxBytes: BLOB_MAX_BYTES }));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
    expect(err.message).toContain('more than the 4 MiB limit');
    expect(sent.bytes).toBeLessThan(40 * 2 ** 20);
  });

  it('refuses a 10 MiB signature', async () => {
    const { handler } = streaming(10 * 2 ** 20, false);
    const s = await server(handler);
    const err = await rejection(client().request({ url: `${s.url}/sha256=00/signature-1`, maxBytes: SIGNATURE_MAX_BYTES, what: 'signature' }));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
    expect(err.message).toContain('50 KiB limit');
    expect(err.message).toContain('(signature)');
  });

  it('cuts off an endless body', async () => {
    const { sent, handler } = streaming(Infinity, false);
    const s = await server(handler);
    const err = await rejection(client({ timeoutMs: 10_000 }).request({ url: s.url, maxBytes: BLOB_MAX_BYTES }));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
    expect(s.requests).toHaveLength(1);
    expect(Number.isFinite(sent.bytes)).toBe(true);
  });

  it('times out an endless body that trickles under the cap', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await rejection(client({ timeoutMs: 500, retry: { retries: 0 } }).request({ url: s.url, maxBytes: SIGNATURE_MAX_BYTES }));
    expect(err.code).toBe('HTTP_TIMEOUT');
    expect(err.message).toContain('no retries allowed');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps memory bounded over all of the above', () => {
    expect(peakRss - baseline).toBeLessThan(150 * 2 ** 20);
  });

  it('keeps only the first 8 KiB of an error answer', async () => {
    const s = await server((_req, res) => res.writeHead(404).end(Buffer.alloc(100_000, 65)));
    const res = await client().request({ url: s.url, maxBytes: 10 });
    expect(res.status).toBe(404);
    expect(res.body.byteLength).toBe(8 * 1024);
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect, relative Location included, keeping the credentials', async () => {
    const s = await server((req, res) => {
      if (req.url === '/a') res.writeHead(307, { location: '/b' }).end();
      else res.end('here');
    });
    const res = await client().request({ url: `${s.url}/a`, maxBytes: 1024, authorization: 'Bearer T' });
    expect(new TextDecoder().decode(res.body)).toBe('here');
    expect(res.url).toBe(`${s.url}/b`);
    expect(s.requests.map((r) => r.headers.authorization)).toEqual(['Bearer T', 'Bearer T']);
  });

  it('refuses a redirect to another host by default, and the other host hears nothing', async () => {
    const other = await server((_req, res) => res.end('elsewhere'));
    const s = await server((_req, res) => res.writeHead(302, { location: `${other.url}/stolen` }).end());
    const err = await rejection(client().request({ url: `${s.url}/v2/r/manifests/t`, maxBytes: 1024, authorization: 'Bearer SECRET', what: 'manifest' }));
    expect(err.code).toBe('HTTP_REDIRECT');
    expect(err.message).toContain(`redirected to another host (${other.url})`);
    expect(err.message).toContain('manifest');
    expect(other.requests).toHaveLength(0);
    expect(s.requests).toHaveLength(1); // a refused redirect is not retried
  });

  it('follows a redirect to another host when allowed, without the credentials', async () => {
    const cdn = await server((_req, res) => res.end('blob bytes'));
    const s = await server((_req, res) => res.writeHead(307, { location: `${cdn.url}/blob?sig=abc` }).end());
    const res = await client().request({ url: `${s.url}/v2/r/blobs/x`, maxBytes: 1024, authorization: 'Bearer SECRET', redirects: 'any-origin' });
    expect(new TextDecoder().decode(res.body)).toBe('blob bytes');
    expect(s.requests[0]!.headers.authorization).toBe('Bearer SECRET');
    expect(cdn.requests).toHaveLength(1);
    expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(cdn.requests[0]!.headers)).not.toContain('SECRET');
  });

  it('sends the credentials only to the origin in a chain that passes through another host', async () => {
    const back = { url: '' };
    const hop = await server((_req, res) => res.writeHead(302, { location: `${back.url}/final` }).end());
    const origin = await server((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: `${hop.url}/hop` }).end();
      else res.end('final');
    });
    back.url = origin.url;
    await client().request({ url: `${origin.url}/start`, maxBytes: 1024, authorization: 'Bearer SECRET', redirects: 'any-origin' });
    expect(hop.requests[0]!.headers.authorization).toBeUndefined();
    // Back on the origin they are the origin's own again, as Go's client (the operator's, CRI-O's) does.
    expect(origin.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/start', 'Bearer SECRET'],
      ['/final', 'Bearer SECRET'],
    ]);
  });

  it('stops a redirect loop', async () => {
    const s = await server((_req, res) => res.writeHead(302, { location: '/again' }).end());
    const err = await rejection(client().request({ url: s.url, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_REDIRECT');
    expect(err.message).toContain('more than 5 redirects');
    expect(s.requests).toHaveLength(6);
  });

  it('refuses a redirect without Location and one to another scheme', async () => {
    const s = await server((req, res) => {
      if (req.url === '/none') res.writeHead(301).end();
      else res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    });
    expect((await rejection(client().request({ url: `${s.url}/none`, maxBytes: 1024 }))).message).toContain('without a Location');
    expect((await rejection(client().request({ url: `${s.url}/file`, maxBytes: 1024, redirects: 'any-origin' }))).message).toContain('only http(s) redirects');
  });
});

describe('displayUrl', () => {
  it('drops query strings, which may carry signed-URL secrets', () => {
    expect(displayUrl('https://cdn.example/blob?X-Amz-Signature=abc#f')).toBe('https://cdn.example/blob');
  });
});
