import {
  assertFastPathMatchesEngine,
  CONTACTS_PER_VERSION,
  shippedPolicies,
} from './support/policy-differential';

// Fast path vs json-rules-engine for every shipped version 1.x.y (see support/policy-differential.ts).
const versions = shippedPolicies().filter((p) => p.ref.version.startsWith('1.'));

describe('differential: compiled fast path vs json-rules-engine, major version 1', () => {
  it('every shipped major version has a differential spec file (v1, v2, v3)', () => {
    const majors = new Set(shippedPolicies().map((p) => p.ref.version.split('.')[0]));
    expect([...majors].sort()).toEqual(['1', '2', '3']);
  });

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
