/**
 * The fake's contact lists and their contacts. Every
 * write validates the whole request before storing anything, so a 400 leaves
 * the list exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, FakeApiError } from './genesys-errors';
import {
  checkContactId,
  checkListDefinition,
  isPlainObject,
  LIMITS,
  parseContact,
  type ListShape,
  type ParsedContact,
} from './contact-validation';
import type {
  ContactListInput,
  EmailColumn,
  FakeContact,
  PhoneColumn,
  SeedContact,
} from './fake-genesys.types';

interface StoredList {
  id: string;
  name: string;
  version: number;
  dateCreated: string;
  dateModified: string;
  columnNames: string[];
  phoneColumns: PhoneColumn[];
  emailColumns: EmailColumn[];
  contacts: Map<string, FakeContact>;
}

export interface AddOptions {
  clearSystemData: boolean;
}

export const HOME_DIVISION = {
  id: 'home-division',
  name: 'Home',
  selfUri: '/api/v2/authorization/divisions/home-division',
};

export class ContactStore {
  private readonly lists = new Map<string, StoredList>();

  constructor(private readonly now: () => number) {}

  // ---- contact lists ----------------------------------------------------

  createList(input: ContactListInput): { id: string } {
    checkListDefinition(input);
    const id = input.id ?? randomUUID();
    if (this.lists.has(id)) throw new Error(`contact list ${id} already exists`);
    const created = new Date(this.now()).toISOString();
    this.lists.set(id, {
      id,
      name: input.name,
      version: 1,
      dateCreated: created,
      dateModified: created,
      columnNames: [...input.columnNames],
      phoneColumns: (input.phoneColumns ?? []).map((c) => ({ ...c })),
      emailColumns: (input.emailColumns ?? []).map((c) => ({ ...c })),
      contacts: new Map(),
    });
    return { id };
  }

  listView(listId: string, includeSize: boolean): Record<string, unknown> {
    const list = this.list(listId);
    const view: Record<string, unknown> = {
      id: list.id,
      name: list.name,
      dateCreated: list.dateCreated,
      dateModified: list.dateModified,
      version: list.version,
      division: HOME_DIVISION,
      columnNames: [...list.columnNames],
      phoneColumns: list.phoneColumns.map((c) => ({ ...c })),
      emailColumns: list.emailColumns.map((c) => ({ ...c })),
      automaticTimeZoneMapping: false,
      selfUri: `/api/v2/outbound/contactlists/${encodeURIComponent(list.id)}`,
    };
    if (includeSize) view.size = list.contacts.size;
    return view;
  }

  /** GET /api/v2/outbound/contactlists: a Genesys entity listing page. */
  listPage(pageSize: number, pageNumber: number, name?: string): Record<string, unknown> {
    const all = [...this.lists.values()].filter(
      (l) => name === undefined || l.name.toLowerCase().includes(name.toLowerCase()),
    );
    const entities = all
      .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
      .map((l) => this.listView(l.id, false));
    return {
      entities,
      pageSize,
      pageNumber,
      total: all.length,
      pageCount: Math.ceil(all.length / pageSize),
    };
  }

  // ---- contacts -----------------------------------------------------------

  addContacts(listId: string, body: unknown, options: AddOptions): FakeContact[] {
    const list = this.list(listId);
    if (!Array.isArray(body)) throw badRequest('The request body must be an array of contacts');
    if (body.length > LIMITS.contactsPerAdd) {
      throw badRequest('At most {limit} contacts may be added per request, got {count}', {
        limit: String(LIMITS.contactsPerAdd),
        count: String(body.length),
      });
    }
    const parsed = body.map((raw) => parseContact(raw, this.shape(list), false));
    return parsed.map((contact) => copy(this.upsert(list, contact, options)));
  }

  putContact(listId: string, contactId: string, body: unknown): FakeContact {
    const list = this.list(listId);
    checkContactId(contactId);
    if (!isPlainObject(body)) throw badRequest('The request body must be a contact object');
    if (body.id !== undefined && body.id !== contactId) {
      throw badRequest('Contact id in the body [{bodyId}] does not match the path [{contactId}]', {
        bodyId: JSON.stringify(body.id),
        contactId,
      });
    }
    // A missing contact is reported before the body's data is judged.
    const existing = list.contacts.get(contactId);
    if (!existing) {
      throw new FakeApiError(
        400,
        'contact.does.not.exist',
        'Contact [{contactId}] does not exist',
        {
          contactId,
        },
      );
    }
    const parsed = parseContact({ ...body, id: contactId }, this.shape(list), true);
    // PUT replaces the contact; status fields the body leaves out keep their values.
    const updated: FakeContact = { ...existing, data: parsed.data };
    if (parsed.callable !== undefined) updated.callable = parsed.callable;
    if (parsed.phoneNumberStatus) updated.phoneNumberStatus = parsed.phoneNumberStatus;
    if (parsed.contactableStatus) updated.contactableStatus = parsed.contactableStatus;
    list.contacts.set(contactId, updated);
    return copy(updated);
  }

  getContact(listId: string, contactId: string): FakeContact {
    const contact = this.list(listId).contacts.get(contactId);
    if (!contact) {
      throw new FakeApiError(404, 'contact.not.found', 'Contact [{contactId}] was not found', {
        contactId,
      });
    }
    return copy(contact);
  }

  bulkGet(listId: string, body: unknown): FakeContact[] {
    const list = this.list(listId);
    if (!Array.isArray(body) || !body.every((id): id is string => typeof id === 'string')) {
      throw badRequest('The request body must be an array of contact ids');
    }
    if (body.length === 0 || body.length > LIMITS.idsPerBulkGet) {
      throw badRequest('Between 1 and {limit} contact ids may be requested, got {count}', {
        limit: String(LIMITS.idsPerBulkGet),
        count: String(body.length),
      });
    }
    return body.flatMap((id) => {
      const contact = list.contacts.get(id);
      return contact ? [copy(contact)] : [];
    });
  }

  deleteContacts(listId: string, ids: string[]): void {
    const list = this.list(listId);
    if (ids.length === 0 || ids.length > LIMITS.idsPerDelete) {
      throw badRequest('Between 1 and {limit} contactIds may be deleted per request, got {count}', {
        limit: String(LIMITS.idsPerDelete),
        count: String(ids.length),
      });
    }
    for (const id of ids) list.contacts.delete(id);
  }

  deleteContact(listId: string, contactId: string): void {
    this.getContact(listId, contactId);
    this.list(listId).contacts.delete(contactId);
  }

  /** Test helper: contacts as they sit in the list now. */
  contacts(listId: string): FakeContact[] {
    return [...this.list(listId).contacts.values()].map(copy);
  }

  /** Test helper: puts contacts in place (e.g. one Genesys already marked uncallable). */
  seed(listId: string, contacts: SeedContact[]): void {
    const list = this.list(listId);
    const parsed = contacts.map((c) => parseContact(c, this.shape(list), true));
    for (const contact of parsed) this.upsert(list, contact, { clearSystemData: true });
  }

  // ---- internals ----------------------------------------------------------

  private list(listId: string): StoredList {
    const list = this.lists.get(listId);
    if (!list) {
      throw new FakeApiError(
        404,
        'contact.list.not.found',
        'The contact list [{contactListId}] was not found',
        { contactListId: listId },
      );
    }
    return list;
  }

  private shape(list: StoredList): ListShape {
    return {
      id: list.id,
      columnNames: list.columnNames,
      phoneColumns: list.phoneColumns,
      emailColumns: list.emailColumns,
    };
  }

  /**
   * Upsert: an existing id gets the new data; its callable/phone/contactable
   * status (set by Genesys or an earlier PUT, e.g. an opt-out) survives unless
   * clearSystemData=true. That is why a sync must never set clearSystemData.
   */
  private upsert(list: StoredList, contact: ParsedContact, options: AddOptions): FakeContact {
    const id = contact.id ?? randomUUID();
    const existing = list.contacts.get(id);
    const stored: FakeContact =
      existing && !options.clearSystemData
        ? { ...existing, data: contact.data }
        : { id, contactListId: list.id, data: contact.data, callable: contact.callable ?? true };
    if (!existing || options.clearSystemData) {
      if (contact.phoneNumberStatus) stored.phoneNumberStatus = contact.phoneNumberStatus;
      if (contact.contactableStatus) stored.contactableStatus = contact.contactableStatus;
    }
    list.contacts.set(id, stored);
    return stored;
  }
}

function copy(contact: FakeContact): FakeContact {
  return structuredClone(contact);
}
