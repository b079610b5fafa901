import type { FactContext } from '../catalogue.types';
import { CONSENT_FACTS, normaliseVersion } from './consent.facts';

const AT = new Date('2025-09-01T10:00:00Z');
const DAY = 86_400_000;
const ago = (ms: number): string => new Date(AT.getTime() - ms).toISOString();

function facts(contact: unknown, at = AT): (name: string) => unknown {
  const ctx: FactContext = {
    contact: contact as Record<string, unknown>,
    evaluatedAt: at,
    memo: new Map(),
  };
  return (name) => {
    const def = CONSENT_FACTS.find((f) => f.name === name);
    if (def === undefined) throw new Error(`no fact ${name}`);
    return def.compute(ctx, {});
  };
}

const rec = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  purpose: 'marketing',
  channel: 'voice',
  granted_at: ago(10 * DAY),
  ...patch,
});
const rich = (...consents: unknown[]): Record<string, unknown> => ({ channel: 'voice', consents });

describe('record selection and withdrawal (latest event wins)', () => {
  it('reports none when no record matches the screened purpose x channel', () => {
    const f = facts(rich(rec({ channel: 'email' }), rec({ purpose: 'service' })));
    expect(f('consent_record_status')).toBe('none');
    expect(f('consent_record_timestamps_status')).toBe('missing');
    expect(f('consent_legal_basis')).toBeUndefined();
  });

  it('lets a later withdrawal in another record beat an earlier grant, and a later grant beat it back', () => {
    const withdrawn = rec({
      granted_at: undefined,
      status: 'withdrawn',
      withdrawn_at: ago(5 * DAY),
    });
    expect(facts(rich(rec(), withdrawn))('consent_record_status')).toBe('withdrawn');
    const regrant = rec({ granted_at: ago(DAY) });
    expect(facts(rich(rec(), withdrawn, regrant))('consent_record_status')).toBe('granted');
  });

  it('resolves events inside one record and ages the consent from the latest grant', () => {
    const events = [
      { type: 'withdrawn', at: ago(30 * DAY) },
      { type: 'granted', at: ago(2 * DAY) },
    ];
    const f = facts(rich(rec({ granted_at: ago(100 * DAY), events })));
    expect(f('consent_record_status')).toBe('granted');
    expect(f('consent_record_age_days')).toBe(2);
  });

  it('ignores a withdrawal dated after evaluatedAt (it had not happened yet)', () => {
    const f = facts(rich(rec({ withdrawn_at: new Date(AT.getTime() + DAY).toISOString() })));
    expect(f('consent_record_status')).toBe('granted');
  });

  it('fails closed: an unreadable withdrawal withdraws, an unreadable record is selected over a valid one', () => {
    expect(facts(rich(rec({ withdrawn_at: 'soon' })))('consent_record_status')).toBe('withdrawn');
    const f = facts(rich(rec(), rec({ granted_at: '2025-02-29T00:00:00Z' })));
    expect(f('consent_record_timestamps_status')).toBe('invalid');
  });

  it('treats a status other than granted/withdrawn as not granted', () => {
    expect(facts(rich(rec({ status: 'pending' })))('consent_record_status')).toBe('not_granted');
  });

  it('reads only own properties of the contact', () => {
    const contact = JSON.parse(
      '{"__proto__": {"consents": [{"purpose":"marketing","channel":"voice","granted_at":"2025-08-01T00:00:00Z"}]}, "channel": "voice"}',
    ) as unknown;
    expect(facts(contact)('consent_record_status')).toBe('none');
  });
});

describe('the seed flat shape as one record', () => {
  it('uses consent_timestamp as the grant of a record whose purpose/channel is the scope', () => {
    const f = facts({ consent_scope: 'cold_call', consent_timestamp: ago(730 * DAY) });
    expect(f('consent_record_status')).toBe('granted');
    expect(f('consent_record_age_days')).toBe(730);
    expect(f('consent_legal_basis')).toBe('consent');
  });

  it('reads top-level record fields and never the rich consents', () => {
    const f = facts({
      consent_scope: 'marketing_email',
      consent_timestamp: ago(DAY),
      proof_ref: 'p/1',
      double_opt_in_at: ago(DAY - 60_000),
    });
    expect(f('consent_proof_present')).toBe(true);
    expect(f('consent_doi_status')).toBe('confirmed');
  });

  it('distinguishes a missing timestamp from an offset-less one', () => {
    expect(
      facts({ consent_scope: 'cold_call', consent_timestamp: null })(
        'consent_record_timestamps_status',
      ),
    ).toBe('missing');
    expect(
      facts({ consent_scope: 'cold_call', consent_timestamp: '2025-08-01T00:00:00' })(
        'consent_record_timestamps_status',
      ),
    ).toBe('invalid');
  });
});

describe('timestamp facts', () => {
  it('marks a grant later than evaluatedAt + 5 minutes as invalid, exactly 5 minutes as valid', () => {
    const at5 = new Date(AT.getTime() + 300_000).toISOString();
    const at5plus = new Date(AT.getTime() + 301_000).toISOString();
    expect(facts(rich(rec({ granted_at: at5 })))('consent_record_timestamps_status')).toBe('valid');
    expect(facts(rich(rec({ granted_at: at5plus })))('consent_record_timestamps_status')).toBe(
      'invalid',
    );
    // Sub-millisecond digits put the instant strictly after the limit.
    const sub = '2025-09-01T10:05:00.0001Z';
    expect(facts(rich(rec({ granted_at: sub })))('consent_record_timestamps_status')).toBe(
      'invalid',
    );
  });

  it('measures activity from the later of grant and last active interaction', () => {
    const f = facts(rich(rec({ granted_at: ago(900 * DAY), last_interaction_at: ago(100 * DAY) })));
    expect(f('consent_record_age_days')).toBe(900);
    expect(f('consent_activity_age_days')).toBe(100);
  });

  it('expires at the expires_at instant itself', () => {
    expect(facts(rich(rec({ expires_at: AT.toISOString() })))('consent_expires_at_status')).toBe(
      'passed',
    );
    expect(
      facts(rich(rec({ expires_at: '2025-09-01T10:00:01Z' })))('consent_expires_at_status'),
    ).toBe('active');
    expect(facts(rich(rec({ expires_at: '2025-09-01' })))('consent_expires_at_status')).toBe(
      'invalid',
    );
    expect(facts(rich(rec({ expires_at: '2025-09-01' })))('consent_record_timestamps_status')).toBe(
      'invalid',
    );
  });

  it('confirms double opt-in only at or after the grant', () => {
    const g = ago(DAY);
    expect(facts(rich(rec({ granted_at: g, double_opt_in_at: g })))('consent_doi_status')).toBe(
      'confirmed',
    );
    expect(
      facts(rich(rec({ granted_at: g, double_opt_in_at: ago(2 * DAY) })))('consent_doi_status'),
    ).toBe('before_consent');
    expect(facts(rich(rec({ double_opt_in_at: 'yes' })))('consent_doi_status')).toBe('invalid');
    expect(facts(rich(rec()))('consent_doi_status')).toBe('missing');
  });
});

describe('descriptive record facts', () => {
  it('normalises basis, method and source case, defaults the basis to consent', () => {
    const f = facts(
      rich(
        rec({
          legal_basis: ' Legitimate_Interest ',
          collection_method: 'WEB_FORM',
          source: 'Third_Party',
        }),
      ),
    );
    expect(f('consent_legal_basis')).toBe('legitimate_interest');
    expect(f('consent_collection_method')).toBe('web_form');
    expect(f('consent_source')).toBe('third_party');
    expect(facts(rich(rec()))('consent_legal_basis')).toBe('consent');
    expect(facts(rich(rec({ legal_basis: 42 })))('consent_legal_basis')).toBe('unreadable');
  });

  it('requires a non-blank proof_ref and an explicit opt_out_offered: true', () => {
    expect(facts(rich(rec({ proof_ref: ' ' })))('consent_proof_present')).toBe(false);
    expect(facts(rich(rec({ opt_out_offered: 'true' })))('consent_opt_out_offered')).toBe(false);
    expect(facts(rich(rec({ opt_out_offered: true })))('consent_opt_out_offered')).toBe(true);
  });

  it.each([
    ['4', '4'],
    [4, '4'],
    ['v4.1', '4.1'],
    [' V10 ', '10'],
    ['four', undefined],
    [4.5, undefined],
    [-1, undefined],
  ])('notice version %p -> %p', (input, expected) => {
    expect(normaliseVersion(input)).toBe(expected);
  });
});

describe('memoisation', () => {
  it('builds the screening view once per contact', () => {
    const contact = rich(rec());
    const ctx: FactContext = { contact, evaluatedAt: AT, memo: new Map() };
    const status = CONSENT_FACTS.find((f) => f.name === 'consent_record_status');
    status?.compute(ctx, {});
    const sizeAfterFirst = ctx.memo.size;
    // Mutating the contact after the first read must not change the answer: the view is cached.
    (contact.consents as Record<string, unknown>[])[0]!.status = 'withdrawn';
    expect(status?.compute(ctx, {})).toBe('granted');
    expect(ctx.memo.size).toBe(sizeAfterFirst);
  });
});
