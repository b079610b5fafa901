/** OpenAPI examples for the compare endpoints (synthetic contacts only). */
export const COMPARE_BODY_EXAMPLES = {
  twoVersions: {
    summary: 'Two versions at one instant',
    value: {
      policy: 'gdpr-consent',
      baseline: { version: '1.0.0' },
      candidate: { version: '2.0.0' },
      evaluatedAt: '2026-07-15T12:00:00Z',
      include: 'changed',
      contacts: [
        {
          id: 'c-1',
          phone_number: '+33612345678',
          consent_timestamp: '2025-11-02T09:30:00Z',
          consent_scope: 'cold_call',
        },
        { id: 'c-2', email: 'anna@example.com', consent_scope: 'marketing_email' },
      ],
    },
  },
  twoInstants: {
    summary: 'One version at two instants (a rule’s effective date arrives)',
    value: {
      baseline: { version: '3.0.0', evaluatedAt: '2026-07-15T12:00:00Z' },
      candidate: { version: '3.0.0', evaluatedAt: '2026-08-15T12:00:00Z' },
      include: 'all',
      contacts: [
        {
          id: 'fr-1',
          country: 'FR',
          phone_number: '+33612345678',
          consent_timestamp: '2025-11-02T09:30:00Z',
          consent_scope: 'cold_call',
        },
      ],
    },
  },
};

export const COMPARE_RESPONSE_EXAMPLE = {
  requestId: '6f1c2a9e-1d1b-4c55-9a51-3e1f0f5d2a10',
  baseline: {
    id: 'gdpr-consent',
    version: '1.0.0',
    digest: 'sha256:4b1e…',
    evaluatedAt: '2026-07-15T12:00:00.000Z',
  },
  candidate: {
    id: 'gdpr-consent',
    version: '2.0.0',
    digest: 'sha256:9c07…',
    evaluatedAt: '2026-07-15T12:00:00.000Z',
  },
  inputDigest: 'sha256:0d5a…',
  include: 'changed',
  summary: {
    total: 2,
    changed: 1,
    byChange: { unchanged: 1, 'newly-rejected': 1, 'newly-approved': 0, 'reason-changed': 0 },
    transitions: {
      CONSENT_MISSING: { CONSENT_MISSING: 1 },
      VALIDATION_PASSED: { BLOCTEL_LISTED: 1 },
    },
    codesGained: { BLOCTEL_LISTED: 1 },
    codesLost: {},
    newlyRejectedByRule: [{ code: 'BLOCTEL_LISTED', newlyRejected: 1, soleReason: 1 }],
    ruleChanges: [
      { code: 'BLOCTEL_LISTED', status: 'added', fields: [], firedGained: 1, firedLost: 0 },
    ],
    deadChanges: [],
  },
  changes: [
    {
      index: 0,
      contactId: 'c-1',
      baseline: { decision: 'APPROVED', code: 'VALIDATION_PASSED', codes: [] },
      candidate: { decision: 'REJECTED', code: 'BLOCTEL_LISTED', codes: ['BLOCTEL_LISTED'] },
      change: 'newly-rejected',
    },
  ],
};
