import type { GenesysConfig } from '../config/app-config';
import type { GenesysTiming } from './genesys-timing';

/** What one attempt produced, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfterS?: number }
  | { kind: 'timeout' }
  | { kind: 'network' };

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | {
      retry: false;
      why: 'not-retryable' | 'max-retries' | 'max-retry-time' | 'retry-after-too-long';
    };

export interface RetryLimits {
  maxRetries: number;
  maxRetryTimeMs: number;
  maxRetryAfterS: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Decides whether and when to retry: 429/502/503/504, timeouts and connection
 * errors only; Retry-After (seconds) wins over backoff; otherwise exponential
 * backoff with full jitter (AWS architecture blog): delay = random * min(cap, base * 2^n).
 */
export class RetryPolicy {
  private readonly base: number;
  private readonly cap: number;

  constructor(
    private readonly limits: RetryLimits,
    private readonly random: () => number,
  ) {
    this.base = limits.baseDelayMs ?? 500;
    this.cap = limits.maxDelayMs ?? 30_000;
  }

  static isRetryable(outcome: AttemptOutcome): boolean {
    return outcome.kind !== 'status' || RETRYABLE_STATUS.has(outcome.status);
  }

  backoffMs(retryIndex: number): number {
    const ceiling = Math.min(this.cap, this.base * 2 ** Math.min(retryIndex, 30));
    return Math.floor(this.random() * ceiling);
  }

  /**
   * @param retriesSoFar retries already made for this operation
   * @param elapsedMs time since the operation's first attempt started
   */
  decide(outcome: AttemptOutcome, retriesSoFar: number, elapsedMs: number): RetryDecision {
    if (!RetryPolicy.isRetryable(outcome)) return { retry: false, why: 'not-retryable' };
    let delayMs: number;
    if (outcome.kind === 'status' && outcome.retryAfterS !== undefined) {
      if (outcome.retryAfterS > this.limits.maxRetryAfterS)
        return { retry: false, why: 'retry-after-too-long' };
      delayMs = Math.ceil(outcome.retryAfterS * 1000);
    } else {
      delayMs = this.backoffMs(retriesSoFar);
    }
    if (retriesSoFar >= this.limits.maxRetries) return { retry: false, why: 'max-retries' };
    if (elapsedMs + delayMs > this.limits.maxRetryTimeMs)
      return { retry: false, why: 'max-retry-time' };
    return { retry: true, delayMs, reason: reasonOf(outcome) };
  }
}

/** The policy set by GENESYS_MAX_RETRIES, GENESYS_MAX_RETRY_TIME_MS and GENESYS_MAX_RETRY_AFTER_S. */
export function configuredRetryPolicy(g: GenesysConfig, timing: GenesysTiming): RetryPolicy {
  return new RetryPolicy(
    {
      maxRetries: g.maxRetries,
      maxRetryTimeMs: g.maxRetryTimeMs,
      maxRetryAfterS: g.maxRetryAfterS,
    },
    () => timing.random(),
  );
}

function reasonOf(outcome: AttemptOutcome): string {
  return outcome.kind === 'status' ? String(outcome.status) : outcome.kind;
}

/** Retry-After in seconds (delta-seconds form only, as Genesys sends it). */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}
