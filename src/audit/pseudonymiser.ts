import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppLogger } from '../common/logging/app-logger';
import type { Decision } from '../policy/policy.types';
import { HmacSha256 } from './fast-hmac';

/** Name of the generated key file inside AUDIT_DIR when AUDIT_HMAC_KEY is unset. */
export const GENERATED_KEY_FILE = '.contact-hmac-key';

const EMAIL_LIKE = /@/;
// An id that starts like an international number is treated as an address.
const PHONE_LIKE = /^\s*(\+|00)\s*\d/;
const MAX_ID_LENGTH = 128;
const MAX_PROOF_REF_LENGTH = 256;

/** Normalises a phone number before hashing: trim, drop spaces, dashes, dots and parentheses. */
export function normalisePhone(value: string): string {
  // \s is exactly the set trim() removes, so the replace alone also trims.
  return value.replace(/[\s\-.()]/g, '');
}

/** Normalises an email before hashing: trim and lower-case. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * One decision as the audit log receives it, and all it ever sees of the contact:
 * its id, phone_number, email (as received; ContactKeys pseudonymises them) and
 * proof pointer, then decision, code, codes and warnings. A non-object contact has
 * none of the fields.
 */
export type AuditRow = [
  id: unknown,
  phone: unknown,
  email: unknown,
  proofRef: string | null,
  decision: string,
  code: string,
  codes: readonly string[],
  warnings: readonly string[],
];

export function auditRow(contact: unknown, decision: Decision): AuditRow {
  const { decision: kind, code, codes, warnings } = decision;
  if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) {
    return [null, null, null, null, kind, code, codes, warnings];
  }
  const c = contact as Record<string, unknown>;
  return [
    c.id ?? null,
    c.phone_number ?? null,
    c.email ?? null,
    proofRefOf(c),
    kind,
    code,
    codes,
    warnings,
  ];
}

/**
 * The consent proof pointer (contact.proof_ref, else the first consent record's)
 * when it is a short string that does not look like an address.
 */
function proofRefOf(c: Record<string, unknown>): string | null {
  let ref = c.proof_ref;
  if (typeof ref !== 'string' && Array.isArray(c.consents)) {
    const first: unknown = c.consents[0];
    if (first !== null && typeof first === 'object')
      ref = (first as Record<string, unknown>).proof_ref;
  }
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > MAX_PROOF_REF_LENGTH) return null;
  if (EMAIL_LIKE.test(ref) || PHONE_LIKE.test(ref)) return null;
  return ref;
}

/**
 * Turns an audit subject into its audit key, the only trace of the person in any
 * audit file: {id, phoneHmac?, emailHmac?, kid}. Pseudonyms are HMAC-SHA256 (hex)
 * of the normalised address, keyed with AUDIT_HMAC_KEY (its UTF-8 bytes), so a data
 * steward holding the key can recompute one for a person and find their lines;
 * without the key the values cannot be reversed or matched by guessing numbers.
 * `kid` names the key (first 16 hex of sha256 of it) so pseudonyms made under a
 * rotated key are recognisable.
 */
export class ContactKeys {
  private readonly mac: HmacSha256;
  private readonly kidJson: string;

  constructor(key: string) {
    this.kidJson = JSON.stringify(keyId(key));
    this.mac = new HmacSha256(Buffer.from(key, 'utf8'));
  }

  /** HMAC-SHA256 hex of an already normalised address. */
  pseudonym(normalised: string): string {
    return this.mac.hex(normalised);
  }

  /** Canonical JSON of the contactKey object (keys sorted) of a subject's id and addresses. */
  contactKeyJson(id: unknown, phoneValue: unknown, emailValue: unknown): string {
    const phone = addressText(phoneValue);
    const email = addressText(emailValue);
    const phoneNorm = phone === undefined ? undefined : normalisePhone(phone);
    const emailNorm = email === undefined ? undefined : normaliseEmail(email);
    let out = '{';
    if (emailNorm) out += '"emailHmac":"' + this.pseudonym(emailNorm) + '",';
    if (typeof id === 'number' && Number.isFinite(id) && !looksLikeAddress(String(id), phoneNorm)) {
      out += '"id":' + JSON.stringify(id);
    } else if (typeof id === 'number' && Number.isFinite(id)) {
      out += '"id":null,"idHmac":"' + this.pseudonym(String(id)) + '"';
    } else if (typeof id === 'string') {
      if (looksLikeAddress(id, phoneNorm, emailNorm)) {
        // The caller used an address as its id: keep only its pseudonym.
        out += '"id":null,"idHmac":"' + this.pseudonym(id.trim()) + '"';
      } else {
        out += '"id":' + JSON.stringify(id);
      }
    } else {
      out += '"id":null';
    }
    out += ',"kid":' + this.kidJson;
    if (phoneNorm) out += ',"phoneHmac":"' + this.pseudonym(phoneNorm) + '"';
    return out + '}';
  }
}

/**
 * The pseudonym key from config (AUDIT_HMAC_KEY), else generated once into
 * AUDIT_DIR, and the ContactKeys built on it. Loaded on first use.
 */
@Injectable()
export class Pseudonymiser {
  private keys: ContactKeys | undefined;
  private keyText: string | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  private key(): string {
    this.keyText ??= this.config.audit.hmacKey ?? this.loadOrGenerateKeyFile();
    return this.keyText;
  }

  contactKeys(): ContactKeys {
    this.keys ??= new ContactKeys(this.key());
    return this.keys;
  }

  private loadOrGenerateKeyFile(): string {
    const dir = this.config.audit.dir;
    const path = join(dir, GENERATED_KEY_FILE);
    const log = this.logger.child('Pseudonymiser');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      // 'wx' fails if another process created the key first; then we read theirs.
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      log.warn(
        'AUDIT_HMAC_KEY is not set: generated a random pseudonym key; back it up, stewards need it to match contacts',
        { file: path },
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      log.info('AUDIT_HMAC_KEY is not set: using the generated pseudonym key file', { file: path });
    }
    const key = readFileSync(path, 'utf8').trim();
    if (key.length < 32) throw new Error(`pseudonym key file ${path} is too short`);
    return key;
  }
}

/** Public identifier of a key: first 16 hex of its SHA-256. */
export function keyId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

function addressText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim().length > 0 ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** True when an id is, or contains, an address and so must not be written as is. */
function looksLikeAddress(id: string, phone?: string, email?: string): boolean {
  if (id.length > MAX_ID_LENGTH || EMAIL_LIKE.test(id) || PHONE_LIKE.test(id)) return true;
  // The id holds no "@" here, and trimming or lower-casing never makes one.
  if (email !== undefined && !email.includes('@') && normaliseEmail(id) === email) return true;
  if (phone === undefined || digitCount(id) < 7) return false;
  // National and international forms of one number share their trailing digits.
  const idDigits = normalisePhone(id).replace(/^(\+|0+)/, '');
  const phoneDigits = phone.replace(/^(\+|0+)/, '');
  return /^\d{7,}$/.test(idDigits) && phoneDigits.endsWith(idDigits);
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
