import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import {
  createTestApp,
  PINNED,
  readDecisionLines,
  seedContact,
  type TestApp,
} from './support/test-app';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP API (real app, shipped policies)', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp(
      { MAX_CONTACTS_PER_REQUEST: '50', BODY_LIMIT: '200kb' },
      { now: new Date('2025-03-01T12:00:00Z') },
    );
    http = t.app.getHttpServer() as App;
  });
  afterAll(() => t.close());

  describe('GET /v1/policies', () => {
    it('lists every version with digest and the version active at the clock', async () => {
      const res = await request(http).get('/v1/policies').expect(200);
      const policy = (res.body.policies as { id: string }[]).find((p) => p.id === 'gdpr-consent');
      expect(policy).toMatchObject({ id: 'gdpr-consent', active: '1.0.0' });
      const versions = (policy as unknown as { versions: { version: string; digest: string }[] })
        .versions;
      expect(versions.map((v) => v.version)).toEqual(
        expect.arrayContaining(['1.0.0', '2.0.0', '3.0.0']),
      );
      for (const v of versions) {
        expect(v.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(v).toHaveProperty('effectiveFrom');
        expect(v).toHaveProperty('effectiveTo');
        expect(v).toHaveProperty('description');
      }
      expect(res.body.asOf).toBe('2025-03-01T12:00:00.000Z');
      expect(res.headers['x-request-id']).toBeDefined();
    });
  });

  describe('GET /v1/policies/{id}/versions/{version}', () => {
    it('returns the parsed version', async () => {
      const res = await request(http).get('/v1/policies/gdpr-consent/versions/1.0.0').expect(200);
      expect(res.body).toMatchObject({ id: 'gdpr-consent', version: '1.0.0' });
      expect(res.body.digest).toMatch(/^sha256:/);
      expect(res.body.rules.length).toBeGreaterThan(0);
      expect(res.headers.etag).toBe(`"${res.body.digest as string}"`);
    });

    it('returns the YAML source byte for byte with ?format=yaml', async () => {
      const { readFileSync } = await import('node:fs');
      const res = await request(http)
        .get('/v1/policies/gdpr-consent/versions/1.0.0?format=yaml')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      expect(res.text).toBe(
        readFileSync(join(__dirname, '..', 'policies', 'gdpr-consent', '1.0.0.yaml'), 'utf8'),
      );
    });

    it('answers unknown policies, versions and formats with problems', async () => {
      const a = await request(http).get('/v1/policies/nope/versions/1.0.0').expect(404);
      expect(a.headers['content-type']).toMatch(PROBLEM);
      expect(a.body.code).toBe('POLICY_NOT_FOUND');
      const b = await request(http).get('/v1/policies/gdpr-consent/versions/9.9.9').expect(404);
      expect(b.body.code).toBe('POLICY_VERSION_NOT_FOUND');
      const c = await request(http)
        .get('/v1/policies/gdpr-consent/versions/1.0.0?format=xml')
        .expect(400);
      expect(c.body.errors).toEqual([{ path: 'format', message: expect.any(String) }]);
    });
  });

  describe('POST /v1/policies/reload', () => {
    it('reloads the shipped set', async () => {
      const res = await request(http).post('/v1/policies/reload').expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.errors).toEqual([]);
      expect(res.body.loaded.length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('POST /v1/validate', () => {
    it('validates with pinned parameters and returns exactly the documented shape', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .send({
          ...PINNED,
          contacts: [seedContact('a'), seedContact(7, { consent_timestamp: undefined })],
        })
        .expect(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ['evaluatedAt', 'policy', 'requestId', 'results', 'summary'].sort(),
      );
      expect(res.body.policy).toEqual({
        id: 'gdpr-consent',
        version: '1.0.0',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect(res.body.evaluatedAt).toBe('2025-01-01T00:00:00.000Z');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(res.body.summary).toEqual({
        total: 2,
        approved: 1,
        rejected: 1,
        byCode: { VALIDATION_PASSED: 1, CONSENT_MISSING: 1 },
      });
      const [first, second] = res.body.results;
      expect(Object.keys(first).sort()).toEqual(
        ['code', 'codes', 'contactId', 'decision', 'index', 'violations', 'warnings'].sort(),
      );
      expect(first).toMatchObject({
        index: 0,
        contactId: 'a',
        decision: 'APPROVED',
        code: 'VALIDATION_PASSED',
      });
      expect(second).toMatchObject({
        index: 1,
        contactId: '7',
        decision: 'REJECTED',
        code: 'CONSENT_MISSING',
        codes: expect.arrayContaining(['CONSENT_MISSING']),
      });
      expect(second.violations[0]).toMatchObject({ code: 'CONSENT_MISSING', severity: 'reject' });
    });

    it('defaults policy, version and evaluatedAt (the clock) and echoes a caller X-Request-Id', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .set('X-Request-Id', 'pipeline-42')
        .send({ contacts: [seedContact('a')] })
        .expect(200);
      expect(res.body.evaluatedAt).toBe('2025-03-01T12:00:00.000Z');
      expect(res.body.policy.version).toBe('1.0.0');
      expect(res.body.requestId).toBe('pipeline-42');
      expect(res.headers['x-request-id']).toBe('pipeline-42');
    });

    it('picks the version in effect at evaluatedAt', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .send({ contacts: [seedContact('a')], evaluatedAt: '2025-07-01T00:00:00+02:00' })
        .expect(200);
      expect(res.body.policy.version).toBe('2.0.0');
    });

    it('includes the engine explanation with explain: true', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, explain: true, contacts: [seedContact('a')] })
        .expect(200);
      expect(Array.isArray(res.body.results[0].explain)).toBe(true);
      expect(res.body.results[0].explain.length).toBeGreaterThan(0);
    });

    it('accepts an empty array and a single contact', async () => {
      const empty = await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, contacts: [] })
        .expect(200);
      expect(empty.body.summary).toEqual({ total: 0, approved: 0, rejected: 0, byCode: {} });
      expect(empty.body.results).toEqual([]);
    });

    it('gives non-object contacts an INPUT_MALFORMED result and null contactId', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, contacts: [42, 'x', null, [1], { id: { nested: true } }] })
        .expect(200);
      const codes = (res.body.results as { code: string; contactId: unknown }[]).map((r) => r.code);
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('INPUT_MALFORMED'));
      expect(res.body.results.every((r: { contactId: unknown }) => r.contactId === null)).toBe(
        true,
      );
    });

    it('survives __proto__ and constructor keys without polluting prototypes', async () => {
      const raw =
        `{"policy":"gdpr-consent","version":"1.0.0","evaluatedAt":"2025-01-01T00:00:00Z","contacts":[` +
        `{"id":"p1","__proto__":{"consent_timestamp":"2024-06-01T10:00:00Z","consent_scope":"cold_call","phone_number":"+4915112345678","polluted":true}},` +
        `{"id":"p2","constructor":{"prototype":{"polluted":true}},"phone_number":"+4915112345678"},` +
        `{"__proto__":null}]}`;
      const res = await request(http)
        .post('/v1/validate')
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(200);
      expect(res.body.results.map((r: { decision: string }) => r.decision)).toEqual([
        'REJECTED',
        'REJECTED',
        'REJECTED',
      ]);
      expect(res.body.results[0].code).toBe('CONSENT_MISSING');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      // A top-level __proto__ in the envelope is an unknown property, not a crash.
      const env = await request(http)
        .post('/v1/validate')
        .set('Content-Type', 'application/json')
        .send('{"contacts":[],"__proto__":{"polluted":true}}');
      expect([200, 400]).toContain(env.status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await request(http).get('/healthz').expect(200);
    });

    it('rejects invalid envelopes with INVALID_REQUEST and a {path, message} list', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .send({
          contacts: {},
          evaluatedAt: '2025-01-01T00:00:00',
          explain: 'yes',
          extra: 1,
          policy: 'Bad Id',
        })
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: expect.stringContaining('invalid-request'),
        title: expect.any(String),
        status: 400,
        code: 'INVALID_REQUEST',
        requestId: res.headers['x-request-id'],
      });
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
      expect(paths).toEqual(
        expect.arrayContaining(['contacts', 'evaluatedAt', 'explain', 'extra', 'policy']),
      );
    });

    it('rejects a missing contacts array and an offset-less or impossible evaluatedAt', async () => {
      await request(http).post('/v1/validate').send({}).expect(400);
      for (const evaluatedAt of ['2025-02-29T00:00:00Z', '2025-01-01', '2025-01-01 00:00:00Z']) {
        const res = await request(http)
          .post('/v1/validate')
          .send({ contacts: [], evaluatedAt })
          .expect(400);
        expect(res.body.errors[0].path).toBe('evaluatedAt');
      }
    });

    it('answers malformed JSON with a problem', async () => {
      const res = await request(http)
        .post('/v1/validate')
        .set('Content-Type', 'application/json')
        .send('{"contacts": [')
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('answers unknown policy, version and no version in effect', async () => {
      const a = await request(http)
        .post('/v1/validate')
        .send({ contacts: [], policy: 'nope' })
        .expect(404);
      expect(a.body.code).toBe('POLICY_NOT_FOUND');
      const b = await request(http)
        .post('/v1/validate')
        .send({ contacts: [], version: '9.9.9' })
        .expect(404);
      expect(b.body.code).toBe('POLICY_VERSION_NOT_FOUND');
      const c = await request(http)
        .post('/v1/validate')
        .send({ contacts: [], evaluatedAt: '2019-01-01T00:00:00Z' })
        .expect(422);
      expect(c.body.code).toBe('NO_VERSION_IN_EFFECT');
      expect(c.headers['content-type']).toMatch(PROBLEM);
    });

    it('refuses more than MAX_CONTACTS_PER_REQUEST with 413 pointing at the stream endpoint', async () => {
      const contacts = Array.from({ length: 51 }, (_, i) => ({ id: i }));
      const res = await request(http).post('/v1/validate').send({ contacts }).expect(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.detail).toContain('/v1/validate/stream');
      await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, contacts: contacts.slice(0, 50) })
        .expect(200);
    });

    it('refuses a body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
      const big = { contacts: [{ id: 'x', note: 'a'.repeat(300 * 1024) }] };
      const res = await request(http).post('/v1/validate').send(big).expect(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.detail).toContain('BODY_LIMIT');
    });

    it('writes one audit line per decision before answering', async () => {
      const before = readDecisionLines(join(t.dir, 'audit')).length;
      const res = await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, contacts: [seedContact('a1'), seedContact('a2'), 5] })
        .expect(200);
      const lines = readDecisionLines(join(t.dir, 'audit'));
      expect(lines.length - before).toBe(3);
      const mine = lines.filter((l) => l.requestId === res.body.requestId);
      expect(mine).toHaveLength(3);
      expect(mine.every((l) => l.source === 'http')).toBe(true);
      expect(mine.map((l) => l.decision)).toEqual(['APPROVED', 'APPROVED', 'REJECTED']);
    });
  });

  describe('everything else', () => {
    it('answers unknown routes with a 404 problem', async () => {
      const res = await request(http).get('/v1/nothing-here').expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('serves the OpenAPI document with every endpoint and the problem schema', async () => {
      const res = await request(http).get('/docs-json').expect(200);
      const paths = Object.keys(res.body.paths as object);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/v1/policies',
          '/v1/policies/{id}/versions/{version}',
          '/v1/policies/reload',
          '/v1/validate',
          '/v1/validate/stream',
          '/metrics',
          '/healthz',
          '/readyz',
        ]),
      );
      expect(res.body.components.schemas.ProblemDto).toBeDefined();
      const validate = res.body.paths['/v1/validate'].post;
      expect(validate.requestBody.content['application/json'].examples).toBeDefined();
      expect(validate.responses['413'].content['application/problem+json']).toBeDefined();
      const ui = await request(http).get('/docs/').expect(200);
      expect(ui.text).toContain('swagger');
    });

    it('sets helmet security headers', async () => {
      const res = await request(http).get('/healthz').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['content-security-policy']).toBeDefined();
    });

    it('exposes Prometheus metrics with decisions and request latency', async () => {
      await request(http)
        .post('/v1/validate')
        .send({ ...PINNED, contacts: [seedContact('m')] })
        .expect(200);
      const res = await request(http).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /consent_gate_decisions_total\{policy="gdpr-consent",version="1.0.0",decision="APPROVED",code="VALIDATION_PASSED",source="http"\} \d+/,
      );
      expect(res.text).toMatch(
        /consent_gate_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/validate",status="200"\}/,
      );
    });
  });
});

describe('POST /v1/policies/reload with a broken file', () => {
  let t: TestApp;
  let policiesDir: string;

  beforeAll(async () => {
    const { cpSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    policiesDir = mkdtempSync(join(tmpdir(), 'consent-gate-policies-'));
    cpSync(join(__dirname, '..', 'policies'), policiesDir, { recursive: true });
    t = await createTestApp({ POLICIES_DIR: policiesDir });
  });
  afterAll(async () => {
    await t.close();
    const { rmSync } = await import('node:fs');
    rmSync(policiesDir, { recursive: true, force: true });
  });

  it('answers 422 POLICY_LOAD_FAILED listing the errors while the last good set keeps serving', async () => {
    const { writeFileSync } = await import('node:fs');
    const http = t.app.getHttpServer() as App;
    writeFileSync(
      join(policiesDir, 'gdpr-consent', '9.0.0.yaml'),
      'policy: gdpr-consent\nversion: 9.0.0\nrules: [\n',
    );
    const res = await request(http).post('/v1/policies/reload').expect(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('POLICY_LOAD_FAILED');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(res.body.errors[0].path).toMatch(/9\.0\.0\.yaml:\d+:\d+$/);
    expect(res.body.serving.length).toBeGreaterThanOrEqual(3);
    await request(http).get('/v1/policies/gdpr-consent/versions/9.0.0').expect(404);
    await request(http)
      .post('/v1/validate')
      .send({ ...PINNED, contacts: [seedContact('still-serving')] })
      .expect(200);
  });
});
