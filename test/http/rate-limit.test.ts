import { describe, expect, it } from 'vitest';
import { AdaptiveRateLimiter } from '../../src/http/rate-limit.ts';

/** A fake clock: sleeping advances it. */
function clock() {
  let t = 1_000_000;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('AdaptiveRateLimiter', () => {
  it('spaces request starts at 1/rate', async () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ rate: 10, now: c.now, sleep: c.sleep });
    const start = c.now();
    for (let i = 0; i < 11; i++) await limiter.acquire();
    // 11 starts at 10/s: the last one 1 s after the first.
    expect(c.now() - start).toBe(1000);
  });

  it('halves the rate on a 429, at most once per second, down to the floor', () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ rate: 8, floor: 1, now: c.now, sleep: c.sleep });
    limiter.onThrottle();
    limiter.onThrottle(); // same second: one signal
    expect(limiter.stats()).toMatchObject({ rate: 4, throttled: 2, decreases: 1 });
    for (let i = 0; i < 5; i++) {
      c.advance(1000);
      limiter.onThrottle();
    }
    expect(limiter.stats()).toMatchObject({ rate: 1, throttled: 7 });
  });

  it('climbs back towards the ceiling on successes, never above it', () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ rate: 10, floor: 0.5, now: c.now, sleep: c.sleep });
    limiter.onThrottle();
    expect(limiter.stats().rate).toBe(5);
    for (let i = 0; i < 10; i++) limiter.onSuccess();
    const mid = limiter.stats().rate as number;
    expect(mid).toBeGreaterThan(5);
    expect(mid).toBeLessThan(10);
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.stats().rate).toBe(10);
  });

  it('is dormant without a rate, and wakes on the first 429 at half the observed rate', async () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ now: c.now, sleep: c.sleep });
    const start = c.now();
    for (let i = 0; i < 40; i++) await limiter.acquire();
    expect(c.now()).toBe(start); // no spacing at all
    expect(limiter.stats().rate).toBeUndefined();
    limiter.onThrottle();
    expect(limiter.stats().rate).toBe(20);
    const before = c.now();
    for (let i = 0; i < 21; i++) await limiter.acquire();
    expect(c.now() - before).toBeGreaterThanOrEqual(1000);
    // The guessed ceiling is not a cap: successes probe above it.
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.stats().rate).toBeGreaterThan(40);
  });

  it('never exceeds a configured rate', () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ rate: 5, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.stats().rate).toBe(5);
  });

  it('makes requests already queued wait for the slower pace', async () => {
    const c = clock();
    const limiter = new AdaptiveRateLimiter({ rate: 100, floor: 1, now: c.now, sleep: c.sleep });
    await limiter.acquire();
    limiter.onThrottle(); // 50/s
    const before = c.now();
    await limiter.acquire();
    expect(c.now() - before).toBeGreaterThanOrEqual(20);
  });
});
