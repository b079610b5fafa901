import type { FactContext } from '../catalogue.types';
import { CONTACT_FACTS } from './contact.facts';

const AT = new Date('2025-09-01T10:00:00Z');

function fact(
  name: string,
  contact: unknown,
  params: Record<string, unknown> = {},
  at = AT,
): unknown {
  const def = CONTACT_FACTS.find((f) => f.name === name);
  if (def === undefined) throw new Error(`no fact ${name}`);
  const ctx: FactContext = {
    contact: contact as Record<string, unknown>,
    evaluatedAt: at,
    memo: new Map(),
  };
  return def.compute(ctx, params);
}

describe('screened purpose and channel', () => {
  it('takes explicit channel/purpose first', () => {
    const c = { channel: 'sms', purpose: 'service', consent_scope: 'cold_call' };
    expect(fact('screened_channel', c)).toBe('sms');
    expect(fact('screened_purpose', c)).toBe('service');
  });

  it('maps the seed consent_scope', () => {
    expect(fact('screened_channel', { consent_scope: 'cold_call' })).toBe('voice');
    expect(fact('screened_channel', { consent_scope: 'marketing_email' })).toBe('email');
    expect(fact('screened_purpose', { consent_scope: 'marketing_email' })).toBe('marketing');
  });

  it('does not resolve an unknown or differently-cased scope, nor Object.prototype names', () => {
    expect(
      fact('screened_channel', { consent_scope: 'Cold_Call', phone_number: '+4915550000001' }),
    ).toBeUndefined();
    expect(fact('screened_channel', { consent_scope: 'constructor' })).toBeUndefined();
    expect(fact('screened_purpose', { consent_scope: 'toString' })).toBeUndefined();
  });

  it('falls back to the only address for the rich shape, and stays unresolved when ambiguous', () => {
    expect(fact('screened_channel', { consents: [], phone_number: '+4915550000001' })).toBe(
      'voice',
    );
    expect(fact('screened_channel', { consents: [], email: 'a@example.com' })).toBe('email');
    expect(
      fact('screened_channel', {
        consents: [],
        email: 'a@example.com',
        phone_number: '+4915550000001',
      }),
    ).toBeUndefined();
    // The seed flat shape never guesses: its scope is its channel.
    expect(fact('screened_channel', { phone_number: '+4915550000001' })).toBeUndefined();
  });
});

describe('channel_address_present', () => {
  it('needs the address of the screened channel', () => {
    expect(
      fact('channel_address_present', { channel: 'email', phone_number: '+4915550000001' }),
    ).toBe(false);
    expect(
      fact('channel_address_present', { channel: 'sms', phone_number: '+4915550000001' }),
    ).toBe(true);
    expect(fact('channel_address_present', { channel: 'voice', phone_number: '   ' })).toBe(false);
  });
});

describe('subject_country', () => {
  it.each([
    ['de', 'DE'],
    [' fr ', 'FR'],
    ['UK', 'GB'],
    ['Germany', undefined],
    [49, undefined],
  ])('%p -> %p', (input, expected) => {
    expect(fact('subject_country', { country: input })).toBe(expected);
  });

  it('falls back to the selected record jurisdiction', () => {
    const c = {
      channel: 'voice',
      consents: [
        {
          purpose: 'marketing',
          channel: 'voice',
          granted_at: '2025-01-01T00:00:00Z',
          jurisdiction: 'nl',
        },
      ],
    };
    expect(fact('subject_country', c)).toBe('NL');
  });
});

describe('subject age', () => {
  it('counts whole years at evaluatedAt (UTC)', () => {
    expect(fact('subject_age_years', { birth_date: '2007-09-01' })).toBe(18);
    expect(fact('subject_age_years', { birth_date: '2007-09-02' })).toBe(17);
  });

  it('classifies missing, invalid and verified ages explicitly', () => {
    expect(fact('subject_age_status', {})).toBe('unknown');
    expect(fact('subject_age_status', { age_verified: true })).toBe('verified');
    expect(fact('subject_age_status', { age_verified: 'yes' })).toBe('unknown');
    expect(fact('subject_age_status', { birth_date: '2001-02-30', age_verified: true })).toBe(
      'invalid',
    );
    expect(fact('subject_age_status', { birth_date: '2030-01-01' })).toBe('invalid');
    expect(fact('subject_age_status', { birth_date: '1980-01-01' })).toBe('known');
  });
});

describe('objection and erasure', () => {
  it('treat any recorded value as present (fail closed), only empty values as absent', () => {
    expect(fact('objection_recorded', { objection_at: 'garbage' })).toBe(true);
    expect(fact('objection_recorded', { objection_at: '' })).toBe(false);
    expect(fact('objection_recorded', { objection_at: null })).toBe(false);
    expect(fact('erasure_pending', { erasure_requested_at: '2025-08-01T00:00:00Z' })).toBe(true);
    expect(fact('erasure_pending', {})).toBe(false);
  });
});

describe('existing_customer_status', () => {
  const p = { withinDays: 1095 };
  it('distinguishes active, recent, lapsed, none and invalid', () => {
    expect(fact('existing_customer_status', {}, p)).toBe('none');
    expect(fact('existing_customer_status', { customer_since: '2020-01-01' }, p)).toBe('active');
    expect(fact('existing_customer_status', { customer_since: '2026-01-01' }, p)).toBe('none');
    expect(
      fact(
        'existing_customer_status',
        { customer_since: '2020-01-01', customer_relationship_end: '2025-12-01' },
        p,
      ),
    ).toBe('active');
    expect(fact('existing_customer_status', { customer_relationship_end: 'last year' }, p)).toBe(
      'invalid',
    );
  });

  it('keeps a relationship "recent" up to exactly withinDays after its end', () => {
    const end = new Date(AT.getTime() - 1095 * 86_400_000).toISOString();
    expect(fact('existing_customer_status', { customer_relationship_end: end }, p)).toBe('recent');
    const later = new Date(AT.getTime() + 1000);
    expect(fact('existing_customer_status', { customer_relationship_end: end }, p, later)).toBe(
      'lapsed',
    );
  });
});

describe('registry facts', () => {
  const checks = [
    { registry: 'TPS', listed: true, checked_at: '2025-07-01T00:00:00Z' },
    { registry: 'tps', listed: false, checked_at: '2025-08-25T10:00:00+00:00' },
    { registry: 'BLOCTEL', listed: 'no', checked_at: '2025-08-30T00:00:00Z' },
    { registry: 'RPO', listed: false, checked_at: '2025-13-01T00:00:00Z' },
  ];
  it('uses the latest readable check, matching registry names case-insensitively', () => {
    expect(fact('registry_status', { registry_checks: checks }, { registry: 'TPS' })).toBe(
      'not_listed',
    );
    expect(fact('registry_check_age_days', { registry_checks: checks }, { registry: 'TPS' })).toBe(
      7,
    );
  });

  it('reports unchecked and unreadable screenings instead of passing them', () => {
    expect(fact('registry_status', { registry_checks: checks }, { registry: 'DNCM' })).toBe(
      'unchecked',
    );
    expect(fact('registry_status', { registry_checks: checks }, { registry: 'BLOCTEL' })).toBe(
      'invalid',
    );
    expect(fact('registry_status', { registry_checks: checks }, { registry: 'RPO' })).toBe(
      'invalid',
    );
    expect(
      fact('registry_check_age_days', { registry_checks: checks }, { registry: 'RPO' }),
    ).toBeUndefined();
    expect(fact('registry_status', { registry_checks: 'TPS' }, { registry: 'TPS' })).toBe(
      'unchecked',
    );
  });
});

describe('evaluated_at', () => {
  it('exposes the evaluation instant as RFC 3339 UTC text (for deadline branches)', () => {
    expect(fact('evaluated_at', {}, {}, new Date('2026-08-10T22:00:00+00:00'))).toBe(
      '2026-08-10T22:00:00.000Z',
    );
  });
});
