import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time, sleeping and randomness for retries, pacing and token expiry.
 * Separate from the wall Clock on purpose: tests pin the Clock for policy
 * evaluation, and a frozen clock must not freeze rate pacing or token expiry.
 * Monotonic time also makes the client immune to wall-clock jumps.
 */
export abstract class GenesysTiming {
  /** Monotonic milliseconds (only differences are meaningful). */
  abstract now(): number;
  abstract sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter source. */
  abstract random(): number;
}

@Injectable()
export class SystemGenesysTiming extends GenesysTiming {
  now(): number {
    return performance.now();
  }
  async sleep(ms: number): Promise<void> {
    if (ms > 0) await delay(ms);
  }
  random(): number {
    return Math.random();
  }
}
