/**
 * When to try a request again, and how long to wait first. Pure functions, so the policy can be
 * tested without a network.
 *
 * Retried, as containers/image (skopeo, CRI-O) and undici's RetryHandler retry: 429, 500, 502, 503,
 * 504, connection resets and refusals, timeouts and truncated bodies. Quay answers 502 often enough
 * that "trying again is often enough" (containers/common#2378). Never retried: any other status
 * (400, 401 after a fresh token, 403, 404), an oversized body, a refused redirect, a digest
 * mismatch - asking again would get the same answer.
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
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

const RETRYABLE_CODES = new Set<ErrorCode>(['HTTP_TIMEOUT', 'HTTP_NETWORK', 'HTTP_TRUNCATED']);

/** True for a transport failure that another attempt may not meet (see the module comment). */
export function isRetryableError(err: unknown): boolean {
  return isSigcheckError(err) && RETRYABLE_CODES.has(err.code);
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
