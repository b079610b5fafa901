import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { GenesysClient } from './genesys-client';
import {
  BULK_GET_CHUNK,
  DNC_CHUNK,
  MAX_ADD_BODY_BYTES,
  assertKnownColumns,
  chunksOf,
  packChunks,
  prepareContact,
  toGenesysData,
  type PreparedChunk,
  type PreparedContact,
} from './genesys-contact-data';
import { runChunks, type OnChunk } from './genesys-chunk-runner';
import { assertColumnsOfKind, requireId, withUncontactableEmails } from './genesys-contact-status';
import { failureOf } from './genesys-errors';
import { GenesysHttpClient } from './genesys-http.client';
import { toContactListInfo, toDialerContact, toDialerContacts } from './genesys-mappers';
import type {
  AddChunkResult,
  AddContactsOptions,
  ContactDataInput,
  ContactListInfo,
  ContactToAdd,
  DialerContact,
  GenesysFailure,
  UpdateContactOptions,
  UpdateContactStatus,
} from './genesys.types';

/** Failures after which every further chunk of the same call would fail the same way. */
const FATAL_FOR_CALL = new Set<ErrorCode>([
  ErrorCode.GENESYS_NOT_CONFIGURED,
  ErrorCode.GENESYS_AUTH_FAILED,
  ErrorCode.GENESYS_FORBIDDEN,
  ErrorCode.GENESYS_NOT_FOUND,
]);

const enc = encodeURIComponent;
const listPath = (listId: string): string => `/api/v2/outbound/contactlists/${enc(listId)}`;

/** Contact-list operations of Genesys Cloud Outbound (the GenesysClient port). */
@Injectable()
export class GenesysContactListClient extends GenesysClient {
  /** Contact lists by id, for column checks before sending; kept for the client's lifetime. */
  private readonly lists = new Map<string, ContactListInfo>();
  private readonly log: ContextLogger;

  constructor(
    private readonly http: GenesysHttpClient,
    private readonly config: AppConfig,
    logger: AppLogger,
  ) {
    super();
    this.log = logger.child('Genesys');
  }

  isConfigured(): boolean {
    return this.http.isConfigured();
  }

  async getContactList(listId: string): Promise<ContactListInfo> {
    const res = await this.http.request({
      operation: 'getContactList',
      method: 'GET',
      path: listPath(listId),
      query: { includeSize: true },
    });
    const info = toContactListInfo(res.data);
    this.lists.set(listId, info);
    return info;
  }

  /** Forgets cached list columns (one list, or all); the next operation re-reads them. */
  forgetContactList(listId?: string): void {
    if (listId === undefined) this.lists.clear();
    else this.lists.delete(listId);
  }

  private async listInfo(listId: string): Promise<ContactListInfo> {
    return this.lists.get(listId) ?? (await this.getContactList(listId));
  }

  async updateContact(
    listId: string,
    contactId: string,
    data: ContactDataInput,
    status: UpdateContactStatus = {},
    options: UpdateContactOptions = {},
  ): Promise<DialerContact> {
    this.http.endpoints();
    requireId(contactId);
    const info = await this.listInfo(listId);
    const update = toGenesysData(data, contactId);
    assertKnownColumns(listId, info.columnNames, Object.keys(update));
    const phoneCols = info.phoneColumns.map((c) => c.columnName);
    const emailCols = info.emailColumns.map((c) => c.columnName);
    assertColumnsOfKind(listId, 'phone', phoneCols, status.uncallablePhoneColumns ?? []);
    assertColumnsOfKind(listId, 'email', emailCols, status.uncontactableEmailColumns ?? []);

    // Whether PUT merges or replaces `data` is unconfirmed, so always send the
    // full map: the stored contact's data with the caller's values over it.
    const existing = options.existing ?? (await this.getContact(listId, contactId));
    const body: Record<string, unknown> = {
      id: contactId,
      contactListId: listId,
      data: { ...existing.data, ...update },
    };
    const callable = status.uncallable ? false : existing.callable;
    if (callable !== undefined) body.callable = callable;
    const phoneStatus = { ...(existing.phoneNumberStatus ?? {}) };
    for (const col of status.uncallablePhoneColumns ?? []) phoneStatus[col] = { callable: false };
    if (Object.keys(phoneStatus).length > 0) body.phoneNumberStatus = phoneStatus;
    const contactable = withUncontactableEmails(
      existing.contactableStatus,
      emailCols,
      status.uncontactableEmailColumns ?? [],
    );
    if (contactable) body.contactableStatus = contactable;

    const res = await this.http.request({
      operation: 'updateContact',
      method: 'PUT',
      path: `${listPath(listId)}/contacts/${enc(contactId)}`,
      body: JSON.stringify(body),
    });
    return res.data === undefined
      ? toDialerContact(body, 'updateContact')
      : toDialerContact(res.data, 'updateContact');
  }

  private async getContact(listId: string, contactId: string): Promise<DialerContact> {
    const res = await this.http.request({
      operation: 'getContact',
      method: 'GET',
      path: `${listPath(listId)}/contacts/${enc(contactId)}`,
    });
    return toDialerContact(res.data, 'getContact');
  }

  async addContacts(
    listId: string,
    contacts: ContactToAdd[],
    options: AddContactsOptions & { onChunk?: OnChunk } = {},
  ): Promise<AddChunkResult[]> {
    this.http.endpoints();
    if (contacts.length === 0) return [];
    const info = await this.listInfo(listId);
    // Check everything before the first byte is sent: a bad column or value
    // is the caller's bug and must not leave a half-imported list behind.
    const used = new Set<string>();
    const data = contacts.map((c) => {
      requireId(c.id);
      const d = toGenesysData(c.data, c.id);
      for (const col of Object.keys(d)) used.add(col);
      return d;
    });
    assertKnownColumns(listId, info.columnNames, used);

    const prepared = (function* (): Generator<PreparedContact> {
      for (let i = 0; i < contacts.length; i++)
        yield prepareContact(listId, contacts[i]!, data[i]!);
    })();
    const chunks = packChunks(prepared);
    const query = {
      priority: options.priority,
      // Sent explicitly (false unless asked): true clears attempts and stored
      // callable statuses, which can undo an opt-out.
      clearSystemData: options.clearSystemData === true,
      doNotQueue: options.doNotQueue,
    };
    if (options.clearSystemData === true) {
      this.log.warn('addContacts with clearSystemData=true: stored callable statuses are reset', {
        listId,
      });
    }

    let fatal: GenesysFailure | undefined;
    const sendChunk = async (index: number, chunk: PreparedChunk): Promise<AddChunkResult> => {
      const base = { chunk: index, ids: chunk.ids };
      if (fatal) return { ...base, ok: false, error: fatal };
      if (chunk.bytes > MAX_ADD_BODY_BYTES) {
        const e = new DomainError(
          ErrorCode.GENESYS_PAYLOAD_TOO_LARGE,
          `Contact "${chunk.ids[0] ?? ''}" alone serialises to ${chunk.bytes} bytes, over Genesys' ${MAX_ADD_BODY_BYTES}-byte request limit; it was not sent.`,
        );
        return { ...base, ok: false, error: failureOf(e) };
      }
      try {
        const res = await this.http.request({
          operation: 'addContacts',
          method: 'POST',
          path: `${listPath(listId)}/contacts`,
          query,
          body: chunk.body,
        });
        return { ...base, ok: true, accepted: toDialerContacts(res.data, 'addContacts') };
      } catch (e: unknown) {
        if (!(e instanceof DomainError)) throw e;
        const failure = failureOf(e);
        if (FATAL_FOR_CALL.has(e.code)) fatal = failure;
        // The list changed under us: re-read its columns next time.
        if (e.code === ErrorCode.GENESYS_UNKNOWN_COLUMNS) this.lists.delete(listId);
        this.log.warn('addContacts chunk failed', {
          listId,
          chunk: index,
          contacts: chunk.ids.length,
          code: e.code,
          genesysCode: failure.genesysCode,
          correlationId: failure.correlationId,
        });
        return { ...base, ok: false, error: failure };
      }
    };
    return runChunks(chunks, sendChunk, this.config.genesys.concurrency, options.onChunk);
  }

  async getContacts(listId: string, ids: string[]): Promise<DialerContact[]> {
    this.http.endpoints();
    const parts = await Promise.all(
      chunksOf(ids, BULK_GET_CHUNK).map(async (chunk) => {
        const res = await this.http.request({
          operation: 'getContacts',
          method: 'POST',
          path: `${listPath(listId)}/contacts/bulk`,
          body: JSON.stringify(chunk),
        });
        return toDialerContacts(res.data, 'getContacts');
      }),
    );
    return parts.flat();
  }

  addPhoneNumbersToDnc(dncListId: string, numbers: string[], expiresAt?: Date): Promise<void> {
    return this.addToDnc(dncListId, 'phonenumbers', 'addPhoneNumbersToDnc', numbers, expiresAt);
  }

  addEmailsToDnc(dncListId: string, emails: string[], expiresAt?: Date): Promise<void> {
    return this.addToDnc(dncListId, 'emailaddresses', 'addEmailsToDnc', emails, expiresAt);
  }

  private async addToDnc(
    dncListId: string,
    kind: 'phonenumbers' | 'emailaddresses',
    operation: string,
    entries: string[],
    expiresAt?: Date,
  ): Promise<void> {
    this.http.endpoints();
    const unique = [...new Set(entries.map((e) => e.trim()).filter((e) => e.length > 0))];
    // Sequential on purpose: DNC adds are rare and small, and a failure stops
    // at a known point instead of leaving parallel writes in flight.
    for (const chunk of chunksOf(unique, DNC_CHUNK)) {
      await this.http.request({
        operation,
        method: 'POST',
        path: `/api/v2/outbound/dnclists/${enc(dncListId)}/${kind}`,
        query: { expirationDateTime: expiresAt?.toISOString() },
        body: JSON.stringify(chunk),
      });
    }
    this.log.info('added entries to DNC list', { dncListId, kind, count: unique.length });
  }
}
