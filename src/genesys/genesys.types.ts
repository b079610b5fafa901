/**
 * The Genesys Cloud module's public contract (see docs/genesys-setup.md and
 * ../shared/docs/genesys-cloud-api.md). Other modules depend only on these
 * types and on GenesysClient.
 */

export interface GenesysPhoneColumn {
  columnName: string;
  type: string;
  callableTimeColumn?: string;
}
export interface GenesysEmailColumn {
  columnName: string;
  type: string;
  contactableTimeColumn?: string;
}
export interface ContactListInfo {
  id: string;
  name: string;
  version?: number;
  columnNames: string[];
  phoneColumns: GenesysPhoneColumn[];
  emailColumns: GenesysEmailColumn[];
  size?: number;
}

/** Values given to the client; converted to strings (objects are refused). */
export type ContactDataInput = Record<string, string | number | boolean | null | undefined>;

export interface ContactToAdd {
  id: string;
  data: ContactDataInput;
  callable?: boolean;
}

export interface DialerContact {
  id: string;
  contactListId: string;
  data: Record<string, string>;
  callable?: boolean;
  phoneNumberStatus?: Record<string, { callable: boolean }>;
  /**
   * Keyed by media type (`Email`, `SMS`, `Voice`); `columnStatus` marks single
   * address columns (added after the first contract; optional).
   */
  contactableStatus?: Record<string, ContactableStatus>;
}

export interface ContactableStatus {
  contactable: boolean;
  columnStatus?: Record<string, { contactable: boolean }>;
}

/** Options of GenesysClient.updateContact (added after the first contract; optional). */
export interface UpdateContactOptions {
  /**
   * The contact as already fetched (e.g. by getContacts): saves the GET that
   * updateContact otherwise makes to send the full data map.
   */
  existing?: DialerContact;
}

export interface UpdateContactStatus {
  /** Set the contact not callable. */
  uncallable?: boolean;
  /** Phone columns to mark not callable. */
  uncallablePhoneColumns?: string[];
  /** Email columns to mark not contactable. */
  uncontactableEmailColumns?: string[];
}

/** Serialisable description of a Genesys failure (never contains secrets or contact data). */
export interface GenesysFailure {
  code: string;
  message: string;
  status?: number;
  genesysCode?: string;
  messageWithParams?: string;
  correlationId?: string;
}

export interface AddChunkResult {
  /** Index of the chunk, in order sent. */
  chunk: number;
  /** Ids of the contacts in this chunk, in input order. */
  ids: string[];
  ok: boolean;
  /** Contacts Genesys returned (ok chunks). */
  accepted?: DialerContact[];
  error?: GenesysFailure;
}

export interface AddContactsOptions {
  /** Never set unless the caller explicitly asks: it clears stored callable status and can undo an opt-out. */
  clearSystemData?: boolean;
  priority?: boolean;
  doNotQueue?: boolean;
}
