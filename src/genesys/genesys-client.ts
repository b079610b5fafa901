import type {
  AddChunkResult,
  AddContactsOptions,
  ContactDataInput,
  ContactListInfo,
  ContactToAdd,
  DialerContact,
  UpdateContactOptions,
  UpdateContactStatus,
} from './genesys.types';

/**
 * The port the Genesys module exports. Every method throws DomainError with a
 * GENESYS_* code (GENESYS_NOT_CONFIGURED when credentials are absent).
 */
export abstract class GenesysClient {
  abstract isConfigured(): boolean;
  /** Always asks Genesys (and refreshes the column cache used to check data before sending). */
  abstract getContactList(listId: string): Promise<ContactListInfo>;
  /**
   * PUT of the full contact: the existing contact is fetched (unless given in
   * `options.existing`) and `data` is merged over its data, so columns the
   * caller does not pass keep their values; statuses are only ever set to false.
   */
  abstract updateContact(
    listId: string,
    contactId: string,
    data: ContactDataInput,
    status?: UpdateContactStatus,
    options?: UpdateContactOptions,
  ): Promise<DialerContact>;
  /**
   * Upserts contacts in chunks of <= 1000 contacts and <= 512,000 bytes of JSON.
   * Resolves with one result per chunk (failed chunks do not throw); calls
   * `onChunk` as each chunk settles so callers can journal progress.
   */
  abstract addContacts(
    listId: string,
    contacts: ContactToAdd[],
    options?: AddContactsOptions & { onChunk?: (r: AddChunkResult) => void | Promise<void> },
  ): Promise<AddChunkResult[]>;
  /** Bulk get in chunks of 50; ids Genesys does not know are absent from the result. */
  abstract getContacts(listId: string, ids: string[]): Promise<DialerContact[]>;
  abstract addPhoneNumbersToDnc(
    dncListId: string,
    numbers: string[],
    expiresAt?: Date,
  ): Promise<void>;
  abstract addEmailsToDnc(dncListId: string, emails: string[], expiresAt?: Date): Promise<void>;
}
