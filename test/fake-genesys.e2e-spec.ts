/**
 * The fake Genesys Cloud server itself: OAuth on the login host, bearer
 * checks and rate limiting. Faults and the request record are in
 * fake-genesys-faults.e2e-spec.ts, contact operations in
 * fake-genesys-contacts.e2e-spec.ts.
 */
import { FakeGenesys } from './fake-genesys/fake-genesys';
import {
  basic,
  callApi,
  getToken,
  readResponse,
  requestToken,
} from './fake-genesys/fake-genesys-test-client';

const LIST = '/api/v2/outbound/contactlists/list-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('fake Genesys Cloud: OAuth, bearer tokens, rate limit', () => {
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
});
