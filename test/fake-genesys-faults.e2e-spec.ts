/**
 * The fake Genesys Cloud server's test controls: injected faults, the request
 * record, and the demo world `npm run fake-genesys` starts.
 */
import { DEMO_LIST_ID, demoBanner, demoEnv, startDemo } from './fake-genesys/demo-setup';
import { FakeGenesys, type RecordedRequest } from './fake-genesys/fake-genesys';
import { basic, callApi, getToken, requestToken } from './fake-genesys/fake-genesys-test-client';

const LIST = '/api/v2/outbound/contactlists/list-1';

describe('fake Genesys Cloud: faults, recording, demo', () => {
  const time = { now: Date.UTC(2026, 0, 1) };
  let fake: FakeGenesys;

  beforeEach(async () => {
    time.now = Date.UTC(2026, 0, 1);
    fake = await FakeGenesys.start({ now: () => time.now });
    fake.createContactList({ id: 'list-1', name: 'List 1', columnNames: ['phone'] });
  });
  afterEach(async () => {
    await fake.stop();
  });

  describe('injected faults', () => {
    it('answers the next matching requests with the given statuses, in order', async () => {
      const token = await getToken(fake);
      fake.injectFaults({ method: 'GET', pathIncludes: 'list-1' }, [
        { kind: 'status', status: 503, retryAfterSeconds: 7 },
        { kind: 'status', status: 502, body: { message: 'custom' } },
      ]);
      const first = await callApi(fake, token, 'GET', LIST);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('7');
      expect(first.body).toMatchObject({ code: 'service.unavailable', status: 503 });
      const second = await callApi(fake, token, 'GET', LIST);
      expect(second).toMatchObject({ status: 502, body: { message: 'custom' } });
      expect(second.headers.get('retry-after')).toBeNull();
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
      expect(fake.pendingFaults()).toBe(0);
    });

    it('only faults requests that match method, path and server', async () => {
      const token = await getToken(fake);
      fake.injectFaults({ server: 'login' }, [{ kind: 'status', status: 500 }]);
      fake.injectFaults({ method: 'POST', pathIncludes: '/contacts' }, [
        { kind: 'status', status: 504 },
      ]);
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
      expect((await requestToken(fake)).status).toBe(500);
      expect((await requestToken(fake)).status).toBe(200);
      const post = await callApi(fake, token, 'POST', `${LIST}/contacts`, [
        { id: 'a', data: { phone: '1' } },
      ]);
      expect(post.status).toBe(504);
      expect(fake.contacts('list-1')).toEqual([]);
    });

    it('delays a response, then handles it normally', async () => {
      const token = await getToken(fake);
      fake.injectFaults({ pathIncludes: 'list-1' }, [{ kind: 'delay', ms: 300 }]);
      const started = performance.now();
      const res = await callApi(fake, token, 'GET', LIST);
      expect(performance.now() - started).toBeGreaterThanOrEqual(280);
      expect(res.status).toBe(200);
    });

    it('drops the connection without a response and records status 0', async () => {
      const token = await getToken(fake);
      fake.injectFaults({ pathIncludes: 'list-1' }, [{ kind: 'drop' }]);
      await expect(callApi(fake, token, 'GET', LIST)).rejects.toThrow();
      expect(fake.apiRequests('list-1')).toEqual([expect.objectContaining({ status: 0 })]);
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
    });

    it("with phase 'after', stores the contacts and then drops or delays the response", async () => {
      const token = await getToken(fake);
      fake.injectFaults({ method: 'POST' }, [
        { kind: 'drop', phase: 'after' },
        { kind: 'delay', ms: 400, phase: 'after' },
      ]);
      await expect(
        callApi(fake, token, 'POST', `${LIST}/contacts`, [{ id: 'a', data: { phone: '1' } }]),
      ).rejects.toThrow();
      expect(fake.contacts('list-1').map((c) => c.id)).toEqual(['a']);

      const slow = callApi(fake, token, 'POST', `${LIST}/contacts`, [
        { id: 'b', data: { phone: '2' } },
      ]);
      const deadline = performance.now() + 5_000;
      while (fake.contacts('list-1').length < 2 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Stored while the response is still held back.
      expect(fake.contacts('list-1').map((c) => c.id)).toEqual(['a', 'b']);
      expect(fake.apiRequests('/contacts').map((r) => r.status)).toEqual([0, 0]);
      expect((await slow).status).toBe(200);
      expect(fake.apiRequests('/contacts').map((r) => r.status)).toEqual([0, 200]);
    });
  });

  describe('request record', () => {
    it('records every request on both hosts in order with headers, query and body', async () => {
      const token = await getToken(fake);
      await callApi(fake, token, 'POST', `${LIST}/contacts?priority=true&clearSystemData=false`, [
        { id: 'c1', data: { phone: '+353851234567' } },
      ]);
      await callApi(fake, token, 'DELETE', `${LIST}/contacts?contactIds=c1&contactIds=c2`);

      const [login, add, del] = fake.requests;
      expect(fake.requests).toHaveLength(3);
      expect(login).toMatchObject<Partial<RecordedRequest>>({
        seq: 1,
        server: 'login',
        method: 'POST',
        path: '/oauth/token',
        body: { grant_type: 'client_credentials' },
        status: 200,
      });
      expect(login?.headers.authorization).toBe(basic('test-client', 'test-secret'));
      expect(add).toMatchObject({
        seq: 2,
        server: 'api',
        path: `${LIST}/contacts`,
        query: { priority: 'true', clearSystemData: 'false' },
        body: [{ id: 'c1', data: { phone: '+353851234567' } }],
        status: 200,
        at: time.now,
      });
      expect(add?.headers.authorization).toBe(`Bearer ${token}`);
      expect(add?.bodyBytes).toBe(Buffer.byteLength(add?.rawBody ?? ''));
      expect(del).toMatchObject({ seq: 3, query: { contactIds: ['c1', 'c2'] }, status: 204 });
      expect(fake.tokenRequests()).toBe(1);

      fake.reset();
      expect(fake.requests).toHaveLength(0);
      expect(fake.tokenRequests()).toBe(0);
      // Lists and tokens survive a reset.
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
    });
  });

  it('can keep only body sizes, for long benchmarks', async () => {
    await fake.stop();
    fake = await FakeGenesys.start({ recordBodies: false });
    fake.createContactList({ id: 'list-1', name: 'List 1', columnNames: ['phone'] });
    const token = await getToken(fake);
    const res = await callApi(fake, token, 'POST', `${LIST}/contacts`, [
      { id: 'a', data: { phone: '1' } },
    ]);
    expect(res.status).toBe(200);
    expect(fake.contacts('list-1')).toHaveLength(1);
    const [, add] = fake.requests;
    expect(add).toMatchObject({ rawBody: '', body: undefined, status: 200 });
    expect(add?.bodyBytes).toBe(
      Buffer.byteLength(JSON.stringify([{ id: 'a', data: { phone: '1' } }])),
    );
  });

  describe('demo set-up (npm run fake-genesys)', () => {
    it('prints variables that get a token and find a list with the consent columns', async () => {
      const demo = await startDemo();
      try {
        const env = demoEnv(demo);
        const banner = demoBanner(demo, env);
        for (const [name, value] of Object.entries(env)) {
          expect(banner).toContain(`export ${name}=${value}`);
        }
        expect(env).toMatchObject({ GENESYS_REGION: 'mypurecloud.ie' });
        const token = await getToken(demo, {
          id: env.GENESYS_CLIENT_ID ?? '',
          secret: env.GENESYS_CLIENT_SECRET ?? '',
        });
        const list = await callApi(
          demo,
          token,
          'GET',
          `/api/v2/outbound/contactlists/${DEMO_LIST_ID}`,
        );
        expect(list.status).toBe(200);
        expect((list.body as { columnNames: string[] }).columnNames).toEqual(
          expect.arrayContaining([
            'gdpr_consent_flag',
            'gdpr_consent_scope',
            'gdpr_consent_updated',
            'gdpr_policy_version',
            'phone_number',
            'email',
          ]),
        );
        expect(demo.dncEntries(env.SYNC_DNC_LIST_ID ?? '')).toMatchObject({ phoneNumbers: [] });
      } finally {
        await demo.stop();
      }
    });
  });
});
