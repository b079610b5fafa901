/**
 * In-memory stand-ins for the ports the sync job uses (GenesysClient,
 * AuditLog, PolicyRegistry, the contact reader), for unit tests of the job
 * logic without HTTP or disk beyond the job directory.
 */
import { DomainError } from '../../common/domain-error';
import { ErrorCode } from '../../common/error-codes';
import type { AuditBatch, AuditHealth, AuditLog } from '../../audit/audit.types';
import type { InputFormat, InputRecord } from '../../contacts/contact-reader';
import { GenesysClient } from '../../genesys/genesys-client';
import type {
  AddChunkResult,
  ContactDataInput,
  ContactListInfo,
  ContactToAdd,
  DialerContact,
  UpdateContactStatus,
} from '../../genesys/genesys.types';
import type { PolicyRegistry } from '../../policy/policy-registry';
import type { CompiledPolicy, Decision } from '../../policy/policy.types';
import { SyncInput } from '../sync-input';

export const COLUMNS = [
  'phone_number',
  'email',
  'first_name',
  'gdpr_consent_flag',
  'gdpr_consent_scope',
  'gdpr_consent_updated',
  'gdpr_policy_version',
];

export class MemoryGenesys extends GenesysClient {
  readonly lists = new Map<
    string,
    { info: ContactListInfo; contacts: Map<string, DialerContact> }
  >();
  readonly events: string[] = [];
  readonly adds: string[][] = [];
  readonly updates: { id: string; data: ContactDataInput; status?: UpdateContactStatus }[] = [];
  readonly dnc: string[] = [];
  /** Ids Genesys refuses with a 400 naming them (like contact.datum.length.limit.exceeded). */
  readonly badIds = new Set<string>();
  /** Throws this on the n-th add request (1-based). */
  failOnAdd?: { n: number; error: DomainError };

  constructor(columns = COLUMNS) {
    super();
    this.lists.set('list-1', {
      info: {
        id: 'list-1',
        name: 'Spring campaign',
        columnNames: columns,
        phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
        emailColumns: [{ columnName: 'email', type: 'Work' }],
      },
      contacts: new Map(),
    });
  }
  isConfigured(): boolean {
    return true;
  }
  private list(id: string): { info: ContactListInfo; contacts: Map<string, DialerContact> } {
    const l = this.lists.get(id);
    if (!l) throw new DomainError(ErrorCode.GENESYS_NOT_FOUND, 'contact list not found');
    return l;
  }
  getContactList(listId: string): Promise<ContactListInfo> {
    return Promise.resolve(this.list(listId).info);
  }
  updateContact(
    listId: string,
    contactId: string,
    data: ContactDataInput,
    status?: UpdateContactStatus,
  ): Promise<DialerContact> {
    const c = this.list(listId).contacts.get(contactId);
    if (!c) return Promise.reject(new DomainError(ErrorCode.GENESYS_NOT_FOUND, 'no contact'));
    this.updates.push({ id: contactId, data, status });
    for (const [k, v] of Object.entries(data)) c.data[k] = String(v);
    if (status?.uncallable) c.callable = false;
    return Promise.resolve(c);
  }
  addContacts(listId: string, contacts: ContactToAdd[]): Promise<AddChunkResult[]> {
    const n = this.adds.length + 1;
    this.adds.push(contacts.map((c) => c.id));
    this.events.push(`add:${contacts.map((c) => c.id).join(',')}`);
    if (this.failOnAdd?.n === n) return Promise.reject(this.failOnAdd.error);
    const ids = contacts.map((c) => c.id);
    const bad = ids.find((id) => this.badIds.has(id));
    if (bad !== undefined) {
      return Promise.resolve([
        {
          chunk: 0,
          ids,
          ok: false,
          error: {
            code: 'GENESYS_BAD_REQUEST',
            status: 400,
            message: `value too long for contact ${bad}`,
            genesysCode: 'contact.datum.length.limit.exceeded',
          },
        },
      ]);
    }
    const list = this.list(listId);
    for (const c of contacts) {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.data))
        if (v !== null && v !== undefined) data[k] = String(v);
      list.contacts.set(c.id, { id: c.id, contactListId: listId, data, callable: true });
    }
    return Promise.resolve([{ chunk: 0, ids, ok: true }]);
  }
  getContacts(listId: string, ids: string[]): Promise<DialerContact[]> {
    const list = this.list(listId);
    return Promise.resolve(
      ids.flatMap((id) => (list.contacts.has(id) ? [list.contacts.get(id) as DialerContact] : [])),
    );
  }
  addPhoneNumbersToDnc(_dnc: string, numbers: string[]): Promise<void> {
    this.dnc.push(...numbers);
    return Promise.resolve();
  }
  addEmailsToDnc(_dnc: string, emails: string[]): Promise<void> {
    this.dnc.push(...emails);
    return Promise.resolve();
  }
}

export class MemoryAudit implements AuditLog {
  readonly batches: AuditBatch[] = [];
  /** Rejects the n-th append (1-based) like a full disk would. */
  failOn?: number;
  private calls = 0;
  constructor(private readonly events: string[]) {}
  open(): Promise<void> {
    return Promise.resolve();
  }
  health(): Promise<AuditHealth> {
    return Promise.resolve({ up: true });
  }
  append(batch: AuditBatch): Promise<void> {
    this.calls += 1;
    if (this.calls === this.failOn)
      return Promise.reject(new DomainError(ErrorCode.AUDIT_UNAVAILABLE, 'audit log not writable'));
    this.batches.push(batch);
    this.events.push(`audit:${batch.items.length}`);
    return Promise.resolve();
  }
}

/** Approves scope cold_call with a timestamp; everything else is SCOPE_MISMATCH. */
export const policy = {
  ref: { id: 'gdpr-consent', version: '1.0.0', digest: 'sha256:0123456789abcdef0123' },
  evaluate(contact: unknown): Decision {
    const c = contact as Record<string, unknown>;
    const ok = c.consent_scope === 'cold_call';
    return ok
      ? { decision: 'APPROVED', code: 'VALIDATION_PASSED', codes: [], warnings: [], violations: [] }
      : {
          decision: 'REJECTED',
          code: 'SCOPE_MISMATCH',
          codes: ['SCOPE_MISMATCH'],
          warnings: [],
          violations: [],
        };
  },
} as unknown as CompiledPolicy;

export const registry = {
  resolve: () => policy,
  get: () => policy,
} as unknown as PolicyRegistry;

export class MemoryInput extends SyncInput {
  constructor(private readonly records: () => InputRecord[]) {
    super();
  }
  detect(): InputFormat {
    return 'ndjson';
  }
  async *read(): AsyncIterable<InputRecord> {
    for (const r of this.records()) {
      await Promise.resolve();
      yield r;
    }
  }
}
