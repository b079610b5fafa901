import { DomainError } from '../common/domain-error';
import { ColumnMapper, parseMappingYaml } from './column-mapping';
import { contactIdOf, isValidContactId } from './contact-id';
import { consentAttributes, maskEmail, maskPhone, policyVersionTag } from './sync-payload';

describe('sync payload helpers', () => {
  it('tags the approving policy as version + 12 hex of its digest', () => {
    expect(
      policyVersionTag({ id: 'p', version: '2.0.0', digest: 'sha256:abcdef0123456789ffff' }),
    ).toBe('2.0.0+abcdef012345');
  });

  it('masks addresses for the dry-run sample', () => {
    expect(maskPhone('+4915112345678')).toBe('+49*******5678');
    expect(maskPhone('030 1234 5678')).toBe('03*****5678');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskEmail('anna@example.com')).toBe('a***@example.com');
    expect(maskEmail('nonsense')).toBe('***');
  });

  it('takes consent scope and timestamp from the flat seed shape or the latest granted record', () => {
    expect(
      consentAttributes({ consent_scope: 'cold_call', consent_timestamp: '2026-01-01T00:00:00Z' }),
    ).toEqual({
      scope: 'cold_call',
      updated: '2026-01-01T00:00:00Z',
    });
    expect(
      consentAttributes({
        consents: [
          {
            purpose: 'marketing',
            channel: 'voice',
            status: 'granted',
            granted_at: '2025-01-01T00:00:00Z',
          },
          {
            purpose: 'marketing',
            channel: 'email',
            status: 'granted',
            granted_at: '2026-02-01T00:00:00Z',
          },
          {
            purpose: 'marketing',
            channel: 'sms',
            status: 'withdrawn',
            granted_at: '2026-05-01T00:00:00Z',
          },
        ],
      }),
    ).toEqual({ scope: 'marketing:email', updated: '2026-02-01T00:00:00Z' });
  });

  it('accepts the ids Genesys accepts and nothing else', () => {
    expect(isValidContactId(contactIdOf({ id: 'crm-1001' }))).toBe(true);
    expect(isValidContactId(contactIdOf({ id: 12345 }))).toBe(true);
    expect(isValidContactId(contactIdOf({ id: 'ü-ok.:@_' }))).toBe(true);
    expect(isValidContactId(contactIdOf({ id: 'x'.repeat(255) }))).toBe(true);
    for (const id of [
      '',
      ' ',
      'a b',
      'a/b',
      'a\\b',
      'a?b',
      'a#b',
      'a\tb',
      'x'.repeat(256),
      1.5,
      null,
      {},
    ])
      expect(isValidContactId(contactIdOf({ id }))).toBe(false);
    expect(isValidContactId(contactIdOf({}))).toBe(false);
    expect(isValidContactId(contactIdOf('not an object'))).toBe(false);
  });
});

describe('mapping file', () => {
  it('parses columns and ignore', () => {
    expect(
      parseMappingYaml('columns:\n  phone_number: HomePhone\nignore: [birth_date]\n', 'm.yaml'),
    ).toEqual({
      columns: { phone_number: 'HomePhone' },
      ignore: ['birth_date'],
    });
    expect(parseMappingYaml('', 'empty.yaml')).toEqual({ columns: {}, ignore: [] });
  });

  it.each([
    ['colums:\n  a: b\n', /unknown key "colums"/],
    ['columns: [a]\n', /must map field names/],
    ['columns:\n  a: ""\n', /non-empty string/],
    ['columns:\n  a: X\n  b: X\n', /two fields map to column "X"/],
    ['ignore: a\n', /list of field names/],
    ['columns: {a: [1\n', /not valid YAML/],
  ])('refuses %j', (text, message) => {
    expect(() => parseMappingYaml(text, 'bad.yaml')).toThrow(DomainError);
    expect(() => parseMappingYaml(text, 'bad.yaml')).toThrow(message);
  });

  it('maps renamed and same-named fields, never consent columns, objects or ignored fields', () => {
    const mapper = new ColumnMapper(
      ['HomePhone', 'email', 'gdpr_consent_flag', 'age'],
      { columns: { phone_number: 'HomePhone' }, ignore: ['secret'] },
      new Set(['gdpr_consent_flag']),
    );
    expect(
      mapper.toData({
        id: 'c1',
        phone_number: '+49151',
        email: 'a@b.de',
        gdpr_consent_flag: 'forged',
        age: 42,
        tags: ['x'],
        secret: 's',
        extra: 'e',
        nothing: null,
      }),
    ).toEqual({ HomePhone: '+49151', email: 'a@b.de', age: 42 });
    expect(mapper.unmappedFields()).toEqual(['extra', 'gdpr_consent_flag', 'tags']);
  });
});
