import { ErrorCode } from '../src/common/error-codes';
import { FakeGenesys } from './fake-genesys/fake-genesys';
import {
  bootWithRetries,
  failure,
  startConsentGenesys,
  stopConsentGenesys,
  type BootedGenesys,
} from './support/genesys-harness';

describe('Genesys OAuth and retries against the fake Genesys Cloud', () => {
  let fake: FakeGenesys;
  let app: BootedGenesys;
  let listId: string;

  beforeEach(async () => {
    ({ fake, app, listId } = await startConsentGenesys());
  });
  afterEach(() => stopConsentGenesys({ fake, app }));

  describe('OAuth token', () => {
    it('requests one token with Basic auth and a form body, shared by 50 concurrent calls', async () => {
      const infos = await Promise.all(
        Array.from({ length: 50 }, () => app.client.getContactList(listId)),
      );
      expect(infos.every((i) => i.columnNames.includes('gdpr_consent_flag'))).toBe(true);
      expect(fake.tokenRequests()).toBe(1);
      const tokenReq = fake.requests.find((r) => r.server === 'login');
      expect(tokenReq?.path).toBe('/oauth/token');
      expect(tokenReq?.headers.authorization).toBe(
        `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`,
      );
      expect(tokenReq?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(tokenReq?.rawBody).toBe('grant_type=client_credentials');
      expect(fake.apiRequests().filter((r) => r.status === 200)).toHaveLength(50);

      await app.client.getContactList(listId);
      expect(fake.tokenRequests()).toBe(1);
    });

    it('recovers from a revoked token with one refresh and one retry', async () => {
      await app.client.getContactList(listId);
      fake.expireAllTokens();
      await Promise.all(Array.from({ length: 10 }, () => app.client.getContactList(listId)));
      expect(fake.tokenRequests()).toBe(2);
      const statuses = fake.apiRequests().map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(11);
    });

    it('refreshes a short-lived token before it expires', async () => {
      const shortFake = await FakeGenesys.start({ tokenTtlSeconds: 2 });
      const id = shortFake.createContactList({ name: 'l', columnNames: ['a'] }).id;
      const short = await bootWithRetries(shortFake);
      try {
        await short.client.getContactList(id);
        await new Promise((r) => setTimeout(r, 1200));
        await short.client.getContactList(id);
        expect(shortFake.tokenRequests()).toBe(2);
        expect(shortFake.apiRequests().every((r) => r.status === 200)).toBe(true);
      } finally {
        await short.close();
        await shortFake.stop();
      }
    });

    it('reports rejected credentials as GENESYS_AUTH_FAILED without retrying or leaking the secret', async () => {
      const bad = await bootWithRetries(fake, { GENESYS_CLIENT_SECRET: 'wrong-secret-123' });
      try {
        const e = await failure(bad.client.getContactList(listId));
        expect(e.code).toBe(ErrorCode.GENESYS_AUTH_FAILED);
        expect(e.message).toContain('mypurecloud.ie');
        expect(e.message).not.toContain('wrong-secret-123');
        expect(fake.tokenRequests()).toBe(1);
        expect(fake.apiRequests()).toHaveLength(0);
      } finally {
        await bad.close();
      }
    });

    it('fails every operation with GENESYS_NOT_CONFIGURED when credentials are missing', async () => {
      const none = await bootWithRetries(fake, {
        GENESYS_REGION: '',
        GENESYS_CLIENT_ID: '',
        GENESYS_CLIENT_SECRET: '',
        GENESYS_API_BASE_URL: '',
        GENESYS_LOGIN_BASE_URL: '',
      });
      try {
        expect(none.client.isConfigured()).toBe(false);
        for (const call of [
          () => none.client.getContactList(listId),
          () => none.client.addContacts(listId, [{ id: 'a', data: {} }]),
          () => none.client.updateContact(listId, 'a', {}),
          () => none.client.getContacts(listId, ['a']),
          () => none.client.addPhoneNumbersToDnc('d', ['+353851234567']),
        ]) {
          const e = await failure(call());
          expect(e.code).toBe(ErrorCode.GENESYS_NOT_CONFIGURED);
          expect(e.message).toMatch(/GENESYS_REGION.*GENESYS_CLIENT_ID.*GENESYS_CLIENT_SECRET/);
        }
        expect(fake.requests).toHaveLength(0);
      } finally {
        await none.close();
      }
    });
  });

  describe('retries', () => {
    it('honours Retry-After on 429 (measured gap)', async () => {
      fake.injectFaults({ pathIncludes: '/contactlists/' }, [
        { kind: 'status', status: 429, retryAfterSeconds: 1 },
      ]);
      await app.client.getContactList(listId);
      const [first, second] = fake.apiRequests();
      expect(first?.status).toBe(429);
      expect(second?.status).toBe(200);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    });

    it('retries 5xx with backoff, then gives up with GENESYS_UNAVAILABLE after max retries', async () => {
      fake.injectFaults({ pathIncludes: '/contactlists/' }, [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 502 },
      ]);
      await app.client.getContactList(listId);
      expect(fake.apiRequests().map((r) => r.status)).toEqual([503, 502, 200]);

      fake.reset();
      fake.injectFaults(
        { pathIncludes: '/contactlists/' },
        Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 504 })),
      );
      const e = await failure(app.client.getContactList(listId));
      expect(e.code).toBe(ErrorCode.GENESYS_UNAVAILABLE);
      expect(fake.apiRequests()).toHaveLength(4); // 1 + GENESYS_MAX_RETRIES=3
      expect(e.details.extra?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('retries a dropped connection and a timed-out request', async () => {
      const quick = await bootWithRetries(fake, { GENESYS_TIMEOUT_MS: '300' });
      try {
        fake.injectFaults({ pathIncludes: '/contactlists/' }, [
          { kind: 'drop' },
          { kind: 'delay', ms: 1000 },
        ]);
        const info = await quick.client.getContactList(listId);
        expect(info.id).toBe(listId);
        expect(fake.apiRequests().length).toBeGreaterThanOrEqual(3);

        fake.reset();
        fake.injectFaults(
          { pathIncludes: '/contactlists/' },
          Array.from({ length: 4 }, () => ({ kind: 'delay' as const, ms: 1000 })),
        );
        const e = await failure(quick.client.getContactList(listId));
        expect(e.code).toBe(ErrorCode.GENESYS_TIMEOUT);
      } finally {
        await quick.close();
      }
    });
  });
});
