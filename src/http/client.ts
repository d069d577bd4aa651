/**
 * The one HTTP client of the tool, on undici: a shared keep-alive Agent, a concurrency limit and an
 * adaptive rate limit per host, timeouts, a cap on every body, manual redirects that never carry
 * credentials to another origin, and retries with backoff. Every failure is a SigcheckError with an
 * HTTP_* code; an answer that is not retried (404, 401, 403, ...) is returned to the caller, which
 * knows what it means.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, type Dispatcher } from 'undici';
import { SigcheckError, describeError, isSigcheckError } from '../model/errors.ts';
import { dispose, readCapped, tooLarge } from './body.ts';
import { ERROR_BODY_MAX_BYTES } from './limits.ts';
import { AdaptiveRateLimiter, type RateLimitStats } from './rate-limit.ts';
import { DEFAULT_RETRY_POLICY, backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry.ts';

export interface HttpClientOptions {
  retry?: Partial<RetryPolicy>;
  /** Deadline of one attempt (connect, headers and the whole body), in milliseconds. */
  timeoutMs?: number;
  /** Requests in flight at once to one host (host:port). */
  concurrencyPerHost?: number;
  /** Requests per second per host; undefined: no limit until a host answers 429. */
  rate?: number;
  /** Lowest rate the adaptive limit slows down to (requests per second). */
  rateFloor?: number;
  userAgent?: string;
  /** Replaceable in tests: the randomness of the backoff jitter, and the sleep between retries. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Use this dispatcher instead of creating an Agent (it is then not closed by close()). */
  dispatcher?: Dispatcher;
}

/** Where a redirect may lead: to the same origin only, or anywhere (credentials are never carried off the origin). */
export type RedirectPolicy = 'same-origin' | 'any-origin';

export interface HttpRequest {
  url: string | URL;
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** The Authorization header; sent only to the origin of `url`, dropped when a redirect leaves it. */
  authorization?: string;
  /** Cap of a successful (2xx) body; a longer one is refused with HTTP_BODY_TOO_LARGE. */
  maxBytes: number;
  redirects?: RedirectPolicy;
  /** What is fetched, for messages: `manifest`, `signature`, ... */
  what?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body (for a non-2xx answer, at most its first 8 KiB). */
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
  /** Attempts it took (1 when the first one answered). */
  attempts: number;
}

/** A response whose 2xx body is read as it arrives (HttpClient.stream). */
export interface HttpStream {
  status: number;
  headers: Record<string, string>;
  url: string;
  attempts: number;
  /** The 2xx body, chunk by chunk, within the cap; empty for other answers. Read it once. */
  body: AsyncIterable<Uint8Array>;
  /** The first 8 KiB of a non-2xx body. */
  errorBody: Uint8Array;
  /** The Content-Length the server declared, if any. */
  declaredLength?: number;
  /** Stops reading: the connection is dropped and the concurrency slot freed. Safe to call twice. */
  cancel(): void;
}

async function* emptyGenerator(): AsyncGenerator<Uint8Array> {
  // nothing
}

function emptyBody(): AsyncIterable<Uint8Array> {
  return emptyGenerator();
}

export interface HostStats {
  requests: number;
  retries: number;
  /** Requests that ended in an error after the retry budget was spent. */
  failures: number;
  rateLimit: RateLimitStats;
}

export interface HttpStats {
  requests: number;
  retries: number;
  failures: number;
  throttled: number;
  hosts: Record<string, HostStats>;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

interface HostState {
  limit: LimitFunction;
  rate: AdaptiveRateLimiter;
  requests: number;
  retries: number;
  failures: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A URL without its query and fragment: query strings may carry signed-URL secrets and must not be printed. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return String(url).replace(/[?#].*$/, '');
  }
}

export class HttpClient {
  private readonly agent: Dispatcher;
  private readonly ownsAgent: boolean;
  private readonly hosts = new Map<string, HostState>();
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrencyPerHost: number;
  private readonly rate: number | undefined;
  private readonly rateFloor: number | undefined;
  private readonly userAgent: string;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: HttpClientOptions = {}) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.concurrencyPerHost = options.concurrencyPerHost ?? 16;
    this.rate = options.rate;
    this.rateFloor = options.rateFloor;
    this.userAgent = options.userAgent ?? 'release-sigcheck';
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
    if (options.dispatcher) {
      this.agent = options.dispatcher;
      this.ownsAgent = false;
    } else {
      this.agent = new Agent({
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
        connectTimeout: Math.min(this.timeoutMs, 10_000),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connections: this.concurrencyPerHost,
      });
      this.ownsAgent = true;
    }
  }

  get retryPolicy(): Readonly<RetryPolicy> {
    return this.policy;
  }

  /**
   * Sends a GET or HEAD, following redirects and retrying transient failures within the budget.
   * Resolves with any answer that is not retried (2xx, 404, 401, 403, ...); throws a SigcheckError
   * (HTTP_STATUS, HTTP_TIMEOUT, HTTP_NETWORK, HTTP_TRUNCATED, HTTP_BODY_TOO_LARGE, HTTP_REDIRECT)
   * when no usable answer could be had.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new SigcheckError('HTTP_NETWORK', `${displayUrl(url)}: only http and https URLs can be fetched`);
    }
    const origin = this.host(url.host);
    for (let attempt = 0; ; attempt++) {
      const isLast = attempt >= this.policy.retries;
      let wait: number;
      let lastError: SigcheckError;
      try {
        const res = await this.followRedirects(url, req);
        if (!isRetryableStatus(res.status)) {
          return { ...res, attempts: attempt + 1 };
        }
        lastError = new SigcheckError(
          'HTTP_STATUS',
          `${req.method ?? 'GET'} ${displayUrl(res.url)}: the server answered ${res.status}${statusDetail(res)}`,
        );
        const retryAfter = parseRetryAfter(res.headers['retry-after'], this.policy.maxRetryAfterMs);
        wait = retryAfter ?? backoffDelay(attempt, this.policy, this.random);
      } catch (err) {
        if (!isRetryableError(err)) {
          origin.failures++;
          throw err;
        }
        lastError = err as SigcheckError;
        wait = backoffDelay(attempt, this.policy, this.random);
      }
      if (isLast) {
        origin.failures++;
        const attempts = attempt + 1;
        throw new SigcheckError(
          lastError.code,
          `${lastError.message} (${attempts === 1 ? 'no retries allowed' : `gave up after ${attempts} attempts`}); this is a transient failure of the server or the network, not an answer: run again later, or raise --retries/--timeout`,
          { cause: lastError },
        );
      }
      origin.retries++;
      await this.sleep(wait);
    }
  }

  /**
   * Like request(), but a 2xx body is handed over as a stream instead of being read into memory: for
   * blobs of tens of MB (release payload layers). Retries (429, 5xx, transport failures) and redirects
   * happen before the body starts, as in request(); a failure while the body streams surfaces from
   * the iterator as a SigcheckError (HTTP_TRUNCATED, HTTP_TIMEOUT) for the caller to retry as a whole.
   * The body is capped at `maxBytes` (HTTP_BODY_TOO_LARGE, before the first byte when the declared
   * length says so), must end at the declared length, and must be done within `deadlineMs` (default:
   * the timeout plus a second per MiB of the cap). The host's concurrency slot is held until the body
   * has ended or `cancel()` was called, so streams count against --concurrency like any request.
   * A non-2xx answer comes back with `body` empty and its first 8 KiB in `errorBody`.
   */
  async stream(req: HttpRequest & { deadlineMs?: number }): Promise<HttpStream> {
    const url = new URL(req.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new SigcheckError('HTTP_NETWORK', `${displayUrl(url)}: only http and https URLs can be fetched`);
    }
    const origin = this.host(url.host);
    for (let attempt = 0; ; attempt++) {
      const isLast = attempt >= this.policy.retries;
      let wait: number;
      let lastError: SigcheckError;
      try {
        const res = await this.streamHops(url, req);
        if (!isRetryableStatus(res.status)) return { ...res, attempts: attempt + 1 };
        lastError = new SigcheckError('HTTP_STATUS', `${req.method ?? 'GET'} ${displayUrl(res.url)}: the server answered ${res.status}${statusDetail({ ...res, body: res.errorBody })}`);
        const retryAfter = parseRetryAfter(res.headers['retry-after'], this.policy.maxRetryAfterMs);
        wait = retryAfter ?? backoffDelay(attempt, this.policy, this.random);
      } catch (err) {
        if (!isRetryableError(err)) {
          origin.failures++;
          throw err;
        }
        lastError = err as SigcheckError;
        wait = backoffDelay(attempt, this.policy, this.random);
      }
      if (isLast) {
        origin.failures++;
        const attempts = attempt + 1;
        throw new SigcheckError(
          lastError.code,
          `${lastError.message} (${attempts === 1 ? 'no retries allowed' : `gave up after ${attempts} attempts`}); this is a transient failure of the server or the network, not an answer: run again later, or raise --retries/--timeout`,
          { cause: lastError },
        );
      }
      origin.retries++;
      await this.sleep(wait);
    }
  }

  /** Counts a stream the caller gave up on and will send again, so the retry shows in the statistics. */
  noteRetry(url: string | URL): void {
    this.host(new URL(url).host).retries++;
  }

  /** One attempt of stream(): the request and its redirects; only the last hop's body is streamed. */
  private async streamHops(start: URL, req: HttpRequest & { deadlineMs?: number }): Promise<Omit<HttpStream, 'attempts'>> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const sameOrigin = url.origin === start.origin;
      const res = await this.streamOnce(url, req, sameOrigin ? req.authorization : undefined);
      if (!REDIRECT_STATUS.has(res.status)) return res;
      res.cancel();
      url = this.redirectTarget(url, start, { status: res.status, headers: res.headers, body: res.errorBody, url: res.url }, req, hop);
    }
  }

  private async streamOnce(url: URL, req: HttpRequest & { deadlineMs?: number }, authorization: string | undefined): Promise<Omit<HttpStream, 'attempts'>> {
    const state = this.host(url.host);
    await state.rate.acquire();
    // The slot is released when the body is done, not when the headers arrive.
    const release = await new Promise<() => void>((acquired) => {
      void state.limit(() => new Promise<void>((done) => acquired(done)));
    });
    let released = false;
    const free = (): void => {
      if (!released) {
        released = true;
        release();
      }
    };
    state.requests++;
    const method = req.method ?? 'GET';
    const where = `${method} ${displayUrl(url)}${req.what ? ` (${req.what})` : ''}`;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers };
    if (authorization !== undefined) headers['authorization'] = authorization;
    const deadlineMs = req.deadlineMs ?? this.timeoutMs + Math.ceil(req.maxBytes / (1024 * 1024)) * 1000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    timer.unref?.();
    let data: Dispatcher.ResponseData;
    try {
      data = await this.agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(this.timeoutMs)]) });
    } catch (err) {
      clearTimeout(timer);
      free();
      throw toTransportError(err, where, 'request', this.timeoutMs, controller.signal);
    }
    const responseHeaders = flattenHeaders(data.headers);
    if (data.statusCode === 429) state.rate.onThrottle();
    else if (data.statusCode < 500) state.rate.onSuccess();
    const declared = responseHeaders['content-length'];
    const declaredLength = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
    const ok = data.statusCode >= 200 && data.statusCode < 300;
    if (!ok || method === 'HEAD') {
      try {
        const { bytes } = await readCapped(data.body, { maxBytes: ERROR_BODY_MAX_BYTES, truncateAtCap: true, where });
        return { status: data.statusCode, headers: responseHeaders, url: url.href, body: emptyBody(), errorBody: bytes, cancel: () => undefined };
      } catch (err) {
        dispose(data.body);
        if (isSigcheckError(err)) throw err;
        throw toTransportError(err, where, 'body', this.timeoutMs, controller.signal);
      } finally {
        clearTimeout(timer);
        free();
      }
    }
    if (declaredLength !== undefined && declaredLength > req.maxBytes) {
      dispose(data.body);
      clearTimeout(timer);
      free();
      throw tooLarge(where, req.maxBytes, declaredLength);
    }
    const body = data.body;
    const timeoutMs = this.timeoutMs;
    let finished = false;
    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
      free();
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let total = 0;
      try {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          total += chunk.byteLength;
          if (total > req.maxBytes) throw tooLarge(where, req.maxBytes);
          yield chunk;
        }
        if (declaredLength !== undefined && total !== declaredLength) {
          throw new SigcheckError('HTTP_TRUNCATED', `${where}: the body ended after ${total} of the ${declaredLength} bytes the server announced`);
        }
      } catch (err) {
        if (isSigcheckError(err)) throw err;
        throw toTransportError(err, where, 'body', timeoutMs, controller.signal);
      } finally {
        if (!finished) dispose(body);
        finish();
      }
    }
    return {
      status: data.statusCode,
      headers: responseHeaders,
      url: url.href,
      body: chunks(),
      errorBody: new Uint8Array(0),
      cancel: () => {
        if (finished) return;
        dispose(body);
        finish();
      },
      ...(declaredLength !== undefined ? { declaredLength } : {}),
    };
  }

  stats(): HttpStats {
    const out: HttpStats = { requests: 0, retries: 0, failures: 0, throttled: 0, hosts: {} };
    for (const [host, s] of this.hosts) {
      const rateLimit = s.rate.stats();
      out.hosts[host] = { requests: s.requests, retries: s.retries, failures: s.failures, rateLimit };
      out.requests += s.requests;
      out.retries += s.retries;
      out.failures += s.failures;
      out.throttled += rateLimit.throttled;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.ownsAgent) await this.agent.close();
  }

  private host(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = {
        limit: pLimit(this.concurrencyPerHost),
        rate: new AdaptiveRateLimiter({
          ...(this.rate !== undefined ? { rate: this.rate } : {}),
          ...(this.rateFloor !== undefined ? { floor: this.rateFloor } : {}),
        }),
        requests: 0,
        retries: 0,
        failures: 0,
      };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** One attempt: the request and the redirects it leads to, each hop under its host's limits. */
  private async followRedirects(start: URL, req: HttpRequest): Promise<Omit<HttpResponse, 'attempts'>> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const sameOrigin = url.origin === start.origin;
      const res = await this.send(url, req, sameOrigin ? req.authorization : undefined);
      if (!REDIRECT_STATUS.has(res.status)) return res;
      const next = this.redirectTarget(url, start, res, req, hop);
      url = next;
    }
  }

  private redirectTarget(from: URL, start: URL, res: Omit<HttpResponse, 'attempts'>, req: HttpRequest, hop: number): URL {
    const where = `${req.method ?? 'GET'} ${displayUrl(start)}`;
    const location = res.headers['location'];
    if (!location) throw new SigcheckError('HTTP_REDIRECT', `${where}: the server answered ${res.status} without a Location to redirect to`);
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      throw new SigcheckError('HTTP_REDIRECT', `${where}: the server redirected to an unreadable Location ${JSON.stringify(location.slice(0, 200))}`);
    }
    if (hop + 1 > MAX_REDIRECTS) throw new SigcheckError('HTTP_REDIRECT', `${where}: more than ${MAX_REDIRECTS} redirects; refusing to follow further`);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new SigcheckError('HTTP_REDIRECT', `${where}: redirected to a ${next.protocol} URL; only http(s) redirects are followed`);
    }
    if (from.protocol === 'https:' && next.protocol === 'http:') {
      throw new SigcheckError('HTTP_REDIRECT', `${where}: redirected from https to plain http (${displayUrl(next)}); refusing the downgrade`);
    }
    if ((req.redirects ?? 'same-origin') === 'same-origin' && next.origin !== start.origin) {
      throw new SigcheckError(
        'HTTP_REDIRECT',
        `${where}: redirected to another host (${next.origin}); refusing to follow it for a ${req.what ?? 'request'}, which is only ever served by ${start.origin}`,
      );
    }
    return next;
  }

  private async send(url: URL, req: HttpRequest, authorization: string | undefined): Promise<Omit<HttpResponse, 'attempts'>> {
    const state = this.host(url.host);
    await state.rate.acquire();
    const res = await state.limit(() => this.sendNow(url, req, authorization, state));
    if (res.status === 429) state.rate.onThrottle();
    else if (res.status < 500) state.rate.onSuccess();
    return res;
  }

  private async sendNow(url: URL, req: HttpRequest, authorization: string | undefined, state: HostState): Promise<Omit<HttpResponse, 'attempts'>> {
    state.requests++;
    const method = req.method ?? 'GET';
    const where = `${method} ${displayUrl(url)}`;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers };
    if (authorization !== undefined) headers['authorization'] = authorization;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let data: Dispatcher.ResponseData;
    try {
      data = await this.agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, signal });
    } catch (err) {
      throw toTransportError(err, where, 'request', this.timeoutMs, signal);
    }
    const responseHeaders = flattenHeaders(data.headers);
    const ok = data.statusCode >= 200 && data.statusCode < 300;
    const declared = responseHeaders['content-length'];
    const declaredLength = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
    try {
      if (method === 'HEAD' || REDIRECT_STATUS.has(data.statusCode)) {
        await discard(data.body);
        return { status: data.statusCode, headers: responseHeaders, body: new Uint8Array(0), url: url.href };
      }
      const { bytes } = await readCapped(data.body, {
        maxBytes: ok ? req.maxBytes : ERROR_BODY_MAX_BYTES,
        ...(declaredLength !== undefined ? { declaredLength } : {}),
        truncateAtCap: !ok,
        where: `${where}${req.what ? ` (${req.what})` : ''}`,
      });
      return { status: data.statusCode, headers: responseHeaders, body: bytes, url: url.href };
    } catch (err) {
      dispose(data.body);
      if (isSigcheckError(err)) throw err;
      throw toTransportError(err, where, 'body', this.timeoutMs, signal);
    }
  }
}

async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  // A redirect or HEAD answer has (next to) no body; anything more is not read, and the socket is dropped.
  try {
    await readCapped(body, { maxBytes: ERROR_BODY_MAX_BYTES, truncateAtCap: true, where: 'redirect' });
  } catch {
    dispose(body);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function statusDetail(res: Omit<HttpResponse, 'attempts'>): string {
  const retryAfter = res.headers['retry-after'];
  const text = new TextDecoder().decode(res.body.subarray(0, 300)).replace(/\s+/g, ' ').trim();
  const parts: string[] = [];
  if (retryAfter !== undefined) parts.push(`Retry-After: ${retryAfter.slice(0, 40)}`);
  if (text !== '' && !/^<(!doctype|html)/i.test(text)) parts.push(text.slice(0, 200));
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TRUNCATION_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** Maps an undici or socket error to a SigcheckError code, by `code` (the bundle may carry two undicis). */
export function toTransportError(err: unknown, where: string, phase: 'request' | 'body', timeoutMs: number, signal?: AbortSignal): SigcheckError {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if ((code !== undefined && TIMEOUT_CODES.has(code)) || e?.name === 'TimeoutError' || signal?.aborted) {
    return new SigcheckError('HTTP_TIMEOUT', `${where}: no complete answer within ${timeoutMs} ms (${phase === 'body' ? 'while reading the body' : 'waiting for the server'})`, { cause: err });
  }
  if ((code !== undefined && TRUNCATION_CODES.has(code)) || phase === 'body') {
    return new SigcheckError('HTTP_TRUNCATED', `${where}: the connection broke while reading the body (${describeError(err)})`, { cause: err });
  }
  return new SigcheckError('HTTP_NETWORK', `${where}: ${code ? `${code}: ` : ''}${describeError(err)}`, { cause: err });
}
