/**
 * Fixed-window request counter, one window per key (bearer token or OAuth
 * client). A key's window starts at its first request and lasts `windowMs`;
 * the count drops to 0 when it ends. Rejected requests are not counted.
 */

export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, including this one when allowed. */
  count: number;
  /** undefined = unlimited. */
  limit: number | undefined;
  /** Milliseconds until the current window ends. */
  resetMs: number;
}

interface Window {
  start: number;
  count: number;
}

export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private limit: number | undefined,
    private windowMs: number,
    private readonly now: () => number,
  ) {}

  configure(limit: number | undefined, windowMs?: number): void {
    this.limit = limit === undefined || limit <= 0 ? undefined : limit;
    if (windowMs !== undefined && windowMs !== this.windowMs) {
      if (windowMs <= 0) throw new Error('rate-limit window must be positive');
      this.windowMs = windowMs;
      this.windows.clear();
    }
  }

  /** Counts one request for `key` unless the window is full. */
  take(key: string): RateDecision {
    const window = this.current(key);
    const resetMs = window.start + this.windowMs - this.now();
    if (this.limit !== undefined && window.count >= this.limit) {
      return { allowed: false, count: window.count, limit: this.limit, resetMs };
    }
    window.count += 1;
    return { allowed: true, count: window.count, limit: this.limit, resetMs };
  }

  /** The state of `key` without counting a request (for responses that are not rate-limited). */
  peek(key: string): RateDecision {
    const existing = this.windows.get(key);
    const t = this.now();
    if (!existing || t >= existing.start + this.windowMs) {
      return { allowed: true, count: 0, limit: this.limit, resetMs: this.windowMs };
    }
    return {
      allowed: true,
      count: existing.count,
      limit: this.limit,
      resetMs: existing.start + this.windowMs - t,
    };
  }

  clear(): void {
    this.windows.clear();
  }

  private current(key: string): Window {
    const t = this.now();
    let window = this.windows.get(key);
    if (!window || t >= window.start + this.windowMs) {
      window = { start: t, count: 0 };
      this.windows.set(key, window);
    }
    return window;
  }
}
