import fc from 'fast-check';
import { formatLoadError, loadPolicyDirectory } from '../../src/policy/loader/policy-loader';
import { PolicySource } from '../../src/policy/loader/policy-source';
import { diffDecisions } from '../../src/policy/policy-test-runner';
import { contactArbitrary } from './contact-arbitrary';
import { SHIPPED_POLICIES } from './test-app';

/**
 * Differential test (issue 7): the compiled fast path must decide exactly
 * like json-rules-engine, the engine of record. For a shipped policy
 * version, >= 100k generated contacts, each at its own evaluation instant,
 * go through both; decision, code, codes, warnings and violations must be
 * identical. One spec file per major version keeps each file's run short
 * and lets jest run them on both cores.
 */
export const CONTACTS_PER_VERSION = 100_000;
const BATCH = 1000;
const DAY = 86_400_000;
const MINUTE = 60_000;

export function shippedPolicies() {
  const { policies, errors } = loadPolicyDirectory(new PolicySource(), SHIPPED_POLICIES);
  if (errors.length > 0) throw new Error(errors.map(formatLoadError).join('\n'));
  return policies;
}

const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');
function rfc3339(ms: number, offsetMin: number, fraction: string): string {
  const local = new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}${fraction}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  return `${local}${fraction}${sign}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
}

/** Seed-shape contacts sitting on the age and future-tolerance boundaries relative to `at`. */
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
    fc.constantFrom(null, '', ' ', '2025-02-29T10:00:00Z', '2025-06-01', 'x', 42, true),
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

type Policy = ReturnType<typeof shippedPolicies>[number];

/** Runs the differential property for one version; throws with the first disagreeing contact. */
export async function assertFastPathMatchesEngine(policy: Policy): Promise<number> {
  const name = `${policy.ref.id}@${policy.ref.version}`;
  // Around the version's start and the 2026 rule dates, so rule-level windows flip both ways.
  const anchors = [
    policy.effectiveFromMs,
    Date.UTC(2026, 6, 1),
    Date.UTC(2026, 7, 11),
    Date.UTC(2026, 8, 1),
    Date.UTC(2027, 2, 1),
  ];
  const shifts = fc.constantFrom(0, 0, -1000, 1000, -DAY, DAY, -45 * DAY, 45 * DAY, -200 * DAY);
  const item = fc.oneof(
    ...anchors.map((anchor) =>
      fc.tuple(
        fc.constant(anchor),
        shifts,
        fc.oneof(
          { arbitrary: contactArbitrary(new Date(anchor)), weight: 60 },
          { arbitrary: seedBoundaryContact(anchor), weight: 20 },
          {
            arbitrary: fc.oneof(
              fc.constant(null),
              fc.array(fc.anything(), { maxLength: 2 }),
              fc.string(),
            ),
            weight: 1,
          },
        ),
      ),
    ),
  );
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const engine = await Promise.all(
        batch.map(([anchor, shift, c]) => policy.evaluateWithEngine(c, new Date(anchor + shift))),
      );
      batch.forEach(([anchor, shift, c], i) => {
        const at = new Date(anchor + shift);
        const expected = engine[i];
        if (expected === undefined) throw new Error('missing engine decision');
        const diff = diffDecisions(policy.evaluate(c, at), expected);
        if (diff.length > 0) {
          throw new Error(
            `${name} at ${at.toISOString()} disagrees on ${JSON.stringify(c)}: ${diff.join('; ')}`,
          );
        }
      });
      checked += batch.length;
    }),
    { numRuns: Math.ceil(CONTACTS_PER_VERSION / BATCH), endOnFailure: true },
  );
  return checked;
}
