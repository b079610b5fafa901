import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { ContactDataInput, ContactToAdd } from './genesys.types';

/** Genesys limits (shared doc §3). */
export const MAX_CONTACTS_PER_ADD = 1000;
export const MAX_ADD_BODY_BYTES = 512_000;
export const MAX_VALUE_LENGTH = 512;
export const BULK_GET_CHUNK = 50;
export const DNC_CHUNK = 1000;

/**
 * Converts caller values to the string map Genesys stores: strings kept,
 * finite numbers and booleans via String(), null/undefined omitted. Objects,
 * arrays, NaN/Infinity and values over 512 characters are refused with
 * GENESYS_INVALID_DATA naming the column (never the value: it may be personal data).
 */
export function toGenesysData(data: ContactDataInput, contactId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, value] of Object.entries(data as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'boolean') text = String(value);
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else {
      const kind = Array.isArray(value)
        ? 'an array'
        : typeof value === 'number'
          ? 'a non-finite number'
          : `a value of type ${typeof value}`;
      throw invalid(
        contactId,
        column,
        `holds ${kind}; only strings, numbers and booleans are accepted`,
      );
    }
    if (text.length > MAX_VALUE_LENGTH) {
      throw invalid(
        contactId,
        column,
        `is ${text.length} characters long; Genesys accepts at most ${MAX_VALUE_LENGTH}`,
      );
    }
    out[column] = text;
  }
  return out;
}

function invalid(contactId: string, column: string, why: string): DomainError {
  return new DomainError(
    ErrorCode.GENESYS_INVALID_DATA,
    `Column "${column}" of contact "${contactId}" ${why}.`,
    { errors: [{ path: `data.${column}`, message: why }], extra: { contactId, column } },
  );
}

/** Throws GENESYS_UNKNOWN_COLUMNS listing every column the list does not have. */
export function assertKnownColumns(
  listId: string,
  listColumns: readonly string[],
  used: Iterable<string>,
): void {
  const known = new Set(listColumns);
  const unknown = [...new Set(used)].filter((c) => !known.has(c)).sort();
  if (unknown.length === 0) return;
  throw new DomainError(
    ErrorCode.GENESYS_UNKNOWN_COLUMNS,
    `Contact list ${listId} has no column(s) ${unknown.map((c) => `"${c}"`).join(', ')}; ` +
      'add them to the list in Genesys Cloud (Outbound > Contact Lists) or fix the column mapping. ' +
      `Existing columns: ${listColumns.join(', ')}.`,
    {
      errors: unknown.map((c) => ({ path: `data.${c}`, message: 'unknown column' })),
      extra: { listId, unknownColumns: unknown, listColumns: [...listColumns] },
    },
  );
}

export interface PreparedContact {
  id: string;
  /** The exact JSON of this contact as it appears in the request body. */
  json: string;
  bytes: number;
}

/** Serialises one contact in the shape Genesys expects (WritableDialerContact). */
export function prepareContact(
  listId: string,
  contact: Pick<ContactToAdd, 'id' | 'callable'>,
  data: Record<string, string>,
): PreparedContact {
  const body: Record<string, unknown> = { id: contact.id, contactListId: listId, data };
  if (contact.callable !== undefined) body.callable = contact.callable;
  const json = JSON.stringify(body);
  return { id: contact.id, json, bytes: Buffer.byteLength(json, 'utf8') };
}

export interface PreparedChunk {
  ids: string[];
  body: string;
  bytes: number;
}

/**
 * Packs contacts greedily, in order, into request bodies of at most
 * `maxCount` contacts and `maxBytes` bytes (`[` + items joined by `,` + `]`).
 * A single contact too big for any body becomes a chunk of its own; the caller
 * reports it as failed without sending it.
 */
export function* packChunks(
  contacts: Iterable<PreparedContact>,
  maxCount = MAX_CONTACTS_PER_ADD,
  maxBytes = MAX_ADD_BODY_BYTES,
): Generator<PreparedChunk> {
  let parts: PreparedContact[] = [];
  let bytes = 2;
  const flush = (): PreparedChunk => {
    const body = `[${parts.map((p) => p.json).join(',')}]`;
    const chunk = { ids: parts.map((p) => p.id), body, bytes: Buffer.byteLength(body, 'utf8') };
    parts = [];
    bytes = 2;
    return chunk;
  };
  for (const c of contacts) {
    const added = bytes + c.bytes + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && (parts.length >= maxCount || added > maxBytes)) {
      yield flush();
    }
    bytes += c.bytes + (parts.length > 0 ? 1 : 0);
    parts.push(c);
  }
  if (parts.length > 0) yield flush();
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
