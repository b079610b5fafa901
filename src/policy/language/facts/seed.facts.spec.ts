import fc from 'fast-check';
import { join } from 'node:path';
import { loadPolicyFile } from '../../loader/policy-loader';
import { PolicySource } from '../../loader/policy-source';
import type { FactContext } from '../catalogue.types';
import { SEED_FACTS, timestampStatus } from './seed.facts';

const DAY = 86_400_000;
const fact = (name: string) => {
  const f = SEED_FACTS.find((x) => x.name === name);
  if (!f) throw new Error(name);
  return f;
};
const ctx = (contact: Record<string, unknown>, at: string): FactContext => ({
  contact,
  evaluatedAt: new Date(at),
  memo: new Map(),
});

const policy = loadPolicyFile(
  new PolicySource(),
  join(__dirname, '..', '..', '..', '..', 'policies', 'gdpr-consent', '1.0.0.yaml'),
).policy;
if (!policy) throw new Error('1.0.0 must load');

/** Formats an instant in a given UTC offset (minutes), e.g. +05:30. */
function formatWithOffset(ms: number, offsetMin: number, fraction: boolean): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString();
  const body = fraction ? local.slice(0, 23) : local.slice(0, 19);
  if (offsetMin === 0) return `${body}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${body}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const offsets = fc.constantFrom(0, 330, -480, 60, -210, 840, -720, 345);

describe('consent expiry boundary (1.0.0, both paths)', () => {
  it('expired exactly when T - consent > 730 x 24 h, to the millisecond, in any offset', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.integer({ min: -5000, max: 5000 }),
        offsets,
        async (tMs, deltaMs, offset) => {
          const consentMs = tMs - 730 * DAY - deltaMs;
          const contact = {
            consent_timestamp: formatWithOffset(consentMs, offset, true),
            consent_scope: 'cold_call',
            phone_number: '+4915112345678',
          };
          const T = new Date(tMs);
          const fast = policy.evaluate(contact, T);
          const engine = await policy.evaluateWithEngine(contact, T);
          const expired = deltaMs > 0;
          expect(fast.codes).toEqual(expired ? ['CONSENT_EXPIRED'] : []);
          expect(engine.codes).toEqual(fast.codes);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('one second either side of 730 days', () => {
    const T = new Date('2026-01-01T00:00:00Z');
    const at = (ts: string) =>
      policy.evaluate(
        { consent_timestamp: ts, consent_scope: 'cold_call', email: 'a@b.example' },
        T,
      ).code;
    expect(at('2024-01-02T00:00:00Z')).toBe('VALIDATION_PASSED');
    expect(at('2024-01-02T00:00:01Z')).toBe('VALIDATION_PASSED');
    expect(at('2024-01-01T23:59:59Z')).toBe('CONSENT_EXPIRED');
  });

  it('future tolerance is exactly 5 minutes, sub-millisecond digits included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.integer({ min: -3000, max: 3000 }),
        offsets,
        (tMs, deltaMs, offset) => {
          const ts = formatWithOffset(tMs + 5 * 60_000 + deltaMs, offset, true);
          const d = policy.evaluate(
            { consent_timestamp: ts, consent_scope: 'cold_call', email: 'x@y.example' },
            new Date(tMs),
          );
          expect(d.codes).toEqual(deltaMs > 0 ? ['CONSENT_TIMESTAMP_INVALID'] : []);
        },
      ),
      { numRuns: 2000 },
    );
    const T = Date.UTC(2026, 0, 1);
    expect(timestampStatus({ epochMs: T + 300_000, subMillisecond: true }, T, 5)).toBe('future');
    expect(timestampStatus({ epochMs: T + 300_000, subMillisecond: false }, T, 5)).toBe('valid');
  });
});

describe('seed facts', () => {
  const status = fact('consent_timestamp_status');
  it('classifies missing, invalid, future and valid timestamps at evaluatedAt', () => {
    const at = '2026-01-01T00:00:00Z';
    const p = { futureToleranceMinutes: 5 };
    expect(status.compute(ctx({}, at), p)).toBe('missing');
    expect(status.compute(ctx({ consent_timestamp: null }, at), p)).toBe('missing');
    expect(status.compute(ctx({ consent_timestamp: '' }, at), p)).toBe('missing');
    expect(status.compute(ctx({ consent_timestamp: ' ' }, at), p)).toBe('invalid');
    expect(status.compute(ctx({ consent_timestamp: 20250101 }, at), p)).toBe('invalid');
    expect(status.compute(ctx({ consent_timestamp: '2026-01-01T00:05:01Z' }, at), p)).toBe(
      'future',
    );
    expect(status.compute(ctx({ consent_timestamp: '2026-01-01T00:05:00Z' }, at), p)).toBe('valid');
  });

  it('ages are relative to evaluatedAt, not to the process start', () => {
    const age = fact('consent_age_days');
    const c = { consent_timestamp: '2025-01-01T00:00:00Z' };
    expect(age.compute(ctx(c, '2025-01-11T00:00:00Z'), {})).toBe(10);
    expect(age.compute(ctx(c, '2025-01-01T12:00:00Z'), {})).toBe(0.5);
    expect(fact('consent_age_seconds').compute(ctx(c, '2025-01-01T00:01:00Z'), {})).toBe(60);
    expect(age.compute(ctx({ consent_timestamp: 'x' }, '2025-01-11T00:00:00Z'), {})).toBeNull();
  });

  it('reads only own properties (a __proto__ key is data, inherited members are invisible)', () => {
    const contact = JSON.parse(
      '{"__proto__": {"consent_scope": "cold_call", "phone_number": "+4915112345678"}}',
    ) as Record<string, unknown>;
    expect(fact('consent_scope').compute(ctx(contact, '2026-01-01T00:00:00Z'), {})).toBeUndefined();
    expect(fact('has_contact_address').compute(ctx(contact, '2026-01-01T00:00:00Z'), {})).toBe(
      false,
    );
    expect(fact('consent_scope').compute(ctx({}, '2026-01-01T00:00:00Z'), {})).toBeUndefined();
    expect(({} as Record<string, unknown>)['consent_scope']).toBeUndefined();
  });

  it('address facts require a non-blank string', () => {
    const has = fact('has_contact_address');
    const at = '2026-01-01T00:00:00Z';
    expect(has.compute(ctx({ phone_number: ' \t' }, at), {})).toBe(false);
    expect(has.compute(ctx({ phone_number: 4915112345678 }, at), {})).toBe(false);
    expect(has.compute(ctx({ email: 'a@b.example' }, at), {})).toBe(true);
    expect(fact('has_phone_number').compute(ctx({ phone_number: '+1' }, at), {})).toBe(true);
    expect(fact('has_email').compute(ctx({ email: '' }, at), {})).toBe(false);
  });
});
