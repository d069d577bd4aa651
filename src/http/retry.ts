/**
 * When to try a request again, and how long to wait first. Pure functions, so the policy can be
 * tested without a network.
 *
 * Retried, as containers/image (skopeo, CRI-O) and undici's RetryHandler retry: 429, 500, 502, 503,
 * 504, connection resets, timeouts and truncated bodies. Quay answers 502 often enough that "trying
 * again is often enough" (containers/common#2378). Never retried: any other status (400, 401 after a
 * fresh token, 403, 404), an oversized body, a refused redirect, a digest mismatch, a certificate
 * the tool does not trust, the run's deadline - asking again would get the same answer.
 *
 * Failing to connect at all - a name that does not resolve, a refused port, a proxy that will not
 * open a tunnel - is retried at most once (`connectRetries`): one retry covers a registry that is
 * restarting or a resolver hiccup, while a dead network or a wrong host name does not cost the whole
 * retry budget on every request (issue: 1,775 retries and 440 s for 355 nodes with no network). The
 * client's per-host circuit breaker (breaker.ts) then stops sending to such a host altogether.
 *
 * Every wait is bounded by the request's time budget, (retries + 1) x timeout from its first attempt:
 * a backoff or a Retry-After that would end past it is not waited; the request ends at once.
 */
import { isSigcheckError, type ErrorCode } from '../model/errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (NetworkConfig.retries); 0 means one attempt only. */
  retries: number;
  /** First backoff delay; each retry doubles it. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /** Upper bound of a wait a server asks for with Retry-After. */
  maxRetryAfterMs: number;
  /** Retries after a failure to connect (DNS, refused, proxy tunnel), at most `retries`. */
  connectRetries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  connectRetries: 1,
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

const RETRYABLE_CODES = new Set<ErrorCode>(['HTTP_TIMEOUT', 'HTTP_NETWORK', 'HTTP_TRUNCATED']);
const CONNECT_CODES = new Set<ErrorCode>(['HTTP_DNS', 'HTTP_CONNECT', 'HTTP_PROXY']);

/** True for a transport failure that another attempt may not meet (see the module comment). */
export function isRetryableError(err: unknown): boolean {
  return isSigcheckError(err) && (RETRYABLE_CODES.has(err.code) || CONNECT_CODES.has(err.code));
}

/** True for a failure to connect at all: retried at most `connectRetries` times, and counted by the circuit breaker. */
export function isConnectError(err: unknown): boolean {
  return isSigcheckError(err) && CONNECT_CODES.has(err.code);
}

/** Whether the failure of attempt number `attempt` (0 for the first) may be retried under `policy`. */
export function mayRetry(err: unknown, attempt: number, policy: Pick<RetryPolicy, 'retries' | 'connectRetries'>): boolean {
  if (!isRetryableError(err)) return false;
  const limit = isConnectError(err) ? Math.min(policy.retries, policy.connectRetries) : policy.retries;
  return attempt < limit;
}

/** The time budget of one request: (retries + 1) x the timeout of one attempt. */
export function requestBudgetMs(policy: Pick<RetryPolicy, 'retries'>, timeoutMs: number): number {
  return (policy.retries + 1) * timeoutMs;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): capped exponential backoff with
 * "equal jitter" (half fixed, half random), so that many clients that failed together do not come
 * back together, yet no retry comes back immediately.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/**
 * Parses a Retry-After header (RFC 9110 10.2.3): a number of seconds or an HTTP date. Returns the
 * wait in milliseconds, capped at `capMs`, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, capMs: number, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // An HTTP date names a weekday and a month; Date.parse alone would read `-5` as a year.
    if (!/[A-Za-z]{3}/.test(text)) return undefined;
    const when = Date.parse(text);
    if (Number.isNaN(when)) return undefined;
    ms = when - now;
  }
  if (!Number.isFinite(ms)) return capMs;
  return Math.min(capMs, Math.max(0, ms));
}
