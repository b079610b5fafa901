import type { GenesysClient } from '../genesys/genesys-client';
import type {
  AddChunkResult,
  ContactListInfo,
  ContactToAdd,
  DialerContact,
  GenesysFailure,
} from '../genesys/genesys.types';
import { isAbortWorthy, isBisectable, scrubFailure, SyncAbort, toFailure } from './sync-errors';

export interface SendItem {
  index: number;
  id: string;
  contact: unknown;
  payload: ContactToAdd;
}

export interface UncallableItem {
  index: number;
  id: string;
  contact: unknown;
}

export type SendOutcome = { ok: true } | { ok: false; error: GenesysFailure };
export type UncallableOutcome =
  { kind: 'absent' } | { kind: 'updated' } | { kind: 'failed'; error: GenesysFailure };

export interface SenderContext {
  listId: string;
  list: ContactListInfo;
  consentFlagColumn: string;
  policyVersionColumn: string;
  policyTag: string;
  dncListId?: string;
  /** Called with the number of contacts in every add request, including bisection retries. */
  onRequest?: (contacts: number) => void;
}

/**
 * Talks to Genesys for one job: upserts approved contacts (narrowing a
 * rejected request down to the contacts Genesys named) and sets rejected
 * contacts that already exist in the list not callable.
 */
export class SyncSender {
  constructor(
    private readonly genesys: GenesysClient,
    private readonly ctx: SenderContext,
  ) {}

  /** One outcome per item, keyed by input index. Throws SyncAbort on list-wide failures. */
  async send(items: SendItem[]): Promise<Map<number, SendOutcome>> {
    const out = new Map<number, SendOutcome>();
    await this.sendInto(items, out);
    return out;
  }

  private async sendInto(items: SendItem[], out: Map<number, SendOutcome>): Promise<void> {
    if (items.length === 0) return;
    this.ctx.onRequest?.(items.length);
    let results: AddChunkResult[];
    try {
      results = await this.genesys.addContacts(
        this.ctx.listId,
        items.map((i) => i.payload),
      );
    } catch (e) {
      const failure = toFailure(e);
      if (isAbortWorthy(failure)) throw new SyncAbort(failure);
      // Treat a thrown error like one failed chunk covering everything.
      results = [{ chunk: 0, ids: items.map((i) => i.id), ok: false, error: failure }];
    }
    // Chunks are contiguous slices of the request, in order.
    let cursor = 0;
    for (const result of [...results].sort((a, b) => a.chunk - b.chunk)) {
      const slice = items.slice(cursor, cursor + result.ids.length);
      cursor += result.ids.length;
      if (result.ok) {
        for (const item of slice) out.set(item.index, { ok: true });
        continue;
      }
      const error = scrubFailure(
        result.error ?? { code: 'GENESYS_ERROR', message: 'chunk failed' },
      );
      if (isAbortWorthy(error)) throw new SyncAbort(error);
      if (isBisectable(error) && slice.length > 1) {
        const mid = Math.ceil(slice.length / 2);
        await this.sendInto(slice.slice(0, mid), out);
        await this.sendInto(slice.slice(mid), out);
        continue;
      }
      for (const item of slice) out.set(item.index, { ok: false, error });
    }
    // Defensive: a client that reported fewer ids than sent must not lose contacts.
    for (const item of items.slice(cursor)) {
      if (!out.has(item.index))
        out.set(item.index, {
          ok: false,
          error: { code: 'GENESYS_ERROR', message: 'no result reported for this contact' },
        });
    }
  }

  /**
   * For rejected contacts: those present in the list get callable=false (and
   * their phone/email columns not callable/contactable), the consent flag set
   * to "false"; with a DNC list configured their addresses are added to it.
   */
  async markUncallable(items: UncallableItem[]): Promise<Map<number, UncallableOutcome>> {
    const out = new Map<number, UncallableOutcome>();
    if (items.length === 0) return out;
    let existing: DialerContact[];
    try {
      existing = await this.genesys.getContacts(this.ctx.listId, [
        ...new Set(items.map((i) => i.id)),
      ]);
    } catch (e) {
      const error = toFailure(e);
      if (isAbortWorthy(error)) throw new SyncAbort(error);
      for (const item of items) out.set(item.index, { kind: 'failed', error });
      return out;
    }
    const byId = new Map(existing.map((c) => [c.id, c]));
    const phoneColumns = this.ctx.list.phoneColumns.map((c) => c.columnName);
    const emailColumns = this.ctx.list.emailColumns.map((c) => c.columnName);
    const updated = new Map<string, UncallableOutcome>();
    await Promise.all(
      [...byId.values()].map(async (contact) => {
        try {
          await this.genesys.updateContact(
            this.ctx.listId,
            contact.id,
            {
              // The client merges these over the contact's data (PUT sends the full map).
              [this.ctx.consentFlagColumn]: 'false',
              [this.ctx.policyVersionColumn]: this.ctx.policyTag,
            },
            {
              uncallable: true,
              uncallablePhoneColumns: phoneColumns,
              uncontactableEmailColumns: emailColumns,
            },
            { existing: contact },
          );
          updated.set(contact.id, { kind: 'updated' });
        } catch (e) {
          const error = toFailure(e);
          // Deleted between the bulk get and the PUT: nothing left to stop dialing.
          if (
            error.code === 'GENESYS_NOT_FOUND' &&
            error.genesysCode !== 'contact.list.not.found'
          ) {
            updated.set(contact.id, { kind: 'absent' });
            return;
          }
          if (isAbortWorthy(error)) throw new SyncAbort(error);
          updated.set(contact.id, { kind: 'failed', error });
        }
      }),
    );
    if (this.ctx.dncListId !== undefined) {
      await this.addToDnc(
        [...byId.values()].filter((c) => updated.get(c.id)?.kind === 'updated'),
        phoneColumns,
        emailColumns,
        updated,
      );
    }
    for (const item of items) out.set(item.index, updated.get(item.id) ?? { kind: 'absent' });
    return out;
  }

  private async addToDnc(
    contacts: DialerContact[],
    phoneColumns: string[],
    emailColumns: string[],
    outcomes: Map<string, UncallableOutcome>,
  ): Promise<void> {
    const dnc = this.ctx.dncListId;
    if (dnc === undefined || contacts.length === 0) return;
    const values = (c: DialerContact, cols: string[]): string[] =>
      cols
        .map((col) => c.data[col])
        .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const phones = [...new Set(contacts.flatMap((c) => values(c, phoneColumns)))];
    const emails = [...new Set(contacts.flatMap((c) => values(c, emailColumns)))];
    try {
      if (phones.length > 0) await this.genesys.addPhoneNumbersToDnc(dnc, phones);
      if (emails.length > 0) await this.genesys.addEmailsToDnc(dnc, emails);
    } catch (e) {
      const error = toFailure(e);
      if (isAbortWorthy(error)) throw new SyncAbort(error);
      // The contacts are already not callable; failing them puts them in the retry file so the DNC add is retried.
      for (const c of contacts) outcomes.set(c.id, { kind: 'failed', error });
    }
  }
}
