import type { GenesysTiming } from './genesys-timing';

export interface PacerOptions {
  /**
   * Below this share of the window's budget left, requests are spread evenly
   * over the time until reset; above it they go out unhindered (no idle waiting).
   */
  headroom: number;
  /** Extra wait after a reset, for clock skew and rounding of the reset header. */
  slackMs: number;
}

/** Longest plausible "seconds until reset"; larger values are not a delta (ignored). */
const MAX_RESET_S = 24 * 3600;

function headerNumber(headers: Record<string, string>, name: string): number | undefined {
  const v = headers[name];
  if (v === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(v)) return undefined;
  return Number(v);
}

/**
 * Adaptive pacing from Genesys' `inin-ratelimit-count/-allowed/-reset` headers
 * (count used in the current window, the window's budget, seconds until it
 * resets). While plenty of budget is left requests are not delayed; as the
 * count approaches the budget, the remaining requests are spaced evenly over
 * the time left, and when it is used up everyone waits for the reset. So a
 * long job slows down before it is throttled instead of bouncing off 429s.
 * A 429's Retry-After pauses every request, not only the one that got it.
 *
 * The meaning of `inin-ratelimit-reset` is unconfirmed for real Genesys; it
 * is read as seconds until the window resets (see docs/genesys-setup.md).
 */
export class RatePacer {
  private allowed?: number;
  private maxCount = 0;
  private resetAt?: number;
  private pausedUntil = 0;
  private nextSlotAt = 0;
  private inflight = 0;

  constructor(
    private readonly timing: GenesysTiming,
    private readonly options: PacerOptions = { headroom: 0.5, slackMs: 100 },
  ) {}

  /** Resolves when a request may be sent; pair every call with `settle`. */
  async acquire(): Promise<void> {
    for (;;) {
      const wait = this.waitMs(this.timing.now());
      if (wait <= 0) {
        this.inflight++;
        return;
      }
      await this.timing.sleep(wait);
    }
  }

  /** Records the outcome of a request started after `acquire` (headers may be empty). */
  settle(headers: Record<string, string> = {}): void {
    this.inflight = Math.max(0, this.inflight - 1);
    this.observe(headers);
  }

  /** A 429 told us to wait: hold back every request until then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.timing.now() + ms);
  }

  private observe(headers: Record<string, string>): void {
    const allowed = headerNumber(headers, 'inin-ratelimit-allowed');
    const count = headerNumber(headers, 'inin-ratelimit-count');
    const reset = headerNumber(headers, 'inin-ratelimit-reset');
    if (allowed === undefined || count === undefined || reset === undefined) return;
    if (allowed <= 0 || reset > MAX_RESET_S) return;
    const now = this.timing.now();
    const estimate = now + reset * 1000;
    const sameWindow =
      this.resetAt !== undefined && this.resetAt > now && estimate <= this.resetAt + 1000;
    if (sameWindow && this.resetAt !== undefined) {
      // Responses arrive out of order: keep the highest count and the earliest
      // reset seen in this window (a rounded-up reset is never too early).
      this.maxCount = Math.max(this.maxCount, count);
      this.resetAt = Math.min(this.resetAt, estimate);
    } else {
      this.maxCount = count;
      this.resetAt = estimate;
      this.nextSlotAt = 0;
    }
    this.allowed = allowed;
  }

  private waitMs(now: number): number {
    if (this.pausedUntil > now) return this.pausedUntil - now;
    if (this.allowed === undefined || this.resetAt === undefined) return 0;
    if (this.resetAt + this.options.slackMs <= now) {
      // Window over: forget it until the next response describes the new one.
      this.resetAt = undefined;
      this.maxCount = 0;
      this.nextSlotAt = 0;
      return 0;
    }
    // In-flight requests will be counted by the server too.
    const left = this.allowed - this.maxCount - this.inflight;
    if (left <= 0) return this.resetAt + this.options.slackMs - now;
    if (left > this.allowed * this.options.headroom) return 0;
    const interval = Math.max(0, this.resetAt - now) / left;
    const slot = Math.max(now, this.nextSlotAt);
    if (slot <= now) {
      this.nextSlotAt = now + interval;
      return 0;
    }
    return slot - now;
  }
}
