import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  it('retries a refused connection once only, and says what to check', async () => {
    const port = await freePort();
    const c = client({ retry: { retries: 5 } });
    const err = await rejection(c.request({ url: `http://127.0.0.1:${port}/x`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_CONNECT');
    expect(err.message).toContain(`127.0.0.1:${port}: the connection was refused`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain('proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)');
    expect(err.message).toContain('(2 attempts)');
    expect(err.message).not.toContain('transient');
    expect(err.hint?.env).toContain('HTTPS_PROXY');
    expect(c.stats().hosts[`127.0.0.1:${port}`]).toMatchObject({ requests: 2, retries: 1, failures: 1 });
  });

  it('reports a name that does not resolve as HTTP_DNS after one retry, never as an answer', async () => {
    const lookups: string[] = [];
    const lookup = ((hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null) => void) => {
      lookups.push(hostname);
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }));
    }) as unknown as NonNullable<HttpClientOptions['lookup']>;
    const err = await rejection(client({ lookup, retry: { retries: 5 } }).request({ url: 'http://nothere.invalid:5000/v2/', maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_DNS');
    expect(err.message).toContain('nothere.invalid:5000: the name does not resolve (ENOTFOUND)');
    expect(err.message).toContain("check the host name, this machine's DNS, and the proxy settings");
    expect(lookups).toEqual(['nothere.invalid', 'nothere.invalid']);
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
    const slept: number[] = [];
    const c = client({ retry: { baseDelayMs: 1, maxDelayMs: 1 }, sleep: async (ms) => void slept.push(ms) });
    const res = await c.request({ url: s.url, maxBytes: 1024 });
    expect(res.status).toBe(200);
    // The wait is the server's Retry-After, not the (1 ms) backoff.
    expect(slept.filter((ms) => ms >= 1000)).toEqual([2000]);
    expect(c.stats().throttled).toBe(1);
  });

  it('caps a Retry-After that asks for long, but within the request budget', async () => {
    const s = await server(sequence([429], { 'retry-after': '30' }));
    const started = Date.now();
    const res = await client({ timeoutMs: 10_000, retry: { maxRetryAfterMs: 300 } }).request({ url: s.url, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('ends the request at once when Retry-After asks for longer than its budget, naming the host and the value', async () => {
    const s = await server((_req, res) => res.writeHead(503, { 'retry-after': '999999' }).end());
    const slept: number[] = [];
    const c = client({ timeoutMs: 3000, retry: { retries: 1 }, sleep: async (ms) => void slept.push(ms) });
    const err = await rejection(c.request({ url: `${s.url}/sigs/sha256=00/signature-1`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('the server answered 503 (Retry-After: 999999)');
    expect(err.message).toContain(`${s.host} asked to wait 999999 s before trying again`);
    expect(err.message).toContain("longer than the 6 s left of this request's time budget");
    expect(err.hint?.options).toEqual(['retries', 'timeout']);
    expect(s.requests).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('does not start a backoff that would end past the request budget', async () => {
    const s = await server((_req, res) => res.writeHead(503).end());
    let now = 0;
    const slept: number[] = [];
    const c = client({
      timeoutMs: 1000,
      retry: { retries: 3, baseDelayMs: 3000, maxDelayMs: 3000 },
      random: () => 1,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const err = await rejection(c.request({ url: s.url, maxBytes: 1024 }));
    // Budget (3 + 1) x 1 s: the first 3 s backoff fits, the second would end at 6 s.
    expect(slept).toEqual([3000]);
    expect(s.requests).toHaveLength(2);
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('gave up after 2 attempts; its time budget of 4 s was spent');
  });
});

describe('run deadline', () => {
  it('aborts a request in flight when the deadline passes, and sends none after it', async () => {
    const s = await server(() => undefined); // never answers
    const c = client({ timeoutMs: 20_000, deadline: Date.now() + 300 });
    const err = await rejection(c.request({ url: `${s.url}/a`, maxBytes: 1024 }));
    expect(err.code).toBe('HTTP_DEADLINE');
    expect(err.message).toContain("aborted: the run's deadline passed");
    expect(err.hint?.options).toEqual(['deadline']);
    const next = await rejection(c.request({ url: `${s.url}/b`, maxBytes: 1024 }));
    expect(next.code).toBe('HTTP_DEADLINE');
    expect(next.message).toContain('not sent');
    expect(s.requests.map((r) => r.path)).toEqual(['/a']);
  });

  it('cuts a backoff short when its AbortSignal fires', async () => {
    const s = await server((_req, res) => res.writeHead(503).end());
    const controller = new AbortController();
    const c = client({ timeoutMs: 120_000, deadline: controller.signal, retry: { retries: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const pending = rejection(c.request({ url: s.url, maxBytes: 1024 }));
    setTimeout(() => controller.abort(), 100);
    const err = await pending;
    expect(err.code).toBe('HTTP_DEADLINE');
    expect(s.requests).toHaveLength(1);
  });

  it('takes requests waiting for a rate-limit slot out of the queue', async () => {
    const s = await server((_req, res) => res.end('ok'));
    const controller = new AbortController();
    const c = client({ rate: 1, deadline: controller.signal });
    const all = Array.from({ length: 6 }, (_, i) => c.request({ url: `${s.url}/${i}`, maxBytes: 1024 }).then(
      () => 'ok',
      (err: SigcheckError) => err.code,
    ));
    setTimeout(() => controller.abort(), 200);
    const outcomes = await Promise.all(all);
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(2);
    expect(outcomes.filter((o) => o === 'HTTP_DEADLINE').length).toBeGreaterThanOrEqual(4);
    expect(s.requests.length).toBe(outcomes.filter((o) => o === 'ok').length);
  });
});

describe('circuit breaker', () => {
  /** A name resolved by the test to 127.0.0.1 (no DNS), counting each connection attempt. */
  function countingLookup() {
    const calls: string[] = [];
    const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      calls.push(hostname);
      if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as NonNullable<HttpClientOptions['lookup']>;
    return { calls, lookup };
  }

  it('after 3 connection failures in a row, ends the host\'s other requests at once with one message', async () => {
    const port = await freePort();
    const { calls, lookup } = countingLookup();
    const c = client({ lookup, retry: { retries: 5 } });
    const errors: SigcheckError[] = [];
    for (let i = 0; i < 20; i++) errors.push(await rejection(c.request({ url: `http://dead.test:${port}/v2/r/manifests/${i}`, maxBytes: 1024 })));
    // Request 1: two attempts; request 2: the third failure opens the breaker, so its retry and the
    // 18 requests after it never connect.
    expect(calls).toHaveLength(3);
    expect(errors[0]!.code).toBe('HTTP_CONNECT');
    const refused = errors.slice(1);
    expect(refused.every((e) => e.code === 'HTTP_UNREACHABLE')).toBe(true);
    expect(new Set(refused.map((e) => e.message)).size).toBe(1);
    expect(refused[0]!.message).toContain(`dead.test:${port}: the connection was refused`);
    expect(refused[0]!.message).toContain(`the other requests to dead.test:${port} were not sent`);
    expect(refused[0]!.message).not.toContain('/v2/');
    expect(c.stats().hosts[`dead.test:${port}`]).toMatchObject({ requests: 3, refused: 19 });
  });

  it('lets a probe through after the cool-down, and closes when the host answers again', async () => {
    const port = await freePort();
    const c = client({ retry: { retries: 0 }, breaker: { threshold: 2, cooldownMs: 100 } });
    const url = `http://127.0.0.1:${port}/x`;
    for (let i = 0; i < 3; i++) await rejection(c.request({ url, maxBytes: 1024 }));
    expect((await rejection(c.request({ url, maxBytes: 1024 }))).code).toBe('HTTP_UNREACHABLE');
    const { createServer } = await import('node:http');
    const revived = createServer((_req, res) => res.end('back'));
    await new Promise<void>((resolve) => revived.listen(port, '127.0.0.1', () => resolve()));
    try {
      await new Promise((r) => setTimeout(r, 150));
      const res = await c.request({ url, maxBytes: 1024 });
      expect(new TextDecoder().decode(res.body)).toBe('back');
      expect((await c.request({ url, maxBytes: 1024 })).status).toBe(200);
    } finally {
      revived.closeAllConnections();
      await new Promise<void>((resolve) => revived.close(() => resolve()));
    }
  });

  it('is not opened by a host that answers, whatever the status', async () => {
    const s = await server((_req, res) => res.writeHead(503).end());
    const c = client({ retry: { retries: 0 } });
    for (let i = 0; i < 6; i++) expect((await rejection(c.request({ url: s.url, maxBytes: 1024 }))).code).toBe('HTTP_STATUS');
    expect(s.requests).toHaveLength(6);
  });
});

describe('adaptive rate limit', () => {
  it('lowers the request rate after repeated 429s', async () => {
    // Virtual time: every wait of the client (rate slots, backoff) advances the clock at once.
    let t = 0;
    const clock = { now: () => t, sleep: async (ms: number) => { t += ms; await new Promise<void>((r) => setImmediate(r)); } };
    const arrivals: number[] = [];
    const s = await server((_req, res) => {
      arrivals.push(t);
      // A host that throttles for its first 2.5 (virtual) seconds, then recovers.
      if (t < 2500) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.end('ok');
    });
    const c = client({ rate: 40, rateFloor: 1, concurrencyPerHost: 8, retry: { retries: 30, baseDelayMs: 1, maxDelayMs: 1 }, ...clock });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.request({ url: `${s.url}/${i}`, maxBytes: 1024 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const inWindow = (from: number, to: number) => arrivals.filter((x) => x >= from && x < to).length;
    const firstSecond = inWindow(0, 1000);
    const lateWindow = inWindow(1500, 2500);
    const limit = c.stats().hosts[s.host]!.rateLimit;
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
  // Measured from when these tests start, so the other tests' memory does not count.
  let peakRss = 0;
  let baseline = 0;
  let sampler: NodeJS.Timeout | undefined;
  beforeAll(() => {
    baseline = process.memoryUsage().rss;
    peakRss = baseline;
    sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
  });
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
