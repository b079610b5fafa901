/**
 * Contact-list, contact and DNC operations of the fake Genesys Cloud server:
 * the limits, validation and upsert semantics our client is written against.
 */
import { FakeGenesys } from './fake-genesys/fake-genesys';
import { callApi, getToken, type FetchedResponse } from './fake-genesys/fake-genesys-test-client';

const LIST_ID = 'consent-list';
const LIST = `/api/v2/outbound/contactlists/${LIST_ID}`;
const CONTACTS = `${LIST}/contacts`;

const contact = (
  id: string,
  phone = '+353851234567',
): { id: string; data: Record<string, string> } => ({
  id,
  data: { first_name: 'Anna', phone, gdpr_consent_flag: 'true' },
});

function expectGenesysError(res: FetchedResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    message: expect.any(String),
    code,
    status,
    messageWithParams: expect.any(String),
    messageParams: expect.any(Object),
    contextId: res.headers.get('inin-correlation-id'),
    details: [],
    errors: [],
  });
}

describe('fake Genesys Cloud: contact lists, contacts, DNC lists', () => {
  let fake: FakeGenesys;
  let token: string;

  beforeEach(async () => {
    fake = await FakeGenesys.start();
    token = await getToken(fake);
    fake.createContactList({
      id: LIST_ID,
      name: 'Consent list',
      columnNames: ['first_name', 'phone', 'mobile', 'email', 'gdpr_consent_flag', 'note'],
      phoneColumns: [
        { columnName: 'phone', type: 'home' },
        { columnName: 'mobile', type: 'cell' },
      ],
      emailColumns: [{ columnName: 'email', type: 'personal' }],
    });
    fake.reset();
  });
  afterEach(async () => {
    await fake.stop();
  });

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    callApi(fake, token, method, path, body, headers);

  describe('GET contact list', () => {
    it('returns columns, phone and email columns, and the size when asked', async () => {
      await api('POST', CONTACTS, [contact('a'), contact('b')]);
      const res = await api('GET', `${LIST}?includeSize=true`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: LIST_ID,
        name: 'Consent list',
        version: 1,
        columnNames: ['first_name', 'phone', 'mobile', 'email', 'gdpr_consent_flag', 'note'],
        phoneColumns: [
          { columnName: 'phone', type: 'home' },
          { columnName: 'mobile', type: 'cell' },
        ],
        emailColumns: [{ columnName: 'email', type: 'personal' }],
        size: 2,
        dateCreated: expect.any(String),
      });
      expect((await api('GET', LIST)).body).not.toHaveProperty('size');
    });

    it('answers 404 contact.list.not.found with the full error body', async () => {
      const res = await api('GET', '/api/v2/outbound/contactlists/missing');
      expectGenesysError(res, 404, 'contact.list.not.found');
      expect(res.body).toMatchObject({ messageParams: { contactListId: 'missing' } });
    });
  });

  describe('POST contacts (add)', () => {
    it('accepts 1000 contacts and refuses 1001 without storing any', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => contact(`c${i}`));
      const tooMany = await api('POST', CONTACTS, many);
      expectGenesysError(tooMany, 400, 'bad.request');
      expect(fake.contacts(LIST_ID)).toHaveLength(0);

      const ok = await api('POST', CONTACTS, many.slice(0, 1000));
      expect(ok.status).toBe(200);
      expect(ok.body).toHaveLength(1000);
      expect(fake.contacts(LIST_ID)).toHaveLength(1000);
    });

    it('accepts a body of 512,000 bytes and answers 413 to 512,001 bytes', async () => {
      // Multi-byte characters: the limit is on bytes, not characters.
      const json = JSON.stringify([{ id: 'big', data: { note: 'é'.repeat(200) } }]);
      const padTo = (bytes: number): string => json + ' '.repeat(bytes - Buffer.byteLength(json));
      const over = await api('POST', CONTACTS, padTo(512_001));
      expectGenesysError(over, 413, 'request.entity.too.large');
      expect(fake.contacts(LIST_ID)).toHaveLength(0);
      const atLimit = await api('POST', CONTACTS, padTo(512_000));
      expect(atLimit.status).toBe(200);
      expect(fake.requests.map((r) => r.bodyBytes)).toEqual([512_001, 512_000]);
    });

    it('refuses unknown columns naming them, and stores nothing from that request', async () => {
      const res = await api('POST', CONTACTS, [
        contact('good'),
        { id: 'bad', data: { phone: '1', CustomAttr: 'x', phone_number: '2' } },
      ]);
      expectGenesysError(res, 400, 'invalid.contact.columns');
      expect(res.body).toMatchObject({
        messageParams: { contactId: 'bad', columns: 'CustomAttr, phone_number' },
        message: expect.stringContaining('CustomAttr, phone_number'),
      });
      expect(fake.contacts(LIST_ID)).toEqual([]);
    });

    it.each([
      ['a number', { phone: 353851234567 }, 'bad.request'],
      ['a boolean', { gdpr_consent_flag: true }, 'bad.request'],
      ['an object', { note: { a: 1 } }, 'bad.request'],
      [
        'a value over 512 characters',
        { note: 'x'.repeat(513) },
        'contact.datum.length.limit.exceeded',
      ],
      ['no columns', {}, 'contact.missing.columns'],
    ])('refuses data with %s', async (_case, data, code) => {
      const res = await api('POST', CONTACTS, [{ id: 'c1', data }]);
      expectGenesysError(res, 400, code);
    });

    it.each([
      ['an empty id', '', 'invalid.contact.id'],
      ['whitespace', 'crm 1', 'invalid.contact.id'],
      ['a slash', 'crm/1', 'invalid.contact.id'],
      ['a control character', 'crm\u00011', 'invalid.contact.id'],
      ['256 characters', 'x'.repeat(256), 'contact.id.length.limit.exceeded'],
    ])('refuses a contact id with %s, naming it', async (_case, id, code) => {
      const res = await api('POST', CONTACTS, [contact('fine'), contact(id)]);
      expectGenesysError(res, 400, code);
      expect(res.body).toMatchObject({ messageParams: { contactId: id } });
      expect(fake.contacts(LIST_ID)).toEqual([]);
    });

    it('accepts ids of 255 characters and assigns an id when none is given', async () => {
      const res = await api('POST', CONTACTS, [contact('y'.repeat(255)), { data: { phone: '1' } }]);
      expect(res.status).toBe(200);
      const [long, generated] = res.body as { id: string }[];
      expect(long?.id).toHaveLength(255);
      expect(generated?.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('upserts by id: data is replaced, the stored callable status survives', async () => {
      const first = await api('POST', CONTACTS, [contact('c1', '+111')]);
      expect(first.body).toEqual([
        {
          id: 'c1',
          contactListId: LIST_ID,
          data: { first_name: 'Anna', phone: '+111', gdpr_consent_flag: 'true' },
          callable: true,
        },
      ]);
      await api('PUT', `${CONTACTS}/c1`, { ...contact('c1', '+111'), callable: false });

      const again = await api('POST', CONTACTS, [
        { id: 'c1', data: { phone: '+222' }, callable: true },
      ]);
      expect(again.status).toBe(200);
      expect(fake.contacts(LIST_ID)).toEqual([
        { id: 'c1', contactListId: LIST_ID, data: { phone: '+222' }, callable: false },
      ]);

      // clearSystemData=true is what can undo an opt-out.
      await api('POST', `${CONTACTS}?clearSystemData=true`, [
        { id: 'c1', data: { phone: '+222' } },
      ]);
      expect(fake.contacts(LIST_ID)[0]?.callable).toBe(true);
    });

    it('validates the query flags and the content type', async () => {
      expectGenesysError(
        await api('POST', `${CONTACTS}?priority=yes`, [contact('a')]),
        400,
        'bad.request',
      );
      expectGenesysError(
        await api('POST', CONTACTS, JSON.stringify([contact('a')]), {
          'Content-Type': 'text/plain',
        }),
        415,
        'unsupported.media.type',
      );
      expectGenesysError(await api('POST', CONTACTS, '[{"id":'), 400, 'bad.request');
      expectGenesysError(await api('POST', CONTACTS, { id: 'a' }), 400, 'bad.request');
      expect(fake.contacts(LIST_ID)).toEqual([]);
    });
  });

  describe('PUT, GET and DELETE a contact', () => {
    it('replaces data and sets callable, phoneNumberStatus and contactableStatus', async () => {
      await api('POST', CONTACTS, [contact('c1')]);
      const res = await api('PUT', `${CONTACTS}/c1`, {
        id: 'c1',
        contactListId: LIST_ID,
        data: { phone: '+353', email: 'anna@example.com' },
        callable: false,
        phoneNumberStatus: { phone: { callable: false } },
        contactableStatus: {
          Email: { contactable: false, columnStatus: { email: { contactable: false } } },
        },
      });
      expect(res.status).toBe(200);
      const expected = {
        id: 'c1',
        contactListId: LIST_ID,
        data: { phone: '+353', email: 'anna@example.com' },
        callable: false,
        phoneNumberStatus: { phone: { callable: false } },
        contactableStatus: {
          Email: { contactable: false, columnStatus: { email: { contactable: false } } },
        },
      };
      expect(res.body).toEqual(expected);
      expect((await api('GET', `${CONTACTS}/c1`)).body).toEqual(expected);

      // A later PUT that leaves the status fields out keeps them.
      await api('PUT', `${CONTACTS}/c1`, { data: { phone: '+354' } });
      expect(fake.contacts(LIST_ID)[0]).toEqual({ ...expected, data: { phone: '+354' } });
    });

    it('answers contact.does.not.exist for a missing contact and refuses bad status maps', async () => {
      for (const data of [{ phone: '1' }, {}]) {
        expectGenesysError(
          await api('PUT', `${CONTACTS}/ghost`, { data }),
          400,
          'contact.does.not.exist',
        );
      }
      await api('POST', CONTACTS, [contact('c1')]);
      const byColumn = await api('PUT', `${CONTACTS}/c1`, {
        data: { phone: '1' },
        contactableStatus: { email: { contactable: false } },
      });
      expectGenesysError(byColumn, 400, 'bad.request');
      expect(byColumn.body).toMatchObject({ messageParams: { medium: 'email' } });
      const notPhone = await api('PUT', `${CONTACTS}/c1`, {
        data: { phone: '1' },
        phoneNumberStatus: { email: { callable: false } },
      });
      expectGenesysError(notPhone, 400, 'bad.request');
      const otherId = await api('PUT', `${CONTACTS}/c1`, { id: 'c2', data: { phone: '1' } });
      expectGenesysError(otherId, 400, 'bad.request');
      const otherList = await api('PUT', `${CONTACTS}/c1`, {
        contactListId: 'another-list',
        data: { phone: '1' },
      });
      expectGenesysError(otherList, 400, 'bad.request');
      const phoneAsEmail = await api('PUT', `${CONTACTS}/c1`, {
        data: { phone: '1' },
        contactableStatus: {
          Email: { contactable: true, columnStatus: { phone: { contactable: false } } },
        },
      });
      expectGenesysError(phoneAsEmail, 400, 'bad.request');
      expect(fake.contacts(LIST_ID)[0]).toEqual({
        ...contact('c1'),
        contactListId: LIST_ID,
        callable: true,
      });
    });

    it('GET answers 404 for an unknown contact; DELETE removes contacts', async () => {
      await api('POST', CONTACTS, [contact('a'), contact('b'), contact('c')]);
      expectGenesysError(await api('GET', `${CONTACTS}/zz`), 404, 'contact.not.found');
      expect((await api('DELETE', `${CONTACTS}?contactIds=a&contactIds=b`)).status).toBe(204);
      expect(fake.contacts(LIST_ID).map((c) => c.id)).toEqual(['c']);
      const tooMany = Array.from({ length: 251 }, (_, i) => `contactIds=x${i}`).join('&');
      expectGenesysError(await api('DELETE', `${CONTACTS}?${tooMany}`), 400, 'bad.request');
      expectGenesysError(await api('DELETE', CONTACTS), 400, 'bad.request');
    });
  });

  describe('POST contacts/bulk', () => {
    it('returns the contacts it has, for at most 50 ids', async () => {
      await api('POST', CONTACTS, [contact('a'), contact('b')]);
      const res = await api('POST', `${CONTACTS}/bulk`, ['b', 'unknown', 'a']);
      expect(res.status).toBe(200);
      expect((res.body as { id: string }[]).map((c) => c.id)).toEqual(['b', 'a']);
      const ids = Array.from({ length: 51 }, (_, i) => `id${i}`);
      expectGenesysError(await api('POST', `${CONTACTS}/bulk`, ids), 400, 'bad.request');
      expect((await api('POST', `${CONTACTS}/bulk`, ids.slice(0, 50))).status).toBe(200);
    });
  });

  describe('DNC lists', () => {
    it('adds phone numbers and email addresses, once each', async () => {
      const { id } = fake.createDncList({ id: 'dnc-1', name: 'Internal DNC' });
      const phones = await api('POST', `/api/v2/outbound/dnclists/${id}/phonenumbers`, [
        '+49301234567',
        '+353851234567',
      ]);
      expect(phones.status).toBe(204);
      await api(
        'POST',
        `/api/v2/outbound/dnclists/${id}/phonenumbers?expirationDateTime=2027-01-01T00:00:00Z`,
        ['+49301234567'],
      );
      const emails = await api('POST', `/api/v2/outbound/dnclists/${id}/emailaddresses`, [
        'anna@example.com',
      ]);
      expect(emails.status).toBe(204);
      expect(fake.dncEntries(id)).toEqual({
        phoneNumbers: ['+49301234567', '+353851234567'],
        emailAddresses: ['anna@example.com'],
        expirations: { '+49301234567': '2027-01-01T00:00:00Z' },
      });
    });

    it('refuses unknown lists and bodies that are not arrays of strings', async () => {
      expectGenesysError(
        await api('POST', '/api/v2/outbound/dnclists/nope/phonenumbers', ['+4930']),
        404,
        'dnc.list.not.found',
      );
      fake.createDncList({ id: 'dnc-2' });
      expectGenesysError(
        await api('POST', '/api/v2/outbound/dnclists/dnc-2/emailaddresses', [{ email: 'a@b.c' }]),
        400,
        'bad.request',
      );
      expect(fake.dncEntries('dnc-2').emailAddresses).toEqual([]);
    });
  });
});
