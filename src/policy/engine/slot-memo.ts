import type { FactMemo } from '../language/catalogue.types';

/**
 * The fast path's per-contact fact memo: a handful of keys (facts memoise at
 * most a few derived values per contact) in parallel arrays, found by linear
 * search. Unlike Map, clear() allocates nothing; it runs once per contact, and
 * Map.clear's fresh hash table was a measurable share of the 1.0.0 fast path.
 */
export class SlotMemo implements FactMemo {
  private readonly keys: string[] = [];
  private readonly values: unknown[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  private indexOf(key: string): number {
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return i;
    return -1;
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  get(key: string): unknown {
    const i = this.indexOf(key);
    return i >= 0 ? this.values[i] : undefined;
  }

  set(key: string, value: unknown): this {
    const i = this.indexOf(key);
    if (i >= 0) this.values[i] = value;
    else {
      this.keys[this.n] = key;
      this.values[this.n] = value;
      this.n++;
    }
    return this;
  }

  /** Forgets every entry; values are released so they can be collected. */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.values[i] = undefined;
    this.n = 0;
  }
}
