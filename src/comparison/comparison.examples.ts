/** OpenAPI examples for the compare endpoints (synthetic contacts only). */
export const COMPARE_BODY_EXAMPLES = {
  twoVersions: {
    summary: 'Two versions at one instant',
    value: {
      policy: 'gdpr-consent',
      baseline: { version: '2.0.0' },
      candidate: { version: '3.0.0' },
      evaluatedAt: '2026-09-01T12:00:00Z',
      include: 'changed',
      contacts: [
        {
          id: 'c-1',
          phone_number: '+4915550000001',
          consent_timestamp: '2025-11-02T09:30:00Z',
          consent_scope: 'cold_call',
        },
        { id: 'c-2', email: 'contact.2@example.com', consent_scope: 'marketing_email' },
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
          phone_number: '+4915550000001',
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
    version: '2.0.0',
    digest: 'sha256:2037…',
    evaluatedAt: '2026-09-01T12:00:00.000Z',
  },
  candidate: {
    id: 'gdpr-consent',
    version: '3.0.0',
    digest: 'sha256:0e3d…',
    evaluatedAt: '2026-09-01T12:00:00.000Z',
  },
  inputDigest: 'sha256:0d5a…',
  include: 'changed',
  summary: {
    total: 2,
    changed: 1,
    byChange: { unchanged: 1, 'newly-rejected': 1, 'newly-approved': 0, 'reason-changed': 0 },
    transitions: {
      CONSENT_MISSING: { CONSENT_MISSING: 1 },
      VALIDATION_PASSED: { NOTICE_VERSION_OUTDATED: 1 },
    },
    codesGained: { NOTICE_VERSION_OUTDATED: 1 },
    codesLost: {},
    newlyRejectedByRule: [{ code: 'NOTICE_VERSION_OUTDATED', newlyRejected: 1, soleReason: 1 }],
    ruleChanges: [
      {
        rule: 'NOTICE_VERSION_OUTDATED',
        code: 'NOTICE_VERSION_OUTDATED',
        status: 'added',
        fields: [],
        firedGained: 1,
        firedLost: 0,
      },
    ],
    deadChanges: [],
  },
  changes: [
    {
      index: 0,
      contactId: 'c-1',
      baseline: { decision: 'APPROVED', code: 'VALIDATION_PASSED', codes: [] },
      candidate: {
        decision: 'REJECTED',
        code: 'NOTICE_VERSION_OUTDATED',
        codes: ['NOTICE_VERSION_OUTDATED'],
      },
      change: 'newly-rejected',
    },
  ],
};
