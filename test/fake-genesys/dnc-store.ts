/** The fake's internal DNC lists: phone numbers and email addresses Genesys must not contact. */
import { randomUUID } from 'node:crypto';
import { HOME_DIVISION } from './contact-store';
import { badRequest, FakeApiError } from './genesys-errors';

interface StoredDncList {
  id: string;
  name: string;
  version: number;
  dateCreated: string;
  // Maps keep insertion order and make re-adding an entry a no-op, as in Genesys.
  phoneNumbers: Map<string, string | undefined>;
  emailAddresses: Map<string, string | undefined>;
}

export class DncStore {
  private readonly dncLists = new Map<string, StoredDncList>();

  constructor(private readonly now: () => number) {}

  create(opts: { id?: string; name?: string } = {}): { id: string } {
    const id = opts.id ?? randomUUID();
    if (this.dncLists.has(id)) throw new Error(`DNC list ${id} already exists`);
    this.dncLists.set(id, {
      id,
      name: opts.name ?? `DNC ${id}`,
      version: 1,
      dateCreated: new Date(this.now()).toISOString(),
      phoneNumbers: new Map(),
      emailAddresses: new Map(),
    });
    return { id };
  }

  view(dncListId: string): Record<string, unknown> {
    const dnc = this.dnc(dncListId);
    return {
      id: dnc.id,
      name: dnc.name,
      version: dnc.version,
      dateCreated: dnc.dateCreated,
      dncSourceType: 'rds',
      division: HOME_DIVISION,
      selfUri: `/api/v2/outbound/dnclists/${encodeURIComponent(dnc.id)}`,
    };
  }

  add(
    dncListId: string,
    kind: 'phoneNumbers' | 'emailAddresses',
    body: unknown,
    expirationDateTime: string | undefined,
  ): void {
    const dnc = this.dnc(dncListId);
    if (!Array.isArray(body) || body.length === 0) {
      throw badRequest('The request body must be a non-empty array of strings');
    }
    if (!body.every((v): v is string => typeof v === 'string' && v.trim().length > 0)) {
      throw badRequest('Every DNC entry must be a non-empty string');
    }
    if (expirationDateTime !== undefined && Number.isNaN(Date.parse(expirationDateTime))) {
      throw badRequest('expirationDateTime [{value}] is not an ISO-8601 date-time', {
        value: expirationDateTime,
      });
    }
    for (const entry of body) dnc[kind].set(entry, expirationDateTime);
  }

  entries(dncListId: string): {
    phoneNumbers: string[];
    emailAddresses: string[];
    expirations: Record<string, string>;
  } {
    const dnc = this.dnc(dncListId);
    const expirations: Record<string, string> = {};
    for (const [entry, expiry] of [...dnc.phoneNumbers, ...dnc.emailAddresses]) {
      if (expiry !== undefined) expirations[entry] = expiry;
    }
    return {
      phoneNumbers: [...dnc.phoneNumbers.keys()],
      emailAddresses: [...dnc.emailAddresses.keys()],
      expirations,
    };
  }

  private dnc(dncListId: string): StoredDncList {
    const dnc = this.dncLists.get(dncListId);
    if (!dnc) {
      throw new FakeApiError(
        404,
        'dnc.list.not.found',
        'The DNC list [{dncListId}] was not found',
        {
          dncListId,
        },
      );
    }
    return dnc;
  }
}
