import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FakeGenesys } from './fake-genesys/fake-genesys';
import { bootGenesys as boot } from './support/genesys-harness';

describe('Genesys client resilience against the fake', () => {
  let fake: FakeGenesys;
  afterEach(async () => {
    await fake.stop();
  });

  it('paces a burst under a rate limit instead of causing a 429 storm', async () => {
    // 40 requests per 2 s window; 130 calls need at least 4 windows.
    fake = await FakeGenesys.start({ rateLimitPerMinute: 40, rateLimitWindowMs: 2000 });
    const listId = fake.createContactList({ name: 'l', columnNames: ['a'] }).id;
    const app = await boot(fake, { GENESYS_CONCURRENCY: '4' });
    try {
      const results = await Promise.all(
        Array.from({ length: 130 }, () => app.client.getContactList(listId)),
      );
      expect(results).toHaveLength(130);
      const api = fake.apiRequests();
      const throttled = api.filter((r) => r.status === 429).length;
      expect(api.filter((r) => r.status === 200)).toHaveLength(130);
      // Pacing keeps us under the limit (0 in practice); one stray 429 at a window edge is tolerated.
      expect(throttled).toBeLessThanOrEqual(1);
    } finally {
      await app.close();
    }
  });

  it('never lets the client secret, the Basic credential or a bearer token reach logs or errors', async () => {
    fake = await FakeGenesys.start({ tokenTtlSeconds: 3600 });
    const listId = fake.createContactList({
      name: 'l',
      columnNames: ['phone_number', 'email', 'first_name'],
      phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
      emailColumns: [{ columnName: 'email', type: 'personal' }],
    }).id;
    const dir = mkdtempSync(join(tmpdir(), 'genesys-leak-'));
    const logFile = join(dir, 'app.log');
    const logEnv = { LOG_LEVEL: 'debug', LOG_FILE: logFile, GENESYS_MAX_RETRIES: '1' };
    const app = await boot(fake, { ...logEnv, GENESYS_TIMEOUT_MS: '300' });
    const wrong = await boot(fake, { ...logEnv, GENESYS_CLIENT_SECRET: 'wrong-secret-xyz' });
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
      try {
        errors.push(await fn());
      } catch (e) {
        errors.push(e);
      }
    };
    try {
      const person = {
        phone_number: '+353851234567',
        email: 'anna@example.com',
        first_name: 'Anna',
      };
      // Successes.
      await attempt(() => app.client.getContactList(listId));
      await attempt(() => app.client.addContacts(listId, [{ id: 'c1', data: person }]));
      await attempt(() => app.client.updateContact(listId, 'c1', {}, { uncallable: true }));
      await attempt(() => app.client.getContacts(listId, ['c1']));
      // A token that stops working, then failures of every kind.
      fake.expireAllTokens();
      await attempt(() => app.client.getContactList(listId));
      fake.injectFaults({ server: 'api' }, [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 503 },
      ]);
      await attempt(() => app.client.getContactList(listId));
      fake.injectFaults({ server: 'api' }, [{ kind: 'drop' }, { kind: 'drop' }]);
      await attempt(() => app.client.getContactList(listId));
      fake.injectFaults({ server: 'api' }, [
        { kind: 'delay', ms: 800 },
        { kind: 'delay', ms: 800 },
      ]);
      await attempt(() => app.client.getContactList(listId));
      fake.injectFaults({ server: 'api' }, [
        { kind: 'status', status: 429, retryAfterSeconds: 999 },
      ]);
      await attempt(() => app.client.getContactList(listId));
      await attempt(() => app.client.getContactList('missing-list'));
      await attempt(() => app.client.addContacts(listId, [{ id: 'bad id', data: person }]));
      await attempt(() => app.client.addContacts(listId, [{ id: 'c2', data: { zip: '1' } }]));
      fake.injectFaults({ server: 'login' }, [{ kind: 'status', status: 503 }, { kind: 'drop' }]);
      fake.expireAllTokens();
      await attempt(() => app.client.getContactList(listId));
      await attempt(() => wrong.client.getContactList(listId));
      await attempt(() => wrong.client.addPhoneNumbersToDnc('d', ['+353851234567']));
    } finally {
      await app.close();
      await wrong.close();
    }

    const bearerTokens = new Set<string>();
    for (const r of fake.requests) {
      const m = /^Bearer (\S+)$/.exec(r.headers.authorization ?? '');
      if (m?.[1]) bearerTokens.add(m[1]);
    }
    expect(bearerTokens.size).toBeGreaterThanOrEqual(2);
    const forbidden = [
      'test-secret',
      'wrong-secret-xyz',
      Buffer.from('test-client:test-secret').toString('base64'),
      Buffer.from('test-client:wrong-secret-xyz').toString('base64'),
      ...bearerTokens,
    ];

    const log = readFileSync(logFile, 'utf8');
    expect(log.split('\n').filter((l) => l.includes('"context":"Genesys"')).length).toBeGreaterThan(
      5,
    );
    const failures = errors.filter((e) => e instanceof Error);
    expect(failures.length).toBeGreaterThanOrEqual(8);
    const dumps = errors.map((e) =>
      e instanceof Error
        ? [JSON.stringify(e), e.message, e.stack ?? '', inspect(e, { depth: 10 })].join('\n')
        : JSON.stringify(e),
    );
    for (const secret of forbidden) {
      expect(log.includes(secret)).toBe(false);
      for (const dump of dumps) expect(dump.includes(secret)).toBe(false);
    }
    // Nor the personal data sent in the bodies.
    for (const pii of ['+353851234567', 'anna@example.com']) {
      expect(log.includes(pii)).toBe(false);
      for (const dump of failures.map((e) => inspect(e, { depth: 10 })))
        expect(dump.includes(pii)).toBe(false);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
