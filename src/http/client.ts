/**
 * The one HTTP client of the tool, on undici: keep-alive agents (dispatcher.ts: direct or through a
 * proxy from the environment, with the trusted CAs), a concurrency limit, an adaptive rate limit and a
 * circuit breaker per host, timeouts, a cap on every body, manual redirects that never carry
 * credentials to another origin, and retries with backoff. Every failure is a SigcheckError with an
 * HTTP_* code; an answer that is not retried (404, 401, 403, ...) is returned to the caller, which
 * knows what it means.
 *
 * Time is bounded twice. Each request has a budget of (retries + 1) x timeout from its first attempt,
 * and no wait (backoff, Retry-After) reaches past it: a server that asks for a longer wait ends the
 * request at once. The whole run may have a deadline (an absolute time or an AbortSignal): when it
 * passes, requests in flight are aborted and new ones fail at once, all with HTTP_DEADLINE.
 */
import type { LookupFunction } from 'node:net';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Dispatcher } from 'undici';
import { SigcheckError, isSigcheckError } from '../model/errors.ts';
import { dispose, readCapped, tooLarge } from './body.ts';
import { DEFAULT_BREAKER_POLICY, HostBreaker, type BreakerPolicy } from './breaker.ts';
import { Dispatchers, type Route } from './dispatcher.ts';
import { ERROR_BODY_MAX_BYTES } from './limits.ts';
import type { ProxyConfig } from './proxy.ts';
import { AdaptiveRateLimiter, type RateLimitStats } from './rate-limit.ts';
import { DEFAULT_RETRY_POLICY, backoffDelay, isConnectError, isRetryableStatus, mayRetry, parseRetryAfter, requestBudgetMs, type RetryPolicy } from './retry.ts';
import { TlsPolicy, type TlsConfig } from './tls.ts';
import { toTransportError } from './transport.ts';

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
  /** The end of the run: an absolute time (ms since the epoch) or a signal that aborts at it. */
  deadline?: number | AbortSignal;
  /** When a host that cannot be connected to stops being tried (breaker.ts). */
  breaker?: Partial<BreakerPolicy>;
  /** Trusted CAs and certificate verification (tls.ts). */
  tls?: TlsConfig;
  /** Forwarding proxies (proxy.ts); default none. Read from the environment with proxyFromEnv(). */
  proxy?: ProxyConfig;
  /** Replaceable in tests: the randomness of the backoff jitter, the sleep between retries, the clock of the request budget. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Name resolution for direct connections (default: the system's), e.g. to test DNS failures without a network. */
  lookup?: LookupFunction;
  /** Use this dispatcher for every request instead of creating agents (it is then not closed by close()). */
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
  /** Cap of a successful (2xx) body; a longer one is refused with HTTP_BODY_TOO_LARGE (unless `truncate`). */
  maxBytes: number;
  /** Keep the first `maxBytes` of a longer successful body instead of refusing it (a reader behind io.LimitReader). */
  truncate?: boolean;
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
  /** Requests not sent because the host's circuit breaker was open. */
  refused: number;
  rateLimit: RateLimitStats;
}

export interface HttpStats {
  requests: number;
  retries: number;
  failures: number;
  throttled: number;
  refused: number;
  hosts: Record<string, HostStats>;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

interface HostState {
  limit: LimitFunction;
  rate: AdaptiveRateLimiter;
  breaker: HostBreaker;
  requests: number;
  retries: number;
  failures: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The hint of every "gave up" message: more attempts or more time may get an answer. */
const RETRY_HINT = { options: ['retries', 'timeout'] } as const;

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
  private readonly dispatchers: Dispatchers | undefined;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly hosts = new Map<string, HostState>();
  private readonly policy: RetryPolicy;
  private readonly breakerPolicy: BreakerPolicy;
  private readonly timeoutMs: number;
  private readonly concurrencyPerHost: number;
  private readonly rate: number | undefined;
  private readonly rateFloor: number | undefined;
  private readonly userAgent: string;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly deadline: AbortSignal | undefined;
  private readonly deadlineTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: HttpClientOptions = {}) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.breakerPolicy = { ...DEFAULT_BREAKER_POLICY, ...options.breaker };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.concurrencyPerHost = options.concurrencyPerHost ?? 16;
    this.rate = options.rate;
    this.rateFloor = options.rateFloor;
    this.userAgent = options.userAgent ?? 'release-sigcheck';
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
    } else {
      this.dispatchers = new Dispatchers({
        timeoutMs: this.timeoutMs,
        connections: this.concurrencyPerHost,
        tls: new TlsPolicy(options.tls),
        ...(options.proxy ? { proxy: options.proxy } : {}),
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
    }
    if (typeof options.deadline === 'number') {
      const controller = new AbortController();
      const abort = () => controller.abort(new SigcheckError('HTTP_DEADLINE', "the run's deadline passed"));
      const left = options.deadline - Date.now();
      if (left <= 0) abort();
      else {
        // Unref'd: a pending deadline must not keep a finished run alive.
        this.deadlineTimer = setTimeout(abort, left);
        this.deadlineTimer.unref();
      }
      this.deadline = controller.signal;
    } else {
      this.deadline = options.deadline;
    }
  }

  get retryPolicy(): Readonly<RetryPolicy> {
    return this.policy;
  }

  /**
   * Sends a GET or HEAD, following redirects and retrying transient failures within the budget.
   * Resolves with any answer that is not retried (2xx, 404, 401, 403, ...); throws a SigcheckError
   * (HTTP_STATUS, HTTP_TIMEOUT, HTTP_NETWORK, HTTP_DNS, HTTP_CONNECT, HTTP_PROXY, HTTP_TLS,
   * HTTP_UNREACHABLE, HTTP_DEADLINE, HTTP_TRUNCATED, HTTP_BODY_TOO_LARGE, HTTP_REDIRECT) when no
   * usable answer could be had.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    return this.retrying(req, (url) => this.followRedirects(url, req), (res) => res);
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
    // The same budget, retry and Retry-After rules as request(); only the body is handed out as a stream.
    return this.retrying(req, (url) => this.streamHops(url, req), (res) => ({ ...res, body: res.errorBody }));
  }

  /**
   * The one retry loop of request() and stream(): an attempt is retried on a retryable status or
   * transport failure while retries and the request's time budget last; Retry-After is honoured up
   * to maxRetryAfterMs, and an ask longer than the budget left ends the request at once (saying so).
   * `shown` gives the status answer as a plain response, for the error's detail.
   */
  private async retrying<T extends { status: number; headers: Record<string, string>; url: string }>(
    req: HttpRequest,
    attemptOnce: (url: URL) => Promise<T>,
    shown: (res: T) => Omit<HttpResponse, 'attempts'>,
  ): Promise<T & { attempts: number }> {
    const url = new URL(req.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new SigcheckError('HTTP_NETWORK', `${displayUrl(url)}: only http and https URLs can be fetched`);
    }
    const origin = this.host(url.host);
    const where = `${req.method ?? 'GET'} ${displayUrl(url)}`;
    const started = this.now();
    const budgetMs = requestBudgetMs(this.policy, this.timeoutMs);
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      let lastError: SigcheckError;
      let retryAfter: { asked: number; host: string } | undefined;
      try {
        this.checkDeadline(where);
        const res = await attemptOnce(url);
        if (!isRetryableStatus(res.status)) return { ...res, attempts: attempt + 1 };
        lastError = new SigcheckError('HTTP_STATUS', `${req.method ?? 'GET'} ${displayUrl(res.url)}: the server answered ${res.status}${statusDetail(shown(res))}`);
        const asked = parseRetryAfter(res.headers['retry-after'], Infinity);
        if (asked !== undefined) retryAfter = { asked, host: new URL(res.url).host };
        wait = asked !== undefined ? Math.min(asked, this.policy.maxRetryAfterMs) : backoffDelay(attempt, this.policy, this.random);
      } catch (err) {
        if (!mayRetry(err, attempt, this.policy)) {
          origin.failures++;
          throw this.finalError(err, attempt);
        }
        lastError = err as SigcheckError;
        wait = backoffDelay(attempt, this.policy, this.random);
      }
      if (attempt >= this.policy.retries) {
        origin.failures++;
        throw this.finalError(lastError, attempt);
      }
      const left = budgetMs - (this.now() - started);
      if (retryAfter !== undefined && retryAfter.asked > left) {
        origin.failures++;
        throw new SigcheckError(
          'HTTP_STATUS',
          `${lastError.message}; ${retryAfter.host} asked to wait ${formatSeconds(retryAfter.asked)} before trying again, longer than the ${formatSeconds(Math.max(0, left))} left of this request's time budget, so it was not retried: run again later, or allow more time (the retries and timeout options)`,
          { cause: lastError, hint: RETRY_HINT },
        );
      }
      if (wait > left) {
        origin.failures++;
        throw this.finalError(lastError, attempt, ` its time budget of ${formatSeconds(budgetMs)} was spent`);
      }
      origin.retries++;
      await this.pause(wait, where);
    }
  }

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
    // A body may take longer than one timeout: a second per MiB of its cap is added to the attempt.
    const deadlineMs = req.deadlineMs ?? this.timeoutMs + Math.ceil(req.maxBytes / (1024 * 1024)) * 1000;
    this.checkDeadline(where);
    const probe = state.breaker.admit();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no complete answer within ${deadlineMs} ms`, 'TimeoutError')), deadlineMs);
    timer.unref?.();
    const runDeadline = this.deadline;
    const onDeadline = () => controller.abort(runDeadline?.reason);
    runDeadline?.addEventListener('abort', onDeadline, { once: true });
    const route = this.route(url);
    const context = (phase: 'request' | 'body') => ({
      where,
      host: url.host,
      phase,
      timeoutMs: deadlineMs,
      signal: controller.signal,
      ...(runDeadline ? { deadline: runDeadline } : {}),
      ...(route.proxy ? { proxy: route.proxy } : {}),
    });
    const stopTimers = (): void => {
      clearTimeout(timer);
      runDeadline?.removeEventListener('abort', onDeadline);
    };
    let data: Dispatcher.ResponseData;
    try {
      data = await route.dispatcher.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, signal: controller.signal });
    } catch (err) {
      stopTimers();
      free();
      const e = toTransportError(err, context('request'));
      if (isConnectError(e) || e.code === 'HTTP_TLS') state.breaker.onConnectFailure(e, probe);
      else state.breaker.onOtherFailure(probe);
      throw e;
    }
    state.breaker.onAnswer();
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
        throw toTransportError(err, context('body'));
      } finally {
        stopTimers();
        free();
      }
    }
    if (declaredLength !== undefined && declaredLength > req.maxBytes) {
      dispose(data.body);
      stopTimers();
      free();
      throw tooLarge(where, req.maxBytes, declaredLength);
    }
    const body = data.body;
    let finished = false;
    const finish = (): void => {
      finished = true;
      stopTimers();
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
        throw toTransportError(err, context('body'));
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
    const out: HttpStats = { requests: 0, retries: 0, failures: 0, throttled: 0, refused: 0, hosts: {} };
    for (const [host, s] of this.hosts) {
      const rateLimit = s.rate.stats();
      out.hosts[host] = { requests: s.requests, retries: s.retries, failures: s.failures, refused: s.breaker.refused, rateLimit };
      out.requests += s.requests;
      out.retries += s.retries;
      out.failures += s.failures;
      out.throttled += rateLimit.throttled;
      out.refused += s.breaker.refused;
    }
    return out;
  }

  /** Closes the agents (once; later calls do nothing). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    await this.dispatchers?.close();
  }

  /** The message a request ends with when it is not (or no longer) retried. */
  private finalError(err: unknown, attempt: number, why?: string): unknown {
    if (!isSigcheckError(err)) return err;
    const attempts = attempt + 1;
    const tries = attempts === 1 ? 'no retries allowed' : `gave up after ${attempts} attempts`;
    if (isConnectError(err)) {
      return new SigcheckError(err.code, attempts === 1 ? err.message : `${err.message} (${attempts} attempts)`, { cause: err, ...(err.hint ? { hint: err.hint } : {}) });
    }
    if (!mayRetryKind(err)) return err;
    return new SigcheckError(
      err.code,
      `${err.message} (${tries}${why ? `;${why}` : ''}); a failure of the server or the network, not an answer: run again later, or allow more attempts or time (the retries and timeout options)`,
      { cause: err, hint: RETRY_HINT },
    );
  }

  private checkDeadline(where: string): void {
    if (this.deadline?.aborted) {
      throw new SigcheckError('HTTP_DEADLINE', `${where}: not sent: the run's deadline has passed; what is left is reported as error (the deadline option sets it)`, {
        hint: { options: ['deadline'] },
      });
    }
  }

  /** Sleeps between attempts; the deadline cuts a sleep short (HTTP_DEADLINE). */
  private async pause(ms: number, where: string): Promise<void> {
    const deadline = this.deadline;
    if (!deadline) return this.sleep(ms);
    this.checkDeadline(where);
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        this.sleep(ms),
        new Promise<void>((resolve) => {
          onAbort = resolve;
          deadline.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      if (onAbort) deadline.removeEventListener('abort', onAbort);
    }
    this.checkDeadline(where);
  }

  private host(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = {
        limit: pLimit(this.concurrencyPerHost),
        rate: new AdaptiveRateLimiter({
          ...(this.rate !== undefined ? { rate: this.rate } : {}),
          ...(this.rateFloor !== undefined ? { floor: this.rateFloor } : {}),
          // The same clock as the retries: a test's virtual time moves both.
          now: this.now,
          sleep: this.sleep,
        }),
        breaker: new HostBreaker(host, this.breakerPolicy, this.now),
        requests: 0,
        retries: 0,
        failures: 0,
      };
      this.hosts.set(host, state);
    }
    return state;
  }

  private route(url: URL): Route {
    if (this.dispatcher) return { dispatcher: this.dispatcher };
    return (this.dispatchers as Dispatchers).for(url);
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
    const where = `${req.method ?? 'GET'} ${displayUrl(url)}`;
    const state = this.host(url.host);
    try {
      await state.rate.acquire(this.deadline);
    } catch {
      this.checkDeadline(where);
    }
    const res = await state.limit(() => this.sendNow(url, req, authorization, state));
    if (res.status === 429) state.rate.onThrottle();
    else if (res.status < 500) state.rate.onSuccess();
    return res;
  }

  private async sendNow(url: URL, req: HttpRequest, authorization: string | undefined, state: HostState): Promise<Omit<HttpResponse, 'attempts'>> {
    const method = req.method ?? 'GET';
    const where = `${method} ${displayUrl(url)}`;
    // Checked again here: a request may have queued behind the host's limit while the deadline
    // passed or the breaker opened.
    this.checkDeadline(where);
    const probe = state.breaker.admit();
    state.requests++;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers };
    if (authorization !== undefined) headers['authorization'] = authorization;
    // One controller per attempt, aborted by its timeout or by the run's deadline, with both
    // listeners removed when the attempt ends (a long-lived deadline signal must not collect one
    // dependant per request of a long audit, as AbortSignal.any would risk).
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')), this.timeoutMs);
    const deadline = this.deadline;
    const onDeadline = () => controller.abort(deadline?.reason);
    deadline?.addEventListener('abort', onDeadline, { once: true });
    const route = this.route(url);
    const context = (phase: 'request' | 'body') => ({
      where,
      host: url.host,
      phase,
      timeoutMs: this.timeoutMs,
      signal,
      ...(deadline ? { deadline } : {}),
      ...(route.proxy ? { proxy: route.proxy } : {}),
    });
    try {
      let data: Dispatcher.ResponseData;
      try {
        data = await route.dispatcher.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, signal });
      } catch (err) {
        const e = toTransportError(err, context('request'));
        if (isConnectError(e) || e.code === 'HTTP_TLS') state.breaker.onConnectFailure(e, probe);
        else state.breaker.onOtherFailure(probe);
        throw e;
      }
      state.breaker.onAnswer();
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
          truncateAtCap: !ok || req.truncate === true,
          where: `${where}${req.what ? ` (${req.what})` : ''}`,
        });
        return { status: data.statusCode, headers: responseHeaders, body: bytes, url: url.href };
      } catch (err) {
        dispose(data.body);
        if (isSigcheckError(err) && !deadline?.aborted) throw err;
        throw toTransportError(err, context('body'));
      }
    } finally {
      clearTimeout(timer);
      deadline?.removeEventListener('abort', onDeadline);
    }
  }
}

/** Codes whose final message says "run again later": failures of the moment, not answers. */
function mayRetryKind(err: SigcheckError): boolean {
  return err.code === 'HTTP_STATUS' || err.code === 'HTTP_TIMEOUT' || err.code === 'HTTP_NETWORK' || err.code === 'HTTP_TRUNCATED';
}

function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  const s = ms / 1000;
  return s >= 1 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
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
