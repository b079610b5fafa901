import request from 'supertest';
import type { App } from 'supertest/types';
import { generateApiKey, hashApiKey } from '../src/auth/api-key';
import { createTestApp, PINNED, seedContact, type TestApp } from './support/test-app';

const PROBLEM = /^application\/problem\+json/;

describe('access control', () => {
  const key = generateApiKey();
  const other = generateApiKey();
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ API_KEY_HASHES: `${other.hash}, ${key.hash.toUpperCase()}` });
    http = t.app.getHttpServer() as App;
  });
  afterAll(() => t.close());

  it('refuses a missing and a wrong key with the same 401 problem', async () => {
    const missing = await request(http).get('/v1/policies').expect(401);
    const wrong = await request(http)
      .get('/v1/policies')
      .set('Authorization', `Bearer ${key.key.slice(0, -1)}x`)
      .expect(401);
    const wrongHeader = await request(http)
      .get('/v1/policies')
      .set('X-API-Key', 'nope')
      .expect(401);
    const basic = await request(http)
      .get('/v1/policies')
      .set('Authorization', `Basic ${Buffer.from(`u:${key.key}`).toString('base64')}`)
      .expect(401);
    for (const r of [missing, wrong, wrongHeader, basic]) {
      expect(r.headers['content-type']).toMatch(PROBLEM);
      expect(r.headers['www-authenticate']).toContain('Bearer');
      const { requestId, ...rest } = r.body as { requestId: string };
      expect(requestId).toBe(r.headers['x-request-id']);
      expect(rest).toEqual({
        type: 'https://consent-gate.dev/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'Missing or invalid API key.',
        code: 'UNAUTHORIZED',
      });
    }
  });

  it('accepts a configured key as Bearer token or X-API-Key', async () => {
    await request(http).get('/v1/policies').set('Authorization', `Bearer ${key.key}`).expect(200);
    await request(http).get('/v1/policies').set('X-API-Key', key.key).expect(200);
    await request(http).get('/v1/policies').set('X-API-Key', other.key).expect(200);
    await request(http)
      .post('/v1/validate')
      .set('Authorization', `bearer ${key.key}`)
      .send({ ...PINNED, contacts: [seedContact(1)] })
      .expect(200);
  });

  it('protects every API endpoint', async () => {
    await request(http).post('/v1/validate').send({ contacts: [] }).expect(401);
    await request(http)
      .post('/v1/validate/stream')
      .set('Content-Type', 'application/x-ndjson')
      .send('{}\n')
      .expect(401);
    await request(http).post('/v1/policies/reload').expect(401);
    await request(http).get('/v1/policies/gdpr-consent/versions/1.0.0').expect(401);
  });

  it('keeps health endpoints open', async () => {
    await request(http).get('/healthz').expect(200);
    await request(http).get('/readyz').expect(200);
  });

  it('opens /metrics to direct loopback callers only; proxied callers need a key', async () => {
    await request(http).get('/metrics').expect(200);
    await request(http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(401);
    await request(http).get('/metrics').set('Forwarded', 'for=203.0.113.9').expect(401);
    await request(http)
      .get('/metrics')
      .set('X-Forwarded-For', '203.0.113.9')
      .set('X-API-Key', key.key)
      .expect(200);
  });

  it('hashes keys as lowercase hex SHA-256', () => {
    expect(hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(key.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('rate limiting', () => {
  const key = generateApiKey();
  const second = generateApiKey();
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({
      API_KEY_HASHES: `${key.hash},${second.hash}`,
      RATE_LIMIT_PER_MINUTE: '3',
    });
    http = t.app.getHttpServer() as App;
  });
  afterAll(() => t.close());

  it('answers the request over the per-key limit with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      await request(http).get('/v1/policies').set('X-API-Key', key.key).expect(200);
    }
    const res = await request(http).get('/v1/policies').set('X-API-Key', key.key).expect(429);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key has its own budget, and health probes are never throttled.
    await request(http).get('/v1/policies').set('X-API-Key', second.key).expect(200);
    for (let i = 0; i < 5; i++) await request(http).get('/healthz').expect(200);
  });
});

describe('start-up without keys', () => {
  it('refuses to start on a non-loopback HOST with a message naming API_KEY_HASHES', async () => {
    await expect(createTestApp({ HOST: '0.0.0.0' })).rejects.toThrow(/API_KEY_HASHES/);
  });

  it('starts on a non-loopback HOST once a key is configured', async () => {
    const t = await createTestApp({ HOST: '0.0.0.0', API_KEY_HASHES: generateApiKey().hash });
    await request(t.app.getHttpServer() as App)
      .get('/v1/policies')
      .expect(401);
    await t.close();
  });

  it('starts on loopback without keys and accepts requests', async () => {
    const t = await createTestApp({ HOST: 'localhost' });
    await request(t.app.getHttpServer() as App)
      .get('/v1/policies')
      .expect(200);
    await t.close();
  });
});
