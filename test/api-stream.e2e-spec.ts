import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request, { type Test } from 'supertest';
import type { App } from 'supertest/types';
import { AuditLog, type AuditBatch } from '../src/audit/audit.types';
import { DomainError } from '../src/common/domain-error';
import { ErrorCode } from '../src/common/error-codes';
import {
  createTestApp,
  PINNED,
  readDecisionLines,
  seedContact,
  type TestApp,
} from './support/test-app';

const NDJSON = 'application/x-ndjson';
const QUERY = `policy=${PINNED.policy}&version=${PINNED.version}&evaluatedAt=${encodeURIComponent(PINNED.evaluatedAt)}`;

/** POST /v1/validate/stream with an NDJSON content type; `query` starts with `?`. */
function postStream(server: App, query = ''): Test {
  return request(server).post(`/v1/validate/stream${query}`).set('Content-Type', NDJSON);
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('POST /v1/validate/stream', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '100kb' }, { now: new Date('2025-03-01T12:00:00Z') });
    http = t.app.getHttpServer() as App;
  });
  afterAll(() => t.close());

  it('streams 100k lines: one result per line in order, malformed lines flagged, summary last, all audited', async () => {
    const n = 100_000;
    const bad = new Set([3, 50_000, 99_999]);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      if (bad.has(i)) lines.push('{"id": "broken",');
      else if (i % 10 === 0) lines.push(JSON.stringify({ id: `c${i}` }));
      else lines.push(JSON.stringify(seedContact(`c${i}`)));
      if (i === 10) lines.push(''); // blank lines are skipped, not counted
    }
    const body = lines.join('\n') + '\n';
    expect(Buffer.byteLength(body)).toBeGreaterThan(100 * 1024); // far over BODY_LIMIT: streaming ignores it

    const res = await postStream(http, `?${QUERY}`).send(body).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const out = parseLines(res.text);
    expect(out).toHaveLength(n + 1);
    const results = out.slice(0, n);
    results.forEach((r, i) => {
      if (r.index !== i) throw new Error(`line ${i} has index ${String(r.index)}`);
    });
    expect(results[3]).toMatchObject({
      code: 'INPUT_MALFORMED',
      decision: 'REJECTED',
      contactId: null,
    });
    expect(results[50_000]?.code).toBe('INPUT_MALFORMED');
    expect(results[1]).toMatchObject({ contactId: 'c1', decision: 'APPROVED' });
    expect(results[20]).toMatchObject({
      contactId: 'c20',
      decision: 'REJECTED',
      code: 'CONSENT_MISSING',
    });

    const last = out[n] as {
      summary: Record<string, unknown>;
      policy: object;
      evaluatedAt: string;
      requestId: string;
    };
    expect(Object.keys(last).sort()).toEqual(['evaluatedAt', 'policy', 'requestId', 'summary']);
    const consentMissing = Array.from({ length: n }, (_, i) => i).filter(
      (i) => i % 10 === 0 && !bad.has(i),
    ).length;
    expect(last.summary).toEqual({
      total: n,
      approved: n - consentMissing - bad.size,
      rejected: consentMissing + bad.size,
      byCode: {
        CONSENT_MISSING: consentMissing,
        INPUT_MALFORMED: bad.size,
        VALIDATION_PASSED: n - consentMissing - bad.size,
      },
    });
    expect(last.evaluatedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(last.policy).toMatchObject({ id: 'gdpr-consent', version: '1.0.0' });
    expect(last.requestId).toBe(res.headers['x-request-id']);

    const audited = readDecisionLines(join(t.dir, 'audit')).filter(
      (l) => l.requestId === last.requestId,
    );
    expect(audited).toHaveLength(n);
    expect(audited.filter((l) => l.decision === 'REJECTED')).toHaveLength(
      consentMissing + bad.size,
    );
  });

  it('accepts a gzip-compressed body', async () => {
    const body = gzipSync(
      [seedContact('g1'), seedContact('g2')].map((c) => JSON.stringify(c)).join('\n'),
    );
    const res = await postStream(http, `?${QUERY}`)
      .set('Content-Encoding', 'gzip')
      .send(body)
      .expect(200);
    const out = parseLines(res.text);
    expect(out.map((l) => l.contactId)).toEqual(['g1', 'g2', undefined]);
  });

  it('uses the clock and the version in effect when no query is given', async () => {
    const res = await postStream(http).send('{}\n').expect(200);
    const last = parseLines(res.text).at(-1) as {
      evaluatedAt: string;
      policy: { version: string };
    };
    expect(last.evaluatedAt).toBe('2025-03-01T12:00:00.000Z');
    expect(last.policy.version).toBe('1.0.0');
  });

  it('answers policy and parameter errors with a problem before any result', async () => {
    const a = await postStream(http, '?policy=nope').send('{}\n').expect(404);
    expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(a.body.code).toBe('POLICY_NOT_FOUND');
    const b = await postStream(http, '?evaluatedAt=2025-01-01T00:00:00').send('{}\n').expect(400);
    expect(b.body.errors[0].path).toBe('evaluatedAt');
    const c = await postStream(http, '?colour=blue').send('{}\n').expect(400);
    expect(c.body.errors[0].path).toBe('colour');
    const d = await postStream(http, '?evaluatedAt=2019-01-01T00:00:00Z').send('{}\n').expect(422);
    expect(d.body.code).toBe('NO_VERSION_IN_EFFECT');
  });

  it('refuses bodies that are not NDJSON with 415', async () => {
    const res = await request(http).post('/v1/validate/stream').send({ contacts: [] }).expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await postStream(http).set('Content-Encoding', 'br').send('{}\n').expect(415);
  });

  it('reads raw bodies sent without an NDJSON type (curl and superagent defaults) as NDJSON', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await request(http)
        .post(`/v1/validate/stream?${QUERY}`)
        .set('Content-Type', type)
        .send('{"id":"a"}\n{"id":"b"}\n')
        .expect(200);
      const out = parseLines(res.text);
      expect(out.map((l) => l.contactId ?? 'summary')).toEqual(['a', 'b', 'summary']);
    }
  });

  it('returns only a summary line for an empty body', async () => {
    const res = await postStream(http, `?${QUERY}`).send('').expect(200);
    const out = parseLines(res.text);
    expect(out).toHaveLength(1);
    expect(out[0]?.summary).toEqual({ total: 0, approved: 0, rejected: 0, byCode: {} });
  });
});

describe('audit log unavailable', () => {
  let t: TestApp;
  let http: App;

  let scratch: string;

  beforeAll(async () => {
    // The audit "directory" lies below a regular file: nothing can be created there.
    scratch = mkdtempSync(join(tmpdir(), 'consent-gate-blocked-'));
    const blocked = join(scratch, 'blocked');
    writeFileSync(blocked, 'not a directory');
    t = await createTestApp({ AUDIT_DIR: join(blocked, 'audit'), AUDIT_HMAC_KEY: 'k'.repeat(32) });
    http = t.app.getHttpServer() as App;
  });
  afterAll(async () => {
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fails POST /v1/validate with 503 AUDIT_UNAVAILABLE instead of answering unaudited', async () => {
    const res = await request(http)
      .post('/v1/validate')
      .send({ ...PINNED, contacts: [seedContact(1)] })
      .expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('AUDIT_UNAVAILABLE');
    expect(JSON.stringify(res.body)).not.toContain('APPROVED');
  });

  it('fails the stream with 503 before the first result', async () => {
    const res = await postStream(http, `?${QUERY}`)
      .send(JSON.stringify(seedContact(1)) + '\n')
      .expect(503);
    expect(res.body.code).toBe('AUDIT_UNAVAILABLE');
  });

  it('reports not ready while the audit log cannot be written, and ready once it can', async () => {
    await request(http)
      .post('/v1/validate')
      .send({ ...PINNED, contacts: [seedContact(1)] })
      .expect(503);
    const down = await request(http).get('/readyz').expect(503);
    expect(down.body.error).toMatchObject({ audit: { status: 'down' } });
    expect(String(down.body.error.audit.error)).toMatch(/ENOTDIR/);
    expect(down.body.info).toMatchObject({ policies: { status: 'up' } });
    // The obstacle goes away: the probe write succeeds without any request being made.
    rmSync(join(scratch, 'blocked'));
    const up = await request(http).get('/readyz').expect(200);
    expect(up.body.info).toMatchObject({ policies: { status: 'up' }, audit: { status: 'up' } });
    await request(http)
      .post('/v1/validate')
      .send({ ...PINNED, contacts: [seedContact(1)] })
      .expect(200);
  });
});

describe('audit log failing mid-stream', () => {
  class FailingAfterOneBatch extends AuditLog {
    batches = 0;
    append(_batch: AuditBatch): Promise<void> {
      this.batches++;
      return this.batches > 1
        ? Promise.reject(new DomainError(ErrorCode.AUDIT_UNAVAILABLE, 'disk full'))
        : Promise.resolve();
    }
  }
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(
      {},
      { override: (b) => void b.overrideProvider(AuditLog).useValue(new FailingAfterOneBatch()) },
    );
  });
  afterAll(() => t.close());

  it('ends with an error line instead of the summary; no unaudited result is sent', async () => {
    const body = Array.from({ length: 2500 }, (_, i) => JSON.stringify(seedContact(i))).join('\n');
    const res = await postStream(t.app.getHttpServer() as App, `?${QUERY}`)
      .send(body)
      .expect(200);
    const out = parseLines(res.text);
    expect(out).toHaveLength(1001); // the first (audited) chunk of 1000, then the error line
    expect(out.slice(0, 1000).every((l) => typeof l.index === 'number')).toBe(true);
    expect(out[1000]).toEqual({
      error: expect.objectContaining({
        code: 'AUDIT_UNAVAILABLE',
        status: 503,
        requestId: res.headers['x-request-id'],
      }),
    });
    expect(out.some((l) => 'summary' in l)).toBe(false);
  });
});
