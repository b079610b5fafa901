import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppLogger } from '../common/logging/app-logger';
import { HmacSha256, PseudonymCache } from './fast-hmac';

/** Name of the generated key file inside AUDIT_DIR when AUDIT_HMAC_KEY is unset. */
export const GENERATED_KEY_FILE = '.contact-hmac-key';

const EMAIL_LIKE = /@/;
// An id that starts like an international number is treated as an address.
const PHONE_LIKE = /^\s*(\+|00)\s*\d/;
const MAX_ID_LENGTH = 128;
const MAX_PROOF_REF_LENGTH = 256;
/** Pseudonyms remembered per generation (at most twice this many, ~20 MB at worst). */
const PSEUDONYM_CACHE_CAPACITY = 50_000;

/** Normalises a phone number before hashing: trim, drop spaces, dashes, dots and parentheses. */
export function normalisePhone(value: string): string {
  return value.trim().replace(/[\s\-.()]/g, '');
}

/** Normalises an email before hashing: trim and lower-case. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Turns a contact into its audit key, the only trace of the person in any audit
 * file: {id, phoneHmac?, emailHmac?, kid}. Pseudonyms are HMAC-SHA256 (hex) of
 * the normalised address, keyed with AUDIT_HMAC_KEY (its UTF-8 bytes), so a data
 * steward holding the key can recompute one for a person and find their lines;
 * without the key the values cannot be reversed or matched by guessing numbers.
 * `kid` names the key (first 16 hex of sha256 of it) so pseudonyms made under a
 * rotated key are recognisable.
 */
@Injectable()
export class Pseudonymiser {
  private mac: HmacSha256 | undefined;
  private readonly cache = new PseudonymCache(PSEUDONYM_CACHE_CAPACITY);
  private readonly computePseudonym = (normalised: string): string =>
    (this.mac as HmacSha256).hex(normalised);
  private kidJson = '';

  constructor(
    private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  /** HMAC-SHA256 hex of an already normalised address. */
  pseudonym(normalised: string): string {
    this.loadKey();
    return this.cache.get(normalised, this.computePseudonym);
  }

  /** Canonical JSON of the contactKey object (keys sorted). */
  contactKeyJson(contact: unknown): string {
    this.loadKey();
    if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) {
      return '{"id":null,"kid":' + this.kidJson + '}';
    }
    const c = contact as Record<string, unknown>;
    const phone = addressText(c.phone_number);
    const email = addressText(c.email);
    const phoneNorm = phone === undefined ? undefined : normalisePhone(phone);
    const emailNorm = email === undefined ? undefined : normaliseEmail(email);
    let out = '{';
    if (emailNorm) out += '"emailHmac":"' + this.pseudonym(emailNorm) + '",';
    const id = c.id;
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

  /**
   * The consent proof pointer (contact.proof_ref, else the first consent record's)
   * when it is a short string that does not look like an address.
   */
  proofRef(contact: unknown): string | undefined {
    if (contact === null || typeof contact !== 'object') return undefined;
    const c = contact as Record<string, unknown>;
    let ref = c.proof_ref;
    if (typeof ref !== 'string' && Array.isArray(c.consents)) {
      const first: unknown = c.consents[0];
      if (first !== null && typeof first === 'object')
        ref = (first as Record<string, unknown>).proof_ref;
    }
    if (typeof ref !== 'string' || ref.length === 0 || ref.length > MAX_PROOF_REF_LENGTH)
      return undefined;
    if (EMAIL_LIKE.test(ref) || PHONE_LIKE.test(ref)) return undefined;
    return ref;
  }

  private loadKey(): HmacSha256 {
    if (this.mac !== undefined) return this.mac;
    const key = this.config.audit.hmacKey ?? this.loadOrGenerateKeyFile();
    this.kidJson = JSON.stringify(keyId(key));
    this.mac = new HmacSha256(Buffer.from(key, 'utf8'));
    return this.mac;
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
  if (email !== undefined && normaliseEmail(id) === email) return true;
  if (phone === undefined) return false;
  // National and international forms of one number share their trailing digits.
  const idDigits = normalisePhone(id).replace(/^(\+|0+)/, '');
  const phoneDigits = phone.replace(/^(\+|0+)/, '');
  return /^\d{7,}$/.test(idDigits) && phoneDigits.endsWith(idDigits);
}
