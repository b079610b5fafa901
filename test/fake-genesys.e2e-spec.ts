/**
 * The fake Genesys Cloud server itself: OAuth on the login host, bearer
 * checks, rate limiting, injected faults and the request record. Contact
 * operations are in fake-genesys-contacts.e2e-spec.ts.
 */
import { DEMO_LIST_ID, demoBanner, demoEnv, startDemo } from './fake-genesys/demo-setup';
import { FakeGenesys, type RecordedRequest } from './fake-genesys/fake-genesys';
import {
  basic,
  callApi,
  getToken,
  readResponse,
  requestToken,
} from './fake-genesys/fake-genesys-test-client';

const LIST = '/api/v2/outbound/contactlists/list-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('fake Genesys Cloud: auth, limits, faults, recording', () => {
  const time = { now: Date.UTC(2026, 0, 1) };
  let fake: FakeGenesys;

  beforeEach(async () => {
    time.now = Date.UTC(2026, 0, 1);
    fake = await FakeGenesys.start({ tokenTtlSeconds: 3600, now: () => time.now });
    fake.createContactList({ id: 'list-1', name: 'List 1', columnNames: ['phone'] });
  });
  afterEach(async () => {
    await fake.stop();
  });

  describe('POST /oauth/token', () => {
    it('issues a bearer token for a client-credentials grant with Basic auth and a form body', async () => {
      const res = await requestToken(fake);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]{40,}$/),
        token_type: 'bearer',
        expires_in: 3600,
      });
      const token = (res.body as { access_token: string }).access_token;
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
      expect(await getToken(fake)).not.toBe(token);
    });

    it.each([
      ['a wrong secret', basic('test-client', 'nope')],
      ['an unknown client', basic('someone', 'test-secret')],
      ['no Basic header', undefined],
      ['a bearer header', 'Bearer abc'],
    ])('refuses %s with invalid_client', async (_case, authorization) => {
      const headers: Record<string, string> = {
        'Content-Type': 'application/x-www-form-urlencoded',
      };
      if (authorization) headers.Authorization = authorization;
      const res = await readResponse(
        await fetch(`${fake.loginBaseUrl}/oauth/token`, {
          method: 'POST',
          headers,
          body: 'grant_type=client_credentials',
        }),
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'invalid_client',
        description: 'authentication failed',
        error_description: 'authentication failed',
      });
    });

    it('requires a form body with grant_type=client_credentials', async () => {
      const auth = basic('test-client', 'test-secret');
      const asJson = await readResponse(
        await fetch(`${fake.loginBaseUrl}/oauth/token`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
        }),
      );
      expect(asJson.status).toBe(400);
      expect(asJson.body).toMatchObject({ error: 'invalid_request' });

      const wrongGrant = await readResponse(
        await fetch(`${fake.loginBaseUrl}/oauth/token`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=password',
        }),
      );
      expect(wrongGrant.status).toBe(400);
      expect(wrongGrant.body).toMatchObject({ error: 'unsupported_grant_type' });
      expect(fake.validTokens()).toHaveLength(0);
    });

    it('lives on the login host only', async () => {
      const res = await readResponse(
        await fetch(`${fake.apiBaseUrl}/oauth/token`, {
          method: 'POST',
          headers: {
            Authorization: basic('test-client', 'test-secret'),
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        }),
      );
      expect(res.status).toBe(404);
      expect(fake.validTokens()).toHaveLength(0);
    });

    it('rate-limits token requests per client and counts them', async () => {
      await fake.stop();
      fake = await FakeGenesys.start({ tokenRateLimitPerMinute: 2, now: () => time.now });
      expect((await requestToken(fake)).status).toBe(200);
      expect((await requestToken(fake)).status).toBe(200);
      time.now += 15_000;
      const limited = await requestToken(fake);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      expect(fake.tokenRequests()).toBe(3);
      time.now += 45_000;
      expect((await requestToken(fake)).status).toBe(200);
    });
  });

  describe('bearer tokens on the API host', () => {
    it('answers 401 bad.credentials with the Genesys error body for missing and unknown tokens', async () => {
      for (const token of [undefined, 'made-up-token']) {
        const res = await callApi(fake, token, 'GET', LIST);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          message: expect.any(String),
          code: 'bad.credentials',
          status: 401,
          messageWithParams: expect.any(String),
          messageParams: {},
          contextId: res.headers.get('inin-correlation-id'),
          details: [],
          errors: [],
        });
      }
    });

    it('expires tokens after expires_in and on expireAllTokens()', async () => {
      const token = await getToken(fake);
      time.now += 3599_000;
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
      time.now += 1_000;
      const expired = await callApi(fake, token, 'GET', LIST);
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ code: 'bad.credentials' });

      const fresh = await getToken(fake);
      expect((await callApi(fake, fresh, 'GET', LIST)).status).toBe(200);
      fake.expireAllTokens();
      expect((await callApi(fake, fresh, 'GET', LIST)).status).toBe(401);
      expect((await callApi(fake, await getToken(fake), 'GET', LIST)).status).toBe(200);
    });
  });

  describe('rate limit', () => {
    it('counts per token in a fixed window, then answers 429 with Retry-After', async () => {
      fake.setRateLimit(3);
      const token = await getToken(fake);
      for (const expected of ['1', '2', '3']) {
        const res = await callApi(fake, token, 'GET', LIST);
        expect(res.status).toBe(200);
        expect(res.headers.get('inin-ratelimit-count')).toBe(expected);
        expect(res.headers.get('inin-ratelimit-allowed')).toBe('3');
        expect(res.headers.get('inin-ratelimit-reset')).toBe('60');
      }
      time.now += 20_500;
      const limited = await callApi(fake, token, 'GET', LIST);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('inin-ratelimit-reset')).toBe('40');
      expect(limited.headers.get('inin-ratelimit-count')).toBe('3');
      expect(limited.body).toMatchObject({
        code: 'too.many.requests.retry.after',
        status: 429,
        messageParams: { retryAfter: '40' },
        limit: { value: 3 },
        details: [],
        errors: [],
      });

      // Another token has its own window.
      expect((await callApi(fake, await getToken(fake), 'GET', LIST)).status).toBe(200);

      time.now += 39_500;
      const next = await callApi(fake, token, 'GET', LIST);
      expect(next.status).toBe(200);
      expect(next.headers.get('inin-ratelimit-count')).toBe('1');
    });

    it('supports a short window and switching the limit off', async () => {
      fake.setRateLimit(1, 2_000);
      const token = await getToken(fake);
      expect((await callApi(fake, token, 'GET', LIST)).status).toBe(200);
      const limited = await callApi(fake, token, 'GET', LIST);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      fake.setRateLimit(undefined);
      const open = await callApi(fake, token, 'GET', LIST);
      expect(open.status).toBe(200);
      expect(open.headers.get('inin-ratelimit-allowed')).toBe('1000000');
    });

    it('puts ratelimit headers and a correlation id on every API response', async () => {
      const token = await getToken(fake);
      const responses = [
        await callApi(fake, token, 'GET', LIST),
        await callApi(fake, token, 'GET', '/api/v2/outbound/contactlists/nope'),
        await callApi(fake, undefined, 'GET', LIST),
      ];
      const ids = responses.map((r) => r.headers.get('inin-correlation-id'));
      for (const [i, res] of responses.entries()) {
        expect(ids[i]).toMatch(UUID);
        expect(res.headers.get('inin-ratelimit-count')).toMatch(/^\d+$/);
        expect(res.headers.get('inin-ratelimit-allowed')).toMatch(/^\d+$/);
        expect(res.headers.get('inin-ratelimit-reset')).toMatch(/^\d+$/);
      }
      expect(new Set(ids).size).toBe(3);
    });
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
