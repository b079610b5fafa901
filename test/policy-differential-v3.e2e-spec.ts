import {
  assertFastPathMatchesEngine,
  CONTACTS_PER_VERSION,
  shippedPolicies,
} from './support/policy-differential';

// Fast path vs json-rules-engine for every shipped version 3.x.y (see support/policy-differential.ts).
const versions = shippedPolicies().filter((p) => p.ref.version.startsWith('3.'));

describe('differential: compiled fast path vs json-rules-engine, major version 3', () => {
  it('has a shipped version to check', () => {
    expect(versions.length).toBeGreaterThan(0);
  });

  for (const policy of versions) {
    it(`${policy.ref.id}@${policy.ref.version}: identical decisions for ${CONTACTS_PER_VERSION} generated contacts`, async () => {
      expect(await assertFastPathMatchesEngine(policy)).toBeGreaterThanOrEqual(
        CONTACTS_PER_VERSION,
      );
    }, 300_000);
  }
});
