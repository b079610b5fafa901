/**
 * Checks a WritableDialerContact against its contact list the way Genesys
 * does: data maps existing column names to strings, ids are usable in a URL,
 * status maps name real phone columns and media types.
 */
import { badRequest, FakeApiError } from './genesys-errors';
import {
  CONTACTABLE_MEDIA,
  type ContactableStatus,
  type ContactListInput,
} from './fake-genesys.types';

export const LIMITS = {
  contactsPerAdd: 1000,
  bytesPerRequest: 512_000,
  idsPerBulkGet: 50,
  idsPerDelete: 250,
  contactIdLength: 255,
  valueLength: 512,
  columnsPerList: 50,
  columnNameLength: 128,
} as const;

/** Characters a contact id cannot hold: it must survive as one URL path segment. */
const REFUSED_ID_CHARS = /[\s/\\?#]/;
const hasControlChar = (id: string): boolean =>
  [...id].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

export interface ParsedContact {
  id?: string;
  data: Record<string, string>;
  callable?: boolean;
  phoneNumberStatus?: Record<string, { callable: boolean }>;
  contactableStatus?: Record<string, ContactableStatus>;
}

export type ListShape = Required<
  Pick<ContactListInput, 'columnNames' | 'phoneColumns' | 'emailColumns'>
> & { id: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a contact id given in a body or a path. */
export function checkContactId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new FakeApiError(400, 'invalid.contact.id', 'Contact id [{contactId}] is invalid', {
      contactId: typeof id === 'string' ? id : (JSON.stringify(id) ?? 'undefined'),
    });
  }
  if (id.length > LIMITS.contactIdLength) {
    throw new FakeApiError(
      400,
      'contact.id.length.limit.exceeded',
      'Contact id [{contactId}] is longer than {limit} characters',
      { contactId: id, limit: String(LIMITS.contactIdLength) },
    );
  }
  if (REFUSED_ID_CHARS.test(id) || hasControlChar(id)) {
    throw new FakeApiError(
      400,
      'invalid.contact.id',
      'Contact id [{contactId}] contains characters that are not allowed',
      { contactId: id },
    );
  }
  return id;
}

/**
 * Parses one contact of a request body. `requireId` is false for adds,
 * where Genesys assigns an id to a contact that has none.
 */
export function parseContact(raw: unknown, list: ListShape, requireId: boolean): ParsedContact {
  if (!isPlainObject(raw)) throw badRequest('Each contact must be a JSON object');
  const id = raw.id === undefined && !requireId ? undefined : checkContactId(raw.id);
  const who = id ?? '(new contact)';
  if (raw.contactListId !== undefined && raw.contactListId !== list.id) {
    throw badRequest('Contact [{contactId}] names contact list [{given}], not {contactListId}', {
      contactId: who,
      given: JSON.stringify(raw.contactListId),
      contactListId: list.id,
    });
  }
  const data = parseData(raw.data, list, who);
  const parsed: ParsedContact = { data };
  if (id !== undefined) parsed.id = id;
  if (raw.callable !== undefined) {
    if (typeof raw.callable !== 'boolean') {
      throw badRequest('Contact [{contactId}]: callable must be a boolean', { contactId: who });
    }
    parsed.callable = raw.callable;
  }
  if (raw.phoneNumberStatus !== undefined) {
    parsed.phoneNumberStatus = parsePhoneStatus(raw.phoneNumberStatus, list, who);
  }
  if (raw.contactableStatus !== undefined) {
    parsed.contactableStatus = parseContactableStatus(raw.contactableStatus, list, who);
  }
  return parsed;
}

function parseData(raw: unknown, list: ListShape, who: string): Record<string, string> {
  if (raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0)) {
    throw new FakeApiError(400, 'contact.missing.columns', 'Contact [{contactId}] has no data', {
      contactId: who,
    });
  }
  if (!isPlainObject(raw)) {
    throw badRequest('Contact [{contactId}]: data must be an object of column names to strings', {
      contactId: who,
    });
  }
  const known = new Set(list.columnNames);
  const unknown = Object.keys(raw).filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new FakeApiError(
      400,
      'invalid.contact.columns',
      'Contact [{contactId}] has columns that are not in contact list {contactListId}: {columns}',
      { contactId: who, contactListId: list.id, columns: unknown.join(', ') },
    );
  }
  const data: Record<string, string> = {};
  for (const [column, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      throw badRequest('Contact [{contactId}]: value of column {column} must be a string', {
        contactId: who,
        column,
      });
    }
    if (value.length > LIMITS.valueLength) {
      throw new FakeApiError(
        400,
        'contact.datum.length.limit.exceeded',
        'Contact [{contactId}]: value of column {column} is longer than {limit} characters',
        { contactId: who, column, limit: String(LIMITS.valueLength) },
      );
    }
    data[column] = value;
  }
  return data;
}

function parsePhoneStatus(
  raw: unknown,
  list: ListShape,
  who: string,
): Record<string, { callable: boolean }> {
  if (!isPlainObject(raw)) throw badRequest('phoneNumberStatus must be an object');
  const phoneColumns = new Set(list.phoneColumns.map((c) => c.columnName));
  const result: Record<string, { callable: boolean }> = {};
  for (const [column, status] of Object.entries(raw)) {
    if (!phoneColumns.has(column)) {
      throw badRequest(
        'Contact [{contactId}]: phoneNumberStatus names {column}, not a phone column',
        {
          contactId: who,
          column,
        },
      );
    }
    if (!isPlainObject(status) || typeof status.callable !== 'boolean') {
      throw badRequest(
        'Contact [{contactId}]: phoneNumberStatus.{column}.callable must be a boolean',
        {
          contactId: who,
          column,
        },
      );
    }
    result[column] = { callable: status.callable };
  }
  return result;
}

function parseContactableStatus(
  raw: unknown,
  list: ListShape,
  who: string,
): Record<string, ContactableStatus> {
  if (!isPlainObject(raw)) throw badRequest('contactableStatus must be an object');
  const media = new Set<string>(CONTACTABLE_MEDIA);
  const phoneColumns = new Set(list.phoneColumns.map((c) => c.columnName));
  const emailColumns = new Set(list.emailColumns.map((c) => c.columnName));
  const result: Record<string, ContactableStatus> = {};
  for (const [medium, status] of Object.entries(raw)) {
    // Genesys keys this map by media type, not by column: a common mistake.
    if (!media.has(medium)) {
      throw badRequest(
        'Contact [{contactId}]: contactableStatus key {medium} is not a media type ({allowed})',
        { contactId: who, medium, allowed: CONTACTABLE_MEDIA.join(', ') },
      );
    }
    if (!isPlainObject(status) || typeof status.contactable !== 'boolean') {
      throw badRequest(
        'Contact [{contactId}]: contactableStatus.{medium}.contactable must be a boolean',
        { contactId: who, medium },
      );
    }
    const entry: ContactableStatus = { contactable: status.contactable };
    if (status.columnStatus !== undefined) {
      if (!isPlainObject(status.columnStatus)) {
        throw badRequest('contactableStatus.{medium}.columnStatus must be an object', { medium });
      }
      entry.columnStatus = {};
      // Email status names email columns; Voice and SMS name phone columns.
      const columns = medium === 'Email' ? emailColumns : phoneColumns;
      for (const [column, columnStatus] of Object.entries(status.columnStatus)) {
        if (
          !columns.has(column) ||
          !isPlainObject(columnStatus) ||
          typeof columnStatus.contactable !== 'boolean'
        ) {
          throw badRequest(
            'Contact [{contactId}]: contactableStatus.{medium}.columnStatus.{column} is invalid',
            { contactId: who, medium, column },
          );
        }
        entry.columnStatus[column] = { contactable: columnStatus.contactable };
      }
    }
    result[medium] = entry;
  }
  return result;
}

/** Checks a contact-list definition given to the fake by a test (a programming error throws). */
export function checkListDefinition(list: ContactListInput): void {
  const columns = new Set(list.columnNames);
  if (columns.size !== list.columnNames.length) throw new Error('duplicate column names');
  if (columns.size > LIMITS.columnsPerList) {
    throw new Error(`a contact list has at most ${LIMITS.columnsPerList} columns`);
  }
  for (const name of list.columnNames) {
    if (name.length === 0 || name.length > LIMITS.columnNameLength) {
      throw new Error(`column name must be 1..${LIMITS.columnNameLength} characters: ${name}`);
    }
  }
  const referenced = [
    ...(list.phoneColumns ?? []).flatMap((c) => [c.columnName, c.callableTimeColumn]),
    ...(list.emailColumns ?? []).flatMap((c) => [c.columnName, c.contactableTimeColumn]),
  ];
  for (const name of referenced) {
    if (name !== undefined && !columns.has(name)) {
      throw new Error(`phone/email column ${name} is not in columnNames`);
    }
  }
}
