import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppLogger } from '../common/logging/app-logger';
import { loadAppConfig } from '../config/config.module';
import {
  auditRow,
  ContactKeys,
  GENERATED_KEY_FILE,
  keyId,
  normaliseEmail,
  normalisePhone,
  Pseudonymiser,
} from './pseudonymiser';
import { APPROVED, removeDir, tempDir } from '../../test/fixtures/audit-kit';

const KEY = 'steward-key-0123456789abcdef0123456789';

function make(dir: string, hmacKey?: string): { p: Pseudonymiser; warnings: string[] } {
  const config = loadAppConfig({ AUDIT_DIR: dir, AUDIT_HMAC_KEY: hmacKey, LOG_LEVEL: 'silent' });
  const logger = new AppLogger(config);
  const warnings: string[] = [];
  const child = logger.child.bind(logger);
  jest.spyOn(logger, 'child').mockImplementation((ctx, fields) => {
    const c = child(ctx, fields);
    jest.spyOn(c, 'warn').mockImplementation((msg) => warnings.push(msg));
    return c;
  });
  return { p: new Pseudonymiser(config, logger), warnings };
}

/** The contactKey JSON the audit log writes for a contact. */
function keyJson(p: Pseudonymiser, contact: unknown): string {
  const [id, phone, email] = auditRow(contact, APPROVED);
  return p.contactKeys().contactKeyJson(id, phone, email);
}

/** The proof pointer the audit log keeps for a contact, if any. */
const proofRef = (contact: unknown): string | undefined =>
  auditRow(contact, APPROVED)[3] ?? undefined;

const hmac = (key: string, s: string): string => createHmac('sha256', key).update(s).digest('hex');

describe('Pseudonymiser', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  it('keys a contact by its id and HMACs of its normalised addresses, nothing else', () => {
    const { p } = make(dir, KEY);
    const contact = {
      id: 'crm-42',
      phone_number: ' +49 151-2345 6789 ',
      email: ' Anna.Schmidt@Example.DE ',
      name: 'Anna Schmidt',
      birth_date: '1990-04-01',
    };
    const key = JSON.parse(keyJson(p, contact));
    expect(key).toEqual({
      id: 'crm-42',
      phoneHmac: hmac(KEY, '+4915123456789'),
      emailHmac: hmac(KEY, 'anna.schmidt@example.de'),
      kid: keyId(KEY),
    });
    const json = keyJson(p, contact);
    for (const raw of ['2345', 'Anna', 'anna', 'Schmidt', 'example', '1990'])
      expect(json).not.toContain(raw);
  });

  it('gives the same pseudonym however the address is formatted', () => {
    const { p } = make(dir, KEY);
    const a = JSON.parse(keyJson(p, { phone_number: '+49 (151) 2345-6789', email: 'X@Y.org' }));
    const b = JSON.parse(keyJson(p, { phone_number: '+49.151.23456789', email: 'x@y.org ' }));
    expect(a).toEqual(b);
    expect(normalisePhone(' +44 20 7946-0958 ')).toBe('+442079460958');
    expect(normaliseEmail(' A@B.C ')).toBe('a@b.c');
  });

  it('never writes an id that is an address', () => {
    const { p } = make(dir, KEY);
    for (const contact of [
      { id: 'anna@example.de' },
      { id: '+49 151 23456789' },
      { id: '015123456789', phone_number: '+49 15123456789' },
      { id: 4915123456789, phone_number: '+4915123456789' },
    ]) {
      const key = JSON.parse(keyJson(p, contact));
      expect(key.id).toBeNull();
      expect(key.idHmac).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(key)).not.toMatch(/anna|23456789/);
    }
    expect(JSON.parse(keyJson(p, { id: 12345 })).id).toBe(12345);
    expect(JSON.parse(keyJson(p, 'not an object'))).toEqual({ id: null, kid: keyId(KEY) });
  });

  it('withholds exactly the ids the plain definition calls addresses (the fast checks change nothing)', () => {
    // The rule as first written, without the shortcuts contactKeyJson takes.
    const plainLooksLikeAddress = (id: string, phone?: string, email?: string): boolean => {
      if (id.length > 128 || /@/.test(id) || /^\s*(\+|00)\s*\d/.test(id)) return true;
      if (email !== undefined && id.trim().toLowerCase() === email) return true;
      if (phone === undefined) return false;
      const idDigits = id
        .trim()
        .replace(/[\s\-.()]/g, '')
        .replace(/^(\+|0+)/, '');
      return /^\d{7,}$/.test(idDigits) && phone.replace(/^(\+|0+)/, '').endsWith(idDigits);
    };
    const keys = new ContactKeys(KEY);
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789 +-.()'), maxLength: 16 });
    const text = fc.oneof(
      digits,
      fc.string({ maxLength: 12 }),
      fc.constantFrom('A@B.c', ' a@b.c', 'ab'),
    );
    // Ids made from the addresses reach the national-form and same-as-email rules.
    const case_ = fc.tuple(
      text,
      fc.option(text, { nil: undefined }),
      fc.option(text, { nil: undefined }),
    );
    const derived = fc
      .tuple(case_, fc.nat(16), fc.constantFrom('', '0', '00', ' ', '('), fc.boolean())
      .map(([[id, phone, email], cut, lead, fromEmail]) => {
        const from = fromEmail ? email : phone;
        const derivedId =
          from === undefined
            ? id
            : lead + (fromEmail ? from.toUpperCase() : from.slice(cut % (from.length + 1)));
        return [derivedId, phone, email] as const;
      });
    fc.assert(
      fc.property(fc.oneof(case_, derived), ([id, phone, email]) => {
        const phoneNorm =
          phone !== undefined && phone.trim() !== ''
            ? phone.trim().replace(/[\s\-.()]/g, '')
            : undefined;
        const emailNorm =
          email !== undefined && email.trim() !== '' ? email.trim().toLowerCase() : undefined;
        const key = JSON.parse(keys.contactKeyJson(id, phone, email)) as { id: unknown };
        expect(key.id === null).toBe(plainLooksLikeAddress(id, phoneNorm, emailNorm));
      }),
      { numRuns: 5000 },
    );
  });

  it('generates a key into AUDIT_DIR (0600) on first use, says so, and reuses it after a restart', () => {
    const first = make(dir);
    const k1 = keyJson(first.p, { id: 1, phone_number: '+4915123456789' });
    const file = join(dir, GENERATED_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.warnings.join(' ')).toMatch(/generated a random pseudonym key/);
    const keyText = readFileSync(file, 'utf8').trim();
    expect(first.warnings.join(' ')).not.toContain(keyText);
    const second = make(dir);
    expect(keyJson(second.p, { id: 1, phone_number: '+4915123456789' })).toBe(k1);
    expect(second.warnings).toEqual([]);
    expect(JSON.parse(k1).phoneHmac).toBe(hmac(keyText, '+4915123456789'));
  });

  it('keeps a proof_ref pointer but never one that looks like an address', () => {
    expect(proofRef({ proof_ref: 'crm://consents/981' })).toBe('crm://consents/981');
    expect(proofRef({ consents: [{ proof_ref: 'rec-7' }] })).toBe('rec-7');
    expect(proofRef({ proof_ref: 'anna@example.de' })).toBeUndefined();
    expect(proofRef({ proof_ref: '+4915123456789' })).toBeUndefined();
    expect(proofRef({})).toBeUndefined();
  });
});
