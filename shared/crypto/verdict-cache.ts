/**
 * A bounded least-recently-used map from a signature check to its verdict. A verdict is a pure
 * function of (public key, message, signature), so a cached one is exactly what recomputing would
 * give: the cache changes how often a signature is checked, never what the engine decides.
 */
export class VerdictCache {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest entry first.
  private readonly entries = new Map<string, boolean>();
  hits = 0;
  misses = 0;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** The cached verdict for `key`, or undefined (counted as a miss). */
  get(key: string): boolean | undefined {
    const verdict = this.entries.get(key);
    if (verdict === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, verdict);
    return verdict;
  }

  /** Records a verdict, evicting the least recently used entry beyond capacity. */
  set(key: string, verdict: boolean): void {
    this.entries.delete(key);
    this.entries.set(key, verdict);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** True when `key` has a verdict (does not touch recency or the counters). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.hits = 0;
    this.misses = 0;
  }
}
