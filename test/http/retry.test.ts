import { describe, expect, it } from 'vitest';
import { SigcheckError } from '../../src/model/errors.ts';
import { backoffDelay, isConnectError, isRetryableError, isRetryableStatus, mayRetry, parseRetryAfter, requestBudgetMs } from '../../src/http/retry.ts';

describe('isRetryableStatus', () => {
  it('retries 429 and the transient 5xx answers only', () => {
    expect([429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([429, 500, 502, 503, 504]);
    expect([200, 301, 400, 401, 403, 404, 405, 409, 501, 505].filter(isRetryableStatus)).toEqual([]);
  });
});

describe('isRetryableError', () => {
  it('retries timeouts, network failures and truncated bodies, nothing else', () => {
    for (const code of ['HTTP_TIMEOUT', 'HTTP_NETWORK', 'HTTP_TRUNCATED'] as const) expect(isRetryableError(new SigcheckError(code, 'x'))).toBe(true);
    for (const code of ['HTTP_STATUS', 'HTTP_BODY_TOO_LARGE', 'HTTP_REDIRECT', 'HTTP_AUTH', 'DIGEST_MISMATCH', 'INVALID_DIGEST'] as const) {
      expect(isRetryableError(new SigcheckError(code, 'x'))).toBe(false);
    }
    expect(isRetryableError(new Error('ECONNRESET'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles per attempt with jitter between half and the whole step', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(1, policy, () => 0)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
  });
  it('is capped', () => {
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(1000, policy, () => 0.5)).toBe(750);
  });
  it('spreads retries of clients that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds', () => {
    expect(parseRetryAfter('2', 60_000, now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', 60_000, now)).toBe(0);
  });
  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', 60_000, now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', 60_000, now)).toBe(0);
  });
  it('caps long waits', () => {
    expect(parseRetryAfter('86400', 60_000, now)).toBe(60_000);
    expect(parseRetryAfter('Fri, 01 Jan 2027 00:00:00 GMT', 60_000, now)).toBe(60_000);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, 60_000, now)).toBeUndefined();
    expect(parseRetryAfter('', 60_000, now)).toBeUndefined();
    expect(parseRetryAfter('soon', 60_000, now)).toBeUndefined();
    expect(parseRetryAfter('-5', 60_000, now)).toBeUndefined();
  });
});

describe('mayRetry', () => {
  const policy = { retries: 5, connectRetries: 1 };
  const err = (code: ConstructorParameters<typeof SigcheckError>[0]) => new SigcheckError(code, 'x');

  it('retries transient failures up to the retry count', () => {
    for (const code of ['HTTP_TIMEOUT', 'HTTP_NETWORK', 'HTTP_TRUNCATED'] as const) {
      expect(mayRetry(err(code), 4, policy)).toBe(true);
      expect(mayRetry(err(code), 5, policy)).toBe(false);
    }
  });

  it('retries a failure to connect once only', () => {
    for (const code of ['HTTP_DNS', 'HTTP_CONNECT', 'HTTP_PROXY'] as const) {
      expect(isConnectError(err(code))).toBe(true);
      expect(mayRetry(err(code), 0, policy)).toBe(true);
      expect(mayRetry(err(code), 1, policy)).toBe(false);
      expect(mayRetry(err(code), 0, { retries: 0, connectRetries: 1 })).toBe(false);
    }
  });

  it('never retries a certificate problem, an open breaker or the deadline', () => {
    for (const code of ['HTTP_TLS', 'HTTP_UNREACHABLE', 'HTTP_DEADLINE', 'HTTP_BODY_TOO_LARGE'] as const) expect(mayRetry(err(code), 0, policy)).toBe(false);
  });

  it('gives a request (retries + 1) x timeout', () => {
    expect(requestBudgetMs({ retries: 1 }, 3000)).toBe(6000);
    expect(requestBudgetMs({ retries: 5 }, 30_000)).toBe(180_000);
  });
});
