import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import type { App } from 'supertest/types';
import { generateContacts } from './support/contact-generator';
import { createTestApp, type TestApp } from './support/test-app';

/** POST /v1/compare and /v1/compare/stream over the real HTTP stack and the shipped policies. */
const T = '2026-07-15T12:00:00Z';
const contacts = [
  ...generateContacts({ seed: 606, count: 300, anchor: new Date(T) }),
  'not a contact',
  // JSON.parse makes `__proto__` an own key, as a hostile request body would.
  JSON.parse('{"id":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'),
];

function linesOf(dir: string): unknown[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    )
    .map((l) => JSON.parse(l) as unknown);
}

describe('POST /v1/compare', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ MAX_CONTACTS_PER_REQUEST: '400', AUDIT_FSYNC: 'off' });
    http = t.app.getHttpServer() as App;
  });
  afterAll(async () => {
    await t.close();
    rmSync(t.dir, { recursive: true, force: true });
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    contacts,
    policy: 'gdpr-consent',
    baseline: { version: '1.0.0' },
    candidate: { version: '2.0.0' },
    evaluatedAt: T,
    ...extra,
  });

  it('returns both sides, a summary and only the changed contacts by default', async () => {
    const res = await request(http).post('/v1/compare').send(body()).expect(200);
    expect(res.body.baseline).toMatchObject({
      id: 'gdpr-consent',
      version: '1.0.0',
      evaluatedAt: '2026-07-15T12:00:00.000Z',
    });
    expect(res.body.baseline.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(res.body.candidate.version).toBe('2.0.0');
    expect(res.body.candidate.digest).not.toBe(res.body.baseline.digest);
    const s = res.body.summary;
    expect(s.total).toBe(contacts.length);
    expect(
      s.byChange.unchanged +
        s.byChange['newly-rejected'] +
        s.byChange['newly-approved'] +
        s.byChange['reason-changed'],
    ).toBe(s.total);
    expect(s.changed).toBe(s.total - s.byChange.unchanged);
    expect(res.body.changes).toHaveLength(s.changed);
    for (const c of res.body.changes) expect(c.change).not.toBe('unchanged');
    // The transition matrix covers every contact.
    const cells = Object.values(s.transitions as Record<string, Record<string, number>>).flatMap(
      (row) => Object.values(row),
    );
    expect(cells.reduce((a, b) => a + b, 0)).toBe(s.total);
    // The non-object and the hostile keys were compared, not crashed on.
    const all = await request(http)
      .post('/v1/compare')
      .send(body({ include: 'all' }))
      .expect(200);
    expect(all.body.changes).toHaveLength(contacts.length);
    expect(all.body.changes[300]).toMatchObject({
      index: 300,
      contactId: null,
      baseline: { code: 'INPUT_MALFORMED' },
      candidate: { code: 'INPUT_MALFORMED' },
      change: 'unchanged',
    });
    expect(all.body.changes[301].contactId).toBe('proto');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('newly-rejected per rule counts match the per-contact list', async () => {
    const res = await request(http).post('/v1/compare').send(body()).expect(200);
    const changes = res.body.changes as {
      change: string;
      candidate: { codes: string[] };
    }[];
    for (const r of res.body.summary.newlyRejectedByRule as {
      code: string;
      newlyRejected: number;
      soleReason: number;
    }[]) {
      const hit = changes.filter(
        (c) => c.change === 'newly-rejected' && c.candidate.codes.includes(r.code),
      );
      expect(hit).toHaveLength(r.newlyRejected);
      expect(hit.filter((c) => c.candidate.codes.length === 1)).toHaveLength(r.soleReason);
    }
  });

  it('records each run in the comparison log, never in the decision audit log', async () => {
    const before = linesOf(join(t.dir, 'compare')).length;
    const res = await request(http)
      .post('/v1/compare')
      .set('X-Request-Id', 'compare-log-check')
      .send(body())
      .expect(200);
    const entries = linesOf(join(t.dir, 'compare')) as Record<string, unknown>[];
    expect(entries.length).toBe(before + 1);
    const last = entries[entries.length - 1]!;
    expect(last).toMatchObject({
      requestId: 'compare-log-check',
      source: 'http',
      baseline: { version: '1.0.0', digest: res.body.baseline.digest },
      candidate: { version: '2.0.0', digest: res.body.candidate.digest },
      inputDigest: res.body.inputDigest,
      summary: { total: contacts.length },
    });
    // No contact data in the comparison log.
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/\+4915550\d+|@example\.(com|org)/);
    expect(linesOf(join(t.dir, 'audit'))).toHaveLength(0);
  });

  it('compares one version at two instants', async () => {
    const res = await request(http)
      .post('/v1/compare')
      .send({
        contacts,
        baseline: { version: '3.0.0', evaluatedAt: '2026-07-15T12:00:00Z' },
        candidate: { version: '3.0.0', evaluatedAt: '2026-08-15T12:00:00Z' },
      })
      .expect(200);
    expect(res.body.baseline.digest).toBe(res.body.candidate.digest);
    expect(res.body.candidate.evaluatedAt).toBe('2026-08-15T12:00:00.000Z');
    expect(res.body.summary.ruleChanges).toEqual([]);
  });

  it('refuses more than MAX_CONTACTS_PER_REQUEST with 413 pointing at the stream endpoint', async () => {
    const res = await request(http)
      .post('/v1/compare')
      .send(body({ contacts: new Array(401).fill({ id: 'x' }) }))
      .expect(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.detail).toContain('/v1/compare/stream');
  });

  it.each([
    [{ policy: 'no-such-policy' }, 404, 'POLICY_NOT_FOUND'],
    [{ candidate: { version: '9.9.9' } }, 404, 'POLICY_VERSION_NOT_FOUND'],
    [
      { baseline: {}, candidate: {}, evaluatedAt: '2001-01-01T00:00:00Z' },
      422,
      'NO_VERSION_IN_EFFECT',
    ],
    [{ include: 'some' }, 400, 'INVALID_REQUEST'],
    [{ evaluatedAt: '2026-07-15' }, 400, 'INVALID_REQUEST'],
    [
      { baseline: { version: '1.0.0', evaluatedAt: '2026-02-30T00:00:00Z' } },
      400,
      'INVALID_REQUEST',
    ],
    [{ candidate: undefined }, 400, 'INVALID_REQUEST'],
    [{ surprise: true }, 400, 'INVALID_REQUEST'],
    [{ contacts: { not: 'an array' } }, 400, 'INVALID_REQUEST'],
  ])('answers %j with %i %s', async (extra, status, code) => {
    const res = await request(http).post('/v1/compare').send(body(extra)).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe(code);
    expect(res.body.requestId).toBeDefined();
  });
});

describe('POST /v1/compare/stream', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_FSYNC: 'off' });
    http = t.app.getHttpServer() as App;
  });
  afterAll(async () => {
    await t.close();
    rmSync(t.dir, { recursive: true, force: true });
  });

  const ndjson = `${contacts
    .slice(0, 300)
    .map((c) => JSON.stringify(c))
    .join('\n')}\n{not json\n`;
  const query = `policy=gdpr-consent&baseline=1.0.0&candidate=2.0.0&evaluatedAt=${encodeURIComponent(T)}`;

  const post = (
    q: string,
    body: string | Buffer,
    headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson' },
  ) =>
    request(http)
      .post(`/v1/compare/stream?${q}`)
      .set(headers)
      .buffer(true)
      .parse((res, cb) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => cb(null, data));
      })
      .send(body);

  it('streams one line per changed contact then a summary equal to the JSON endpoint', async () => {
    const res = await post(query, ndjson).expect(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = lines.pop();
    expect(last.summary.total).toBe(301);
    expect(last.inputDigest).toBe(`sha256:${createHash('sha256').update(ndjson).digest('hex')}`);
    expect(lines).toHaveLength(last.summary.changed);

    const json = await request(http)
      .post('/v1/compare')
      .send({
        contacts: [...contacts.slice(0, 300), 'malformed'],
        baseline: { version: '1.0.0' },
        candidate: { version: '2.0.0' },
        evaluatedAt: T,
      })
      .expect(200);
    expect(last.summary).toEqual(json.body.summary);
    expect(lines).toEqual(json.body.changes);
  });

  it('streams every contact with include=all, a malformed line as INPUT_MALFORMED on both sides', async () => {
    const res = await post(`${query}&include=all`, ndjson).expect(200);
    const lines = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(302);
    expect(lines[300]).toMatchObject({
      index: 300,
      baseline: { code: 'INPUT_MALFORMED' },
      candidate: { code: 'INPUT_MALFORMED' },
      change: 'unchanged',
    });
  });

  it('accepts a gzip body and digests the NDJSON it carries', async () => {
    const plain = await post(query, ndjson).expect(200);
    const zipped = await post(query, gzipSync(Buffer.from(ndjson)), {
      'Content-Type': 'application/x-ndjson',
      'Content-Encoding': 'gzip',
    }).expect(200);
    const last = (text: string) => JSON.parse(text.trim().split('\n').pop()!);
    expect(last(zipped.body as string).summary).toEqual(last(plain.body as string).summary);
    expect(last(zipped.body as string).inputDigest).toBe(last(plain.body as string).inputDigest);
  });

  it('answers problems before streaming: wrong media type, bad query, unknown version', async () => {
    const wrongType = await post(query, ndjson, { 'Content-Type': 'text/csv' }).expect(415);
    expect(wrongType.headers['content-type']).toContain('application/problem+json');
    const bad = await post(`${query}&include=most`, ndjson).expect(400);
    expect(JSON.parse(bad.body as string).code).toBe('INVALID_REQUEST');
    const unknown = await post('baseline=1.0.0&candidate=7.0.0', ndjson).expect(404);
    expect(JSON.parse(unknown.body as string).code).toBe('POLICY_VERSION_NOT_FOUND');
  });
});
