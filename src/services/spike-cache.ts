/**
 * R9 at intake, kept cheap: per process, the two sums a spike check reads that hardly change
 * while an hour runs — the units of the window's earlier hours, and the baseline (the days before
 * the order's day). The current hour always comes from the database (the upsert returns it), so
 * every process's orders of this hour count at once; the cached sums are at most `ttlMs` old
 * (an order placed late into an earlier hour, or a back-dated import, counts after that).
 */
export class SumCache {
  readonly #entries = new Map<string, { value: number; until: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries = 100_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, now = Date.now()): number | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: number, now = Date.now()): void {
    // A bound, not an LRU: past the bound everything is read again once.
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: now + this.#ttlMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Earlier hours of a window: a minute. Baselines (whole past days): ten minutes. */
export const earlierHours = new SumCache(60_000);
export const baselines = new SumCache(600_000);
