import { RetryPolicy, parseRetryAfter } from './genesys-retry-policy';

const limits = { maxRetries: 3, maxRetryTimeMs: 60_000, maxRetryAfterS: 180 };

describe('RetryPolicy', () => {
  it('retries 429, 502, 503, 504, timeouts and network errors but no other status', () => {
    const p = new RetryPolicy(limits, () => 0.5);
    for (const status of [429, 502, 503, 504]) {
      expect(p.decide({ kind: 'status', status }, 0, 0).retry).toBe(true);
    }
    expect(p.decide({ kind: 'timeout' }, 0, 0).retry).toBe(true);
    expect(p.decide({ kind: 'network' }, 0, 0).retry).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 413, 500, 501]) {
      expect(p.decide({ kind: 'status', status }, 0, 0)).toEqual({
        retry: false,
        why: 'not-retryable',
      });
    }
  });

  it('waits exactly Retry-After seconds when given, and gives up when it is over the cap', () => {
    const p = new RetryPolicy(limits, () => 0.5);
    expect(p.decide({ kind: 'status', status: 429, retryAfterS: 7 }, 0, 0)).toEqual({
      retry: true,
      delayMs: 7000,
      reason: '429',
    });
    expect(p.decide({ kind: 'status', status: 429, retryAfterS: 181 }, 0, 0)).toEqual({
      retry: false,
      why: 'retry-after-too-long',
    });
  });

  it('uses full-jitter exponential backoff capped at 30 s', () => {
    const high = new RetryPolicy(limits, () => 0.999999);
    expect(high.backoffMs(0)).toBe(499);
    expect(high.backoffMs(1)).toBe(999);
    expect(high.backoffMs(3)).toBe(3999);
    expect(high.backoffMs(20)).toBe(29_999);
    const low = new RetryPolicy(limits, () => 0);
    expect(low.backoffMs(5)).toBe(0);
  });

  it('stops after maxRetries and before exceeding maxRetryTimeMs', () => {
    const p = new RetryPolicy(limits, () => 0.5);
    expect(p.decide({ kind: 'status', status: 503 }, 3, 0)).toEqual({
      retry: false,
      why: 'max-retries',
    });
    expect(p.decide({ kind: 'status', status: 503, retryAfterS: 10 }, 0, 55_000)).toEqual({
      retry: false,
      why: 'max-retry-time',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and ignores anything else', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(' 1.5 ')).toBe(1.5);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});
