/**
 * Which input ids can be sent to Genesys as a contact id. The id goes into the
 * URL of PUT /contacts/{contactId} and is the upsert key, so anything Genesys
 * would refuse (invalid.contact.id, contact.id.length.limit.exceeded) is
 * rejected per contact before sending rather than failing a whole batch.
 * Mirrors the fake server's rule (test/fake-genesys) and docs/sync.md.
 */
export const CONTACT_ID_MAX_LENGTH = 255;
/** Whitespace, path and query delimiters, and control characters: the id must be one URL path segment. */
// eslint-disable-next-line no-control-regex
const REFUSED = /[\s/\\?#\u0000-\u001f\u007f]/;

export const CONTACT_ID_INVALID = 'CONTACT_ID_INVALID';

/** The id as Genesys will see it: strings as given, safe integers as decimal text; else null. */
export function contactIdOf(contact: unknown): string | null {
  if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) return null;
  const id = (contact as Record<string, unknown>).id;
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return null;
}

export function isValidContactId(id: string | null): id is string {
  return id !== null && id.length > 0 && id.length <= CONTACT_ID_MAX_LENGTH && !REFUSED.test(id);
}
