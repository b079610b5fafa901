import type { PolicyRef } from '../policy/policy.types';
import type { SyncConfig } from '../config/app-config';
import type { ContactDataInput } from '../genesys/genesys.types';

/** "<version>+<first 12 hex of the digest>", e.g. "1.0.0+3f2a9c0b1d4e": which exact file approved the contact. */
export function policyVersionTag(ref: PolicyRef): string {
  const hex = ref.digest.replace(/^sha256:/, '');
  return `${ref.version}+${hex.slice(0, 12)}`;
}

interface ConsentRecordLike {
  purpose?: unknown;
  channel?: unknown;
  status?: unknown;
  granted_at?: unknown;
}

/**
 * The consent attributes written next to the contact: the seed's flat
 * `consent_scope` / `consent_timestamp`, else the most recently granted record
 * of `consents: [...]` (purpose, or purpose:channel, and granted_at).
 */
export function consentAttributes(contact: Record<string, unknown>): {
  scope: string;
  updated: string;
} {
  const flatScope = typeof contact.consent_scope === 'string' ? contact.consent_scope : undefined;
  const flatTs =
    typeof contact.consent_timestamp === 'string' ? contact.consent_timestamp : undefined;
  if (flatScope !== undefined || flatTs !== undefined || !Array.isArray(contact.consents)) {
    return { scope: flatScope ?? '', updated: flatTs ?? '' };
  }
  let best: { scope: string; updated: string; at: number } | undefined;
  for (const raw of contact.consents as unknown[]) {
    if (raw === null || typeof raw !== 'object') continue;
    const rec = raw as ConsentRecordLike;
    if (rec.status !== undefined && rec.status !== 'granted') continue;
    const grantedAt = typeof rec.granted_at === 'string' ? rec.granted_at : '';
    const at = Date.parse(grantedAt);
    const purpose = typeof rec.purpose === 'string' ? rec.purpose : '';
    const scope =
      typeof rec.channel === 'string' && purpose ? `${purpose}:${rec.channel}` : purpose;
    const key = Number.isNaN(at) ? -Infinity : at;
    if (!best || key > best.at) best = { scope, updated: grantedAt, at: key };
  }
  return { scope: best?.scope ?? '', updated: best?.updated ?? '' };
}

/** Names of the consent columns the sync fills (SYNC_COLUMN_* settings). */
export function consentColumnNames(columns: SyncConfig['columns']): string[] {
  return [columns.consentFlag, columns.consentScope, columns.consentUpdated, columns.policyVersion];
}

/** The consent columns for an approved contact; `policyTag` is policyVersionTag(policy.ref). */
export function consentColumns(
  columns: SyncConfig['columns'],
  contact: Record<string, unknown>,
  policyTag: string,
): ContactDataInput {
  const { scope, updated } = consentAttributes(contact);
  return {
    [columns.consentFlag]: 'true',
    [columns.consentScope]: scope,
    [columns.consentUpdated]: updated,
    [columns.policyVersion]: policyTag,
  };
}

/** "+49******5678": keeps a leading +, two leading and four trailing digits. */
export function maskPhone(value: string): string {
  const plus = value.startsWith('+') ? '+' : '';
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 6) return plus + '*'.repeat(digits.length);
  return plus + digits.slice(0, 2) + '*'.repeat(digits.length - 6) + digits.slice(-4);
}

/** "a***@example.com". */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${value.charAt(0)}***${value.slice(at)}`;
}

/**
 * A payload safe to print: address columns masked, every other value except
 * the consent columns replaced by its length, so a dry run shows the shape
 * without printing names or birth dates.
 */
export function maskPayload(
  payload: { id: string; data: ContactDataInput },
  phoneColumns: ReadonlySet<string>,
  emailColumns: ReadonlySet<string>,
  keepColumns: ReadonlySet<string>,
): { id: string; data: Record<string, string> } {
  const data: Record<string, string> = {};
  for (const [column, value] of Object.entries(payload.data)) {
    if (value === null || value === undefined) continue;
    const text = String(value);
    if (phoneColumns.has(column) || /phone/i.test(column)) data[column] = maskPhone(text);
    else if (emailColumns.has(column) || text.includes('@')) data[column] = maskEmail(text);
    else if (keepColumns.has(column)) data[column] = text;
    else data[column] = `<${text.length} characters>`;
  }
  return { id: payload.id, data };
}
