/**
 * A memo of promises with a bound on its size: the first caller for a key starts the work, later
 * callers share its promise, and the oldest entries are dropped past the bound, so a run that checks
 * tens of thousands of component images holds a bounded number of results. Consecutive z-streams
 * share most components and sit side by side in graph order, so a few thousand entries catch them.
 */
export class BoundedMemo<T> {
  private readonly entries = new Map<string, Promise<T>>();
  readonly limit: number;
  readonly stats = { hits: 0, misses: 0, evicted: 0 };

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  get size(): number {
    return this.entries.size;
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key);
    if (existing) {
      this.stats.hits++;
      return existing;
    }
    this.stats.misses++;
    const p = work();
    this.entries.set(key, p);
    while (this.entries.size > this.limit) {
      this.entries.delete(this.entries.keys().next().value as string);
      this.stats.evicted++;
    }
    return p;
  }
}
