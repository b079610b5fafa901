import { describeDifferential, shippedPolicies } from './support/policy-differential';

// Fast path vs json-rules-engine for every shipped version 1.x.y (see support/policy-differential.ts).
describeDifferential('1', () => {
  it('every shipped major version has a differential spec file (v1, v2, v3)', () => {
    const majors = new Set(shippedPolicies().map((p) => p.ref.version.split('.')[0]));
    expect([...majors].sort()).toEqual(['1', '2', '3']);
  });
});
