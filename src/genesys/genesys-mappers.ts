import { isObj } from '../common/is-object';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type {
  ContactListInfo,
  ContactableStatus,
  DialerContact,
  GenesysEmailColumn,
  GenesysPhoneColumn,
} from './genesys.types';

function malformed(operation: string, what: string): DomainError {
  return new DomainError(
    ErrorCode.GENESYS_ERROR,
    `Genesys Cloud ${operation} returned an unexpected response (${what}).`,
    { extra: { operation } },
  );
}

/** Keeps the contact-list fields we use; everything else Genesys sends is dropped. */
export function toContactListInfo(raw: unknown): ContactListInfo {
  if (!isObj(raw) || typeof raw.id !== 'string' || !Array.isArray(raw.columnNames)) {
    throw malformed('getContactList', 'no id or columnNames');
  }
  const phoneColumns: GenesysPhoneColumn[] = [];
  for (const p of Array.isArray(raw.phoneColumns) ? raw.phoneColumns : []) {
    if (!isObj(p) || typeof p.columnName !== 'string') continue;
    const col: GenesysPhoneColumn = {
      columnName: p.columnName,
      type: typeof p.type === 'string' ? p.type : '',
    };
    if (typeof p.callableTimeColumn === 'string') col.callableTimeColumn = p.callableTimeColumn;
    phoneColumns.push(col);
  }
  const emailColumns: GenesysEmailColumn[] = [];
  for (const e of Array.isArray(raw.emailColumns) ? raw.emailColumns : []) {
    if (!isObj(e) || typeof e.columnName !== 'string') continue;
    const col: GenesysEmailColumn = {
      columnName: e.columnName,
      type: typeof e.type === 'string' ? e.type : '',
    };
    if (typeof e.contactableTimeColumn === 'string')
      col.contactableTimeColumn = e.contactableTimeColumn;
    emailColumns.push(col);
  }
  const info: ContactListInfo = {
    id: raw.id,
    name: typeof raw.name === 'string' ? raw.name : '',
    columnNames: raw.columnNames.filter((c): c is string => typeof c === 'string'),
    phoneColumns,
    emailColumns,
  };
  if (typeof raw.version === 'number') info.version = raw.version;
  if (typeof raw.size === 'number') info.size = raw.size;
  return info;
}

export function toDialerContact(raw: unknown, operation: string): DialerContact {
  if (!isObj(raw) || typeof raw.id !== 'string') throw malformed(operation, 'contact without id');
  const data: Record<string, string> = {};
  if (isObj(raw.data)) {
    for (const [k, v] of Object.entries(raw.data)) {
      if (typeof v === 'string') data[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') data[k] = String(v);
    }
  }
  const contact: DialerContact = {
    id: raw.id,
    contactListId: typeof raw.contactListId === 'string' ? raw.contactListId : '',
    data,
  };
  if (typeof raw.callable === 'boolean') contact.callable = raw.callable;
  if (isObj(raw.phoneNumberStatus)) {
    const pns: Record<string, { callable: boolean }> = {};
    for (const [k, v] of Object.entries(raw.phoneNumberStatus)) {
      if (isObj(v) && typeof v.callable === 'boolean') pns[k] = { callable: v.callable };
    }
    contact.phoneNumberStatus = pns;
  }
  if (isObj(raw.contactableStatus)) {
    const cs: Record<string, ContactableStatus> = {};
    for (const [k, v] of Object.entries(raw.contactableStatus)) {
      if (!isObj(v)) continue;
      const entry: ContactableStatus = {
        contactable: typeof v.contactable === 'boolean' ? v.contactable : true,
      };
      if (isObj(v.columnStatus)) {
        const colStatus: Record<string, { contactable: boolean }> = {};
        for (const [col, st] of Object.entries(v.columnStatus)) {
          if (isObj(st) && typeof st.contactable === 'boolean')
            colStatus[col] = { contactable: st.contactable };
        }
        entry.columnStatus = colStatus;
      }
      cs[k] = entry;
    }
    contact.contactableStatus = cs;
  }
  return contact;
}

export function toDialerContacts(raw: unknown, operation: string): DialerContact[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw malformed(operation, 'not an array of contacts');
  return raw.map((c) => toDialerContact(c, operation));
}
