/**
 * A per-host request-rate limiter that slows itself down when the host says 429.
 *
 * Quay limits "a few requests per second per IP, with some bursting" and answers 429 beyond that
 * (Red Hat KB 6218921); a client that keeps its pace after a 429 only collects more of them. The
 * limiter spaces request starts at 1/rate seconds and adapts the rate AIMD-style, as TCP does:
 * halve it on a 429 (at most once per second, so a burst of in-flight 429s counts as one signal),
 * add a little back on each success, never below `floor` nor above `ceiling`.
 *
 * Without a configured rate the limiter is dormant (no spacing at all) until the first 429; it then
 * starts at half the rate it observed over the last second. That observed rate is its ceiling,
 * re-measured at every 429, which successes may probe past (up to four times).
 */

export interface RateLimitOptions {
  /** Requests per second to start at and never exceed; undefined: dormant until the first 429. */
  rate?: number;
  /** Lowest rate the limiter slows down to (requests per second). */
  floor?: number;
  /** Highest rate; defaults to `rate`, or without one to the rate observed at each 429. */
  ceiling?: number;
  /** Clock and sleep, replaceable in tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RateLimitStats {
  /** The current rate in requests per second; undefined while dormant. */
  rate: number | undefined;
  /** 429 answers seen. */
  throttled: number;
  /** Times the rate was lowered. */
  decreases: number;
  /** Total milliseconds requests waited for their slot. */
  waitedMs: number;
}

const DEFAULT_FLOOR = 1;
const DECREASE_INTERVAL_MS = 1000;
/** Successes it takes to climb from the floor back to the ceiling. */
const RECOVERY_STEPS = 20;
/** How far above the pace that drew the last 429 a guessed ceiling may probe. */
const MAX_PROBE_FACTOR = 4;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Waiter {
  resolve: () => void;
  queuedAt: number;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/** A rate change reaches requests already waiting within this long. */
const RECHECK_MS = 100;

export class AdaptiveRateLimiter {
  private rate: number | undefined;
  private ceiling: number | undefined;
  private readonly floor: number;
  private readonly guessedCeiling: boolean;
  /** The pace observed at the last 429, when the ceiling is guessed. */
  private anchor = 0;
  private lastStart = -Infinity;
  private lastDecrease = -Infinity;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private readonly recentStarts: number[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private throttled = 0;
  private decreases = 0;
  private waitedMs = 0;

  constructor(options: RateLimitOptions = {}) {
    this.floor = options.floor ?? Math.min(DEFAULT_FLOOR, options.rate ?? DEFAULT_FLOOR);
    this.rate = options.rate;
    this.ceiling = options.ceiling ?? options.rate;
    this.guessedCeiling = this.ceiling === undefined;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /**
   * Waits for this request's turn: requests start in order, one every 1/rate seconds at the rate in
   * force when each starts (not when it queued), so a slow-down reaches the requests already waiting.
   * Resolves at once while dormant. When `signal` aborts, the request leaves the queue (so a queue of
   * requests that will not be sent does not keep pacing, and the process alive) and this rejects with
   * the signal's reason.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortReason(signal);
    const now = this.now();
    this.noteStart(now);
    if (this.rate === undefined) {
      this.lastStart = now;
      return;
    }
    if (this.queue.length === 0 && now >= this.lastStart + 1000 / this.rate) {
      this.lastStart = now;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(abortReason(signal as AbortSignal));
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        queuedAt: now,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.now();
        const due = this.rate === undefined ? now : this.lastStart + 1000 / this.rate;
        if (now < due) {
          await this.sleep(Math.min(due - now, RECHECK_MS));
          continue;
        }
        const waiter = this.queue.shift() as Waiter;
        this.lastStart = now;
        this.waitedMs += now - waiter.queuedAt;
        waiter.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The host answered 429: lower the rate (at most once per second). */
  onThrottle(): void {
    this.throttled++;
    const now = this.now();
    if (now - this.lastDecrease < DECREASE_INTERVAL_MS) return;
    this.lastDecrease = now;
    this.decreases++;
    if (this.guessedCeiling) {
      // No configured rate: the pace that drew the 429 is what the host tolerates at most.
      const observed = this.observedRate(now);
      this.ceiling = Math.max(this.floor, observed);
      this.anchor = this.ceiling;
      const waking = this.rate === undefined;
      this.rate = Math.max(this.floor, Math.min(this.rate ?? observed, observed) / 2);
      // Waking up: the throttled request already waits its Retry-After or backoff; pace the rest.
      if (waking) return;
    } else {
      this.rate = Math.max(this.floor, (this.rate ?? (this.ceiling as number)) / 2);
    }
    // The next request starts one new interval from now at the earliest.
    this.lastStart = Math.max(this.lastStart, now);
  }

  /**
   * A request succeeded: creep back towards the ceiling. A ceiling the limiter guessed itself (no
   * configured rate) is the pace observed at the last 429: at the ceiling it keeps probing upwards
   * (up to 4 times that pace), so one early 429 does not cap the pace of a whole run, and the next
   * 429 re-anchors it.
   */
  onSuccess(): void {
    if (this.rate === undefined || this.ceiling === undefined) return;
    if (this.guessedCeiling && this.rate >= this.ceiling) this.ceiling = Math.min(this.anchor * MAX_PROBE_FACTOR, this.ceiling + this.ceiling / RECOVERY_STEPS);
    this.rate = Math.min(this.ceiling, this.rate + (this.ceiling - this.floor) / RECOVERY_STEPS);
  }

  stats(): RateLimitStats {
    return { rate: this.rate, throttled: this.throttled, decreases: this.decreases, waitedMs: Math.round(this.waitedMs) };
  }

  private noteStart(now: number): void {
    this.recentStarts.push(now);
    while (this.recentStarts.length > 0 && (this.recentStarts[0] as number) < now - 1000) this.recentStarts.shift();
    if (this.recentStarts.length > 10_000) this.recentStarts.splice(0, this.recentStarts.length - 10_000);
  }

  private observedRate(now: number): number {
    const within = this.recentStarts.filter((t) => t >= now - 1000).length;
    return Math.max(1, within);
  }
}
