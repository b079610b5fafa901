import { ErrorCode } from '../src/common/error-codes';
import type { FakeGenesys } from './fake-genesys/fake-genesys';
import { SYNC_LIST_COLUMNS } from './fixtures/sync-contacts';
import {
  failure,
  startConsentGenesys,
  stopConsentGenesys,
  type BootedGenesys,
} from './support/genesys-harness';

describe('Genesys contact-list operations against the fake Genesys Cloud', () => {
  let fake: FakeGenesys;
  let app: BootedGenesys;
  let listId: string;

  beforeEach(async () => {
    ({ fake, app, listId } = await startConsentGenesys());
  });
  afterEach(() => stopConsentGenesys({ fake, app }));

  describe('contact-list operations', () => {
    const contact = (i: number, extra: Record<string, string> = {}) => ({
      id: `crm-${i}`,
      data: {
        first_name: `Name${i}`,
        phone_number: `+35385${String(i).padStart(7, '0')}`,
        gdpr_consent_flag: true,
        gdpr_policy_version: '2.0.0',
        ...extra,
      },
    });

    it('reads list columns and phone/email columns', async () => {
      const info = await app.client.getContactList(listId);
      expect(info).toMatchObject({
        id: listId,
        name: 'consent test',
        columnNames: SYNC_LIST_COLUMNS,
        phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
        emailColumns: [{ columnName: 'email', type: 'personal' }],
      });
    });

    it('maps an unknown list to GENESYS_NOT_FOUND with Genesys code and correlation id', async () => {
      const e = await failure(app.client.getContactList('no-such-list'));
      expect(e.code).toBe(ErrorCode.GENESYS_NOT_FOUND);
      expect(e.details.extra).toMatchObject({ genesysCode: 'contact.list.not.found', status: 404 });
      expect(e.details.extra?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('splits 2500 contacts into 3 requests; each lands once; clearSystemData=false is explicit', async () => {
      const seen: number[] = [];
      const results = await app.client.addContacts(
        listId,
        Array.from({ length: 2500 }, (_, i) => contact(i)),
        {
          onChunk: async (r) => {
            await new Promise((res) => setTimeout(res, 5));
            seen.push(r.chunk);
          },
        },
      );
      expect(results.map((r) => [r.chunk, r.ids.length, r.ok])).toEqual([
        [0, 1000, true],
        [1, 1000, true],
        [2, 500, true],
      ]);
      expect(seen).toEqual([0, 1, 2]);
      const posts = fake.apiRequests('/contacts').filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(3);
      expect(posts.every((p) => p.query.clearSystemData === 'false')).toBe(true);
      const stored = fake.contacts(listId);
      expect(stored).toHaveLength(2500);
      expect(stored.find((c) => c.id === 'crm-7')?.data).toMatchObject({
        gdpr_consent_flag: 'true',
        phone_number: '+353850000007',
      });
    });

    it('splits by size: 1000 big contacts go in several requests of at most 512,000 bytes', async () => {
      const big = Array.from({ length: 1000 }, (_, i) =>
        contact(i, { gdpr_consent_scope: 's'.repeat(500), gdpr_consent_updated: 'u'.repeat(200) }),
      );
      const results = await app.client.addContacts(listId, big);
      const posts = fake.apiRequests('/contacts').filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThanOrEqual(2);
      for (const p of posts) {
        expect(p.bodyBytes).toBeLessThanOrEqual(512_000);
        expect(p.status).toBe(200);
      }
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.flatMap((r) => r.ids)).toEqual(big.map((c) => c.id));
      const ids = fake.contacts(listId).map((c) => c.id);
      expect(new Set(ids).size).toBe(1000);
    });

    it('catches unknown columns before sending anything', async () => {
      const e = await failure(
        app.client.addContacts(listId, [contact(1, { zip: '1234', City: 'Dublin' })]),
      );
      expect(e.code).toBe(ErrorCode.GENESYS_UNKNOWN_COLUMNS);
      expect(e.details.extra?.unknownColumns).toEqual(['City', 'zip']);
      expect(fake.apiRequests('/contacts')).toHaveLength(0);
    });

    it('refuses object values naming the column, not the value, before sending', async () => {
      const bad = { id: 'x', data: { first_name: { a: 'b' } } } as never;
      const e = await failure(app.client.addContacts(listId, [bad]));
      expect(e.code).toBe(ErrorCode.GENESYS_INVALID_DATA);
      expect(e.message).toContain('first_name');
      expect(fake.apiRequests('/contacts')).toHaveLength(0);
    });

    it('reports a chunk Genesys refuses without failing the others', async () => {
      const contacts = Array.from({ length: 1500 }, (_, i) => contact(i));
      contacts[1200] = { ...contacts[1200]!, id: 'bad id/with slash' };
      const results = await app.client.addContacts(listId, contacts);
      expect(results[0]?.ok).toBe(true);
      expect(results[1]).toMatchObject({
        ok: false,
        error: {
          code: ErrorCode.GENESYS_BAD_REQUEST,
          genesysCode: 'invalid.contact.id',
          status: 400,
        },
      });
      expect(results[1]?.error?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.contacts(listId)).toHaveLength(1000);
    });

    it('carries a 400 Genesys code and messageWithParams', async () => {
      fake.injectFaults({ method: 'POST', pathIncludes: '/contacts' }, [
        {
          kind: 'status',
          status: 400,
          body: {
            message: 'Value for column gdpr_consent_scope too long',
            code: 'contact.datum.length.limit.exceeded',
            status: 400,
            messageWithParams: 'Value for column {column} too long',
            messageParams: { column: 'gdpr_consent_scope' },
          },
        },
      ]);
      const [r] = await app.client.addContacts(listId, [contact(1)]);
      expect(r?.ok).toBe(false);
      expect(r?.error).toMatchObject({
        code: ErrorCode.GENESYS_BAD_REQUEST,
        genesysCode: 'contact.datum.length.limit.exceeded',
        messageWithParams: 'Value for column {column} too long',
      });
      expect(fake.apiRequests('/contacts')).toHaveLength(1);
    });

    it('updates a contact with the full data map and marks it uncallable', async () => {
      await app.client.addContacts(listId, [
        contact(1, { email: 'anna@example.com', gdpr_consent_scope: 'cold_call' }),
      ]);
      const updated = await app.client.updateContact(
        listId,
        'crm-1',
        { gdpr_consent_flag: false, gdpr_policy_version: '3.0.0' },
        {
          uncallable: true,
          uncallablePhoneColumns: ['phone_number'],
          uncontactableEmailColumns: ['email'],
        },
      );
      expect(updated.callable).toBe(false);
      const put = fake.apiRequests('/contacts/crm-1').find((r) => r.method === 'PUT');
      expect((put?.body as { data: Record<string, string> }).data).toEqual({
        first_name: 'Name1',
        phone_number: '+353850000001',
        email: 'anna@example.com',
        gdpr_consent_flag: 'false',
        gdpr_consent_scope: 'cold_call',
        gdpr_policy_version: '3.0.0',
      });
      const [stored] = fake.contacts(listId);
      expect(stored).toMatchObject({
        callable: false,
        phoneNumberStatus: { phone_number: { callable: false } },
        contactableStatus: { Email: { contactable: false } },
      });
      expect(stored?.data.first_name).toBe('Name1');
    });

    it('fails to update a contact that is not in the list with GENESYS_NOT_FOUND', async () => {
      const e = await failure(app.client.updateContact(listId, 'missing', { first_name: 'x' }));
      expect(e.code).toBe(ErrorCode.GENESYS_NOT_FOUND);
      expect(e.details.extra?.genesysCode).toBe('contact.not.found');
      expect(fake.apiRequests().filter((r) => r.method === 'PUT')).toHaveLength(0);
      // With the contact passed in (no GET), Genesys' own 400 contact.does.not.exist maps the same.
      const existing = { id: 'missing', contactListId: listId, data: { first_name: 'x' } };
      const e2 = await failure(
        app.client.updateContact(listId, 'missing', {}, { uncallable: true }, { existing }),
      );
      expect(e2.code).toBe(ErrorCode.GENESYS_NOT_FOUND);
      expect(e2.details.extra?.genesysCode).toBe('contact.does.not.exist');
    });

    it('gets contacts in bulk chunks of 50; unknown ids are absent', async () => {
      await app.client.addContacts(
        listId,
        Array.from({ length: 110 }, (_, i) => contact(i)),
      );
      fake.reset();
      const ids = [...Array.from({ length: 110 }, (_, i) => `crm-${i}`), 'nope-1', 'nope-2'];
      const found = await app.client.getContacts(listId, ids);
      expect(found).toHaveLength(110);
      const bulk = fake.apiRequests('/contacts/bulk');
      expect(bulk.map((r) => (r.body as string[]).length)).toEqual([50, 50, 12]);
    });

    it('adds phone numbers and emails to a DNC list in chunks', async () => {
      const dnc = fake.createDncList().id;
      const numbers = Array.from({ length: 1500 }, (_, i) => `+4930${String(i).padStart(7, '0')}`);
      const expires = new Date('2027-01-01T00:00:00.000Z');
      await app.client.addPhoneNumbersToDnc(dnc, [...numbers, numbers[0]!], expires);
      await app.client.addEmailsToDnc(dnc, ['a@example.com', 'b@example.com']);
      const posts = fake.apiRequests(`/dnclists/${dnc}`);
      expect(posts.map((p) => (p.body as string[]).length)).toEqual([1000, 500, 2]);
      expect(posts[0]?.query.expirationDateTime).toBe('2027-01-01T00:00:00.000Z');
      const entries = fake.dncEntries(dnc);
      expect(entries.phoneNumbers).toHaveLength(1500);
      expect(entries.emailAddresses).toEqual(['a@example.com', 'b@example.com']);
    });
  });
});
