/**
 * A contact's own id as the API reports it (`contactId` of /v1/validate, its stream
 * and compare): an own `id` property; strings as sent, finite numbers as decimal
 * strings, anything else null. (Sync has its own rule for the ids Genesys accepts:
 * src/sync/contact-id.ts.)
 */
export function contactIdOf(contact: unknown): string | null {
  if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) return null;
  if (!Object.prototype.hasOwnProperty.call(contact, 'id')) return null;
  const id = (contact as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}
