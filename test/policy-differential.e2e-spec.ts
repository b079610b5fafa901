import fc from 'fast-check';
import { formatLoadError, loadPolicyDirectory } from '../src/policy/loader/policy-loader';
import { PolicySource } from '../src/policy/loader/policy-source';
import { diffDecisions } from '../src/policy/policy-test-runner';
import { contactArbitrary } from './support/contact-arbitrary';
import { SHIPPED_POLICIES } from './support/test-app';

/**
 * Differential test (issue 7): the compiled fast path must decide exactly
 * like json-rules-engine, the engine of record. For every shipped policy
 * version, >= 100k generated contacts, each at its own evaluation instant,
 * are evaluated by both; decision, code, codes, warnings and violations must
 * be identical. Engine runs are issued a batch at a time.
 */

const CONTACTS_PER_VERSION = 20_000;
const BATCH = 1000;
const DAY = 86_400_000;
const MINUTE = 60_000;

const { policies, errors } = loadPolicyDirectory(new PolicySource(), SHIPPED_POLICIES);

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
function rfc3339(ms: number, offsetMin: number, fraction: string): string {
  const local = new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}${fraction}Z`;
  return `${local}${fraction}${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
}

/** Seed-shape contacts that sit on 1.0.0's boundaries relative to `at`. */
function seedBoundaryContact(at: number): fc.Arbitrary<Record<string, unknown>> {
  const ts = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(-730 * DAY, 5 * MINUTE, -540 * DAY, -1095 * DAY, 0),
        fc.integer({ min: -3000, max: 3000 }),
        fc.constantFrom(0, 330, -480, 60),
        fc.constantFrom('', '.5', '.000000001', '.999'),
      )
      .map(([base, delta, off, frac]) => rfc3339(at + base + delta, off, frac)),
    fc.constantFrom(
      null,
      '',
      ' ',
      '2025-02-29T10:00:00Z',
      '2025-06-01',
      'x',
      42,
      true,
      '2025-06-01T24:00:00Z',
    ),
    fc.constant(undefined),
  );
  return fc.record(
    {
      consent_timestamp: ts,
      consent_scope: fc.constantFrom(
        'cold_call',
        'marketing_email',
        'Cold_Call',
        ' cold_call',
        'sms',
        null,
        7,
      ),
      phone_number: fc.constantFrom('+4915550100001', '', '  ', null, 4915550100001),
      email: fc.constantFrom('someone@example.org', '', ' ', null),
      country: fc.constantFrom('DE', 'FR', 'GB', 'NL', 'de', 'XX'),
    },
    { requiredKeys: [] },
  );
}

describe('differential: compiled fast path vs json-rules-engine', () => {
  it('loads the shipped policies', () => {
    expect(errors.map(formatLoadError)).toEqual([]);
    expect(policies.length).toBeGreaterThanOrEqual(3);
  });

  for (const policy of policies) {
    const name = `${policy.ref.id}@${policy.ref.version}`;
    it(`${name}: identical decisions for ${CONTACTS_PER_VERSION} generated contacts`, async () => {
      // Instants around the version's start and the 2026 rule dates, so rule-level windows flip.
      const anchors = [
        policy.effectiveFromMs,
        Date.UTC(2026, 6, 1),
        Date.UTC(2026, 7, 11),
        Date.UTC(2026, 8, 1),
      ];
      const item = fc
        .tuple(fc.constantFrom(...anchors), fc.integer({ min: -400 * DAY, max: 400 * DAY }))
        .chain(([anchor, shift]) => {
          const at = anchor + shift;
          return fc.tuple(
            fc.constant(at),
            fc.oneof(
              { arbitrary: contactArbitrary(new Date(at)), weight: 60 },
              { arbitrary: seedBoundaryContact(at), weight: 20 },
              {
                arbitrary: fc.oneof(
                  fc.constant(null),
                  fc.array(fc.anything(), { maxLength: 2 }),
                  fc.string(),
                ),
                weight: 1,
              },
            ),
          );
        });
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const engine = await Promise.all(
            batch.map(([at, c]) => policy.evaluateWithEngine(c, new Date(at))),
          );
          batch.forEach(([at, c], i) => {
            const fast = policy.evaluate(c, new Date(at));
            const diff = diffDecisions(fast, engine[i] as NonNullable<(typeof engine)[number]>);
            if (diff.length > 0) {
              throw new Error(
                `${name} at ${new Date(at).toISOString()} disagrees on ${JSON.stringify(c)}: ${diff.join('; ')}`,
              );
            }
          });
          checked += batch.length;
        }),
        { numRuns: Math.ceil(CONTACTS_PER_VERSION / BATCH), endOnFailure: true },
      );
      expect(checked).toBeGreaterThanOrEqual(CONTACTS_PER_VERSION);
    }, 180_000);
  }
});
