import { diffRuleDefinitions } from './rule-diff';

const doc = (parameters: Record<string, unknown>, rules: unknown[]) => ({
  policy: 'p',
  version: '1.0.0',
  parameters,
  rules,
});
const expiry = (extra: Record<string, unknown> = {}) => ({
  code: 'CONSENT_EXPIRED',
  severity: 'reject',
  order: 30,
  message: 'older than {maxConsentAgeDays} days',
  when: {
    fact: 'consent_age_days',
    operator: 'greaterThan',
    value: { param: 'maxConsentAgeDays' },
  },
  ...extra,
});

describe('diffRuleDefinitions', () => {
  it('sees a parameter change as a change of the rules that use it', () => {
    const changes = diffRuleDefinitions(
      doc({ maxConsentAgeDays: 730 }, [expiry()]),
      doc({ maxConsentAgeDays: 540 }, [expiry()]),
    );
    expect(changes).toEqual([
      { rule: 'CONSENT_EXPIRED', code: 'CONSENT_EXPIRED', status: 'modified', fields: ['when'] },
    ]);
  });

  it('ignores wording and parameter renames that resolve to the same value', () => {
    const changes = diffRuleDefinitions(
      doc({ maxConsentAgeDays: 730 }, [expiry()]),
      doc({ maxAge: 730 }, [
        expiry({
          message: 'Consent is too old.',
          when: { fact: 'consent_age_days', operator: 'greaterThan', value: { param: 'maxAge' } },
        }),
      ]),
    );
    expect(changes).toEqual([]);
  });

  it('lists added, removed and re-dated rules', () => {
    const changes = diffRuleDefinitions(
      doc({ maxConsentAgeDays: 730 }, [
        expiry(),
        { code: 'OLD', when: { fact: 'x', operator: 'equal', value: 1 } },
      ]),
      doc({ maxConsentAgeDays: 730 }, [
        expiry({ effectiveFrom: '2026-08-11' }),
        { code: 'NEW', when: { fact: 'y', operator: 'equal', value: 2 } },
      ]),
    );
    expect(changes).toEqual([
      {
        rule: 'CONSENT_EXPIRED',
        code: 'CONSENT_EXPIRED',
        status: 'modified',
        fields: ['effectiveFrom'],
      },
      { rule: 'NEW', code: 'NEW', status: 'added', fields: [] },
      { rule: 'OLD', code: 'OLD', status: 'removed', fields: [] },
    ]);
  });
});
