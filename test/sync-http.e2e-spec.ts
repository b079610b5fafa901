import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { SyncJobsService } from '../src/sync/sync-jobs.service';
import { genesysEnv } from './fake-genesys/demo-setup';
import { FakeGenesys } from './fake-genesys/fake-genesys';
import {
  approvedIds,
  generateContacts,
  SYNC_EVALUATED_AT,
  toNdjson,
} from './fixtures/sync-contacts';
import { storedIds } from './fixtures/sync-harness';
import { createConsentList } from './support/genesys-harness';
import { createTestApp, type TestApp } from './support/test-app';

/** POST /v1/sync-jobs and GET /v1/sync-jobs/{id} against the fake Genesys Cloud. */
describe('sync jobs over HTTP', () => {
  let fake: FakeGenesys;
  let t: TestApp;
  let listId: string;
  let server: App;

  beforeAll(async () => {
    fake = await FakeGenesys.start();
    t = await createTestApp(genesysEnv(fake));
    server = t.app.getHttpServer() as App;
  });
  beforeEach(() => {
    listId = createConsentList(fake, 'http-sync');
    fake.reset();
  });
  afterEach(async () => {
    await t.app.get(SyncJobsService).idle();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  async function waitDone(jobId: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server).get(`/v1/sync-jobs/${jobId}`).expect(200);
      const body = res.body as Record<string, unknown>;
      if (body.status !== 'running' || Date.now() > deadline) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** POST /v1/sync-jobs with a JSON body (version 1.0.0 at the fixed instant); expects 202. */
  function postJob(
    generated: ReturnType<typeof generateContacts>,
    extra: Record<string, unknown> = {},
  ): Promise<request.Response> {
    return request(server)
      .post('/v1/sync-jobs')
      .send({
        contactListId: listId,
        contacts: generated.map((g) => g.contact),
        version: '1.0.0',
        evaluatedAt: SYNC_EVALUATED_AT,
        ...extra,
      })
      .expect(202);
  }

  it('JSON body: 202 with a job id, then status, progress and a balanced summary', async () => {
    const generated = generateContacts(800, 31);
    const res = await postJob(generated);
    const jobId = res.body.jobId as string;
    expect(jobId).toMatch(/^\d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-f]{6}$/);
    expect(res.body.links).toEqual({ self: `/v1/sync-jobs/${jobId}` });
    expect(res.headers.location).toBe(`/v1/sync-jobs/${jobId}`);

    const done = await waitDone(jobId);
    expect(done.status).toBe('completed');
    const summary = done.summary as { balanced: boolean; buckets: Record<string, number> };
    expect(summary.balanced).toBe(true);
    expect(summary.buckets.imported).toBe(approvedIds(generated).length);
    expect((done.progress as { read: number }).read).toBe(800);
    expect(storedIds(fake, listId)).toEqual(approvedIds(generated));
    // The upload is spooled (0600) so the job can be resumed after a restart.
    const spool = join(t.dir, 'sync', jobId, 'input.ndjson');
    expect(statSync(spool).mode & 0o777).toBe(0o600);
    // Sync decisions are counted like HTTP ones, with source "sync".
    const metrics = await request(server).get('/metrics').expect(200);
    const approved = new RegExp(
      `consent_gate_decisions_total\\{policy="gdpr-consent",version="1.0.0",decision="APPROVED",code="VALIDATION_PASSED",source="sync"\\} (\\d+)`,
    ).exec(metrics.text);
    expect(Number(approved?.[1])).toBeGreaterThanOrEqual(approvedIds(generated).length);
  });

  it('NDJSON body with query parameters', async () => {
    const generated = generateContacts(600, 32);
    const res = await request(server)
      .post('/v1/sync-jobs')
      .query({ contactListId: listId, version: '1.0.0', evaluatedAt: SYNC_EVALUATED_AT })
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson(generated))
      .expect(202);
    const done = await waitDone(res.body.jobId as string);
    expect(done.status).toBe('completed');
    expect(storedIds(fake, listId)).toEqual(approvedIds(generated));
  });

  it('JSON array body (a contacts.json file as is) with query parameters', async () => {
    const generated = generateContacts(120, 35);
    const res = await request(server)
      .post('/v1/sync-jobs')
      .query({ contactListId: listId, version: '1.0.0', evaluatedAt: SYNC_EVALUATED_AT })
      .send(generated.map((g) => g.contact))
      .expect(202);
    const done = await waitDone(res.body.jobId as string);
    expect(done.status).toBe('completed');
    expect(storedIds(fake, listId)).toEqual(approvedIds(generated));
    const noList = await request(server)
      .post('/v1/sync-jobs')
      .send(generated.map((g) => g.contact))
      .expect(400);
    expect(noList.body.code).toBe('INVALID_REQUEST');
    expect((noList.body.errors as { path: string }[]).map((e) => e.path)).toContain(
      'contactListId',
    );
    // The strict RFC 3339 parser, as for /v1/validate: an impossible date is refused
    // before anything is spooled.
    const before = readdirSync(join(t.dir, 'sync')).length;
    const badDate = await request(server)
      .post('/v1/sync-jobs')
      .query({ contactListId: listId, version: '1.0.0', evaluatedAt: '2026-02-30T10:00:00Z' })
      .send(generated.map((g) => g.contact))
      .expect(400);
    expect(badDate.body.code).toBe('INVALID_REQUEST');
    expect((badDate.body.errors as { path: string }[]).map((e) => e.path)).toContain('evaluatedAt');
    expect(readdirSync(join(t.dir, 'sync')).length).toBe(before);
  });

  it('one job at a time per list: 409 SYNC_JOB_CONFLICT while one runs', async () => {
    fake.injectFaults(
      { method: 'POST', pathIncludes: '/contacts' },
      Array.from({ length: 3 }, () => ({ kind: 'delay' as const, ms: 400 })),
    );
    const body = {
      contactListId: listId,
      contacts: generateContacts(300, 33).map((g) => g.contact),
      version: '1.0.0',
      evaluatedAt: SYNC_EVALUATED_AT,
    };
    const first = await request(server).post('/v1/sync-jobs').send(body).expect(202);
    const second = await request(server).post('/v1/sync-jobs').send(body).expect(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body.code).toBe('SYNC_JOB_CONFLICT');
    expect(second.body.runningJobId).toBe(first.body.jobId);
    await waitDone(first.body.jobId as string);
    await request(server).post('/v1/sync-jobs').send(body).expect(202);
  });

  it('422 SYNC_COLUMNS_MISSING names the columns and sends nothing', async () => {
    const bare = fake.createContactList({
      name: 'bare',
      columnNames: ['phone_number', 'email'],
      phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
    }).id;
    const before = existsSync(join(t.dir, 'sync')) ? readdirSync(join(t.dir, 'sync')).length : 0;
    const res = await request(server)
      .post('/v1/sync-jobs')
      .send({ contactListId: bare, contacts: generateContacts(5).map((g) => g.contact) })
      .expect(422);
    expect(res.body.code).toBe('SYNC_COLUMNS_MISSING');
    expect(res.body.missingColumns).toEqual([
      'gdpr_consent_flag',
      'gdpr_consent_scope',
      'gdpr_consent_updated',
      'gdpr_policy_version',
    ]);
    expect(fake.apiRequests().filter((r) => r.method === 'POST' || r.method === 'PUT')).toEqual([]);
    expect(readdirSync(join(t.dir, 'sync')).length).toBe(before);
  });

  it('POST /v1/sync-jobs/{id}/resume finishes a stopped job without re-sending what landed', async () => {
    // Approved contacts go out in batches of up to 1,000; the second batch meets revoked
    // credentials (401, and 401 again after the token refresh): the job stops.
    const generated = generateContacts(6000, 36);
    const approved = approvedIds(generated);
    expect(approved.length).toBeGreaterThan(2000);
    fake.injectFaults({ method: 'POST', pathIncludes: '/contacts' }, [
      { kind: 'delay', ms: 0 },
      { kind: 'status', status: 401 },
      { kind: 'status', status: 401 },
    ]);
    const res = await postJob(generated, { concurrency: 1 });
    const jobId = res.body.jobId as string;
    const stopped = await waitDone(jobId);
    expect(stopped.status).toBe('aborted');
    expect((stopped.error as { code: string }).code).toBe('GENESYS_AUTH_FAILED');
    const landed = new Set(storedIds(fake, listId));
    expect(landed.size).toBeGreaterThan(0);
    expect(landed.size).toBeLessThan(approved.length);
    const sentBefore = fake.apiRequests('/contacts').length;

    const resumed = await request(server).post(`/v1/sync-jobs/${jobId}/resume`).expect(202);
    expect(resumed.body).toMatchObject({ jobId, status: 'running' });
    expect(resumed.headers.location).toBe(`/v1/sync-jobs/${jobId}`);
    const done = await waitDone(jobId);
    expect(done.status).toBe('completed');
    expect(done.runs).toBe(2);
    expect((done.summary as { balanced: boolean }).balanced).toBe(true);
    expect(storedIds(fake, listId)).toEqual(approved);
    // Nothing that had landed before the stop was sent again.
    const resent = fake
      .apiRequests('/contacts')
      .slice(sentBefore)
      .filter((r) => r.method === 'POST' && r.status === 200)
      .flatMap((r) => (r.body as { id: string }[]).map((c) => c.id));
    expect(resent.filter((id) => landed.has(id))).toEqual([]);

    // An unknown job is 404.
    await request(server).post('/v1/sync-jobs/2026-01-01T000000Z-abcdef/resume').expect(404);
  });

  it('dryRun sends nothing and reports a masked sample', async () => {
    const res = await request(server)
      .post('/v1/sync-jobs')
      .send({
        contactListId: listId,
        contacts: generateContacts(50, 34).map((g) => g.contact),
        version: '1.0.0',
        evaluatedAt: SYNC_EVALUATED_AT,
        dryRun: true,
      })
      .expect(202);
    const done = await waitDone(res.body.jobId as string);
    expect(done.status).toBe('dry-run');
    expect(JSON.stringify(done)).not.toMatch(/user\d+@example\.com|\+49151\d{8}/);
    expect(fake.apiRequests().filter((r) => r.method === 'POST' || r.method === 'PUT')).toEqual([]);
  });

  it('problems for bad requests and unknown jobs', async () => {
    const bad = await request(server)
      .post('/v1/sync-jobs')
      .send({ contacts: [], onReject: 'delete' })
      .expect(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    expect([...new Set((bad.body.errors as { path: string }[]).map((e) => e.path))].sort()).toEqual(
      ['contactListId', 'onReject'],
    );
    const missing = await request(server)
      .get('/v1/sync-jobs/2026-01-01T000000Z-abcdef')
      .expect(404);
    expect(missing.body.code).toBe('SYNC_JOB_NOT_FOUND');
    // Any id that is not one of ours is simply not found (and never reaches the file system).
    for (const id of ['does-not-exist', '..%2F..%2Fetc', '6f1c2a9e-0d4b-4a51-8e8e-3c2b1a0f9d77']) {
      const res = await request(server).get(`/v1/sync-jobs/${id}`).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('SYNC_JOB_NOT_FOUND');
    }
    await request(server)
      .post('/v1/sync-jobs')
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
  });
});
