import fc from 'fast-check';
import { BAD_TIMESTAMPS, type Contact, generateContact } from './contact-generator';

/**
 * fast-check arbitraries over synthetic contacts: realistic ones from the
 * seeded generator (contact-generator.ts, a random seed per contact) and
 * hostile ones (right field names, wrong types) for totality checks.
 */
/** Realistic contacts as a fast-check arbitrary (no shrinking: a failing seed is printed instead). */
function realisticContactArbitrary(anchor: Date): fc.Arbitrary<Contact> {
  return fc.noShrink(
    fc
      .tuple(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 1, max: 999_999 }))
      .map(([seed, index]) => generateContact(seed, index, anchor)),
  );
}

const anyJson = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom(...BAD_TIMESTAMPS, 'cold_call', 'marketing_email', 'voice', 'email', 'GB', 'TPS'),
);

/** Hostile shapes: right field names, wrong types and values. Every version must still decide. */
export function hostileContactArbitrary(): fc.Arbitrary<Contact> {
  const rec = fc.record(
    {
      purpose: fc.oneof(fc.constant('marketing'), anyJson),
      channel: fc.oneof(fc.constantFrom('voice', 'email', 'sms'), anyJson),
      granted_at: anyJson,
      status: anyJson,
      withdrawn_at: anyJson,
      events: fc.oneof(
        anyJson,
        fc.array(fc.record({ type: anyJson, at: anyJson }), { maxLength: 3 }),
      ),
      legal_basis: anyJson,
      proof_ref: anyJson,
      notice_version: anyJson,
      double_opt_in_at: anyJson,
      expires_at: anyJson,
      last_interaction_at: anyJson,
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      id: fc.string(),
      phone_number: anyJson,
      email: anyJson,
      consent_timestamp: anyJson,
      consent_scope: anyJson,
      channel: anyJson,
      country: anyJson,
      birth_date: anyJson,
      age_verified: anyJson,
      objection_at: anyJson,
      customer_since: anyJson,
      customer_relationship_end: anyJson,
      consents: fc.oneof(anyJson, fc.array(fc.oneof(rec, anyJson), { maxLength: 4 })),
      registry_checks: fc.oneof(
        anyJson,
        fc.array(fc.record({ registry: anyJson, listed: anyJson, checked_at: anyJson }), {
          maxLength: 3,
        }),
      ),
    },
    { requiredKeys: [] },
  );
}

/** Realistic contacts most of the time, hostile ones sometimes. */
export function contactArbitrary(anchor: Date): fc.Arbitrary<Contact> {
  return fc.oneof(
    { arbitrary: realisticContactArbitrary(anchor), weight: 4 },
    { arbitrary: hostileContactArbitrary(), weight: 1 },
  );
}
