import { RatePacer } from './genesys-rate-pacer';
import { VirtualTiming } from './testing/virtual-timing';

const rate = (count: number, allowed: number, resetS: number): Record<string, string> => ({
  'inin-ratelimit-count': String(count),
  'inin-ratelimit-allowed': String(allowed),
  'inin-ratelimit-reset': String(resetS),
});

describe('RatePacer', () => {
  it('does not delay while plenty of the budget is left', async () => {
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    await pacer.acquire();
    pacer.settle(rate(10, 100, 50));
    for (let i = 0; i < 30; i++) {
      await pacer.acquire();
      pacer.settle({});
    }
    expect(timing.slept).toEqual([]);
  });

  it('spreads the remaining requests over the time until reset as the count nears the limit', async () => {
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    await pacer.acquire();
    pacer.settle(rate(80, 100, 10)); // 20 left for 10 s: one every 500 ms
    const start = timing.now();
    await pacer.acquire();
    pacer.settle({});
    await pacer.acquire();
    pacer.settle({});
    expect(timing.now() - start).toBeGreaterThanOrEqual(450);
    expect(timing.now() - start).toBeLessThanOrEqual(600);
  });

  it('waits for the reset when the budget is used up', async () => {
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    await pacer.acquire();
    pacer.settle(rate(100, 100, 3));
    const start = timing.now();
    await pacer.acquire();
    expect(timing.now() - start).toBeGreaterThanOrEqual(3000);
    expect(timing.now() - start).toBeLessThan(3500);
  });

  it('holds every request back during a 429 pause', async () => {
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    pacer.pause(2000);
    const start = timing.now();
    await pacer.acquire();
    expect(timing.now() - start).toBe(2000);
  });

  it('keeps a long job at 90-100% of a fixed-window limit without being throttled', async () => {
    // Simulates the fake's fixed window (starts at the first request, reset
    // header rounded up to whole seconds) with 20 ms per request.
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    const limit = 300;
    const windowMs = 60_000;
    let windowStart = -Infinity;
    let count = 0;
    let rejected = 0;
    let sent = 0;
    const start = timing.now();
    const end = start + 10 * windowMs;
    while (timing.now() < end) {
      await pacer.acquire();
      const now = timing.now();
      if (now >= windowStart + windowMs) {
        windowStart = now;
        count = 0;
      }
      if (count >= limit) rejected++;
      else {
        count++;
        sent++;
      }
      timing.t += 20;
      const resetS = Math.ceil((windowStart + windowMs - timing.now()) / 1000);
      pacer.settle(rate(count, limit, resetS));
    }
    const perWindow = sent / ((timing.now() - start) / windowMs);
    expect(rejected).toBe(0);
    expect(perWindow).toBeGreaterThanOrEqual(0.9 * limit);
    expect(perWindow).toBeLessThanOrEqual(limit);
  });

  it('ignores reset values that cannot be a delay in seconds', async () => {
    const timing = new VirtualTiming(1_000);
    const pacer = new RatePacer(timing);
    await pacer.acquire();
    pacer.settle(rate(100, 100, 1_733_000_000));
    await pacer.acquire();
    expect(timing.slept).toEqual([]);
  });
});
