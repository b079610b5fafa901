import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { loadAppConfig } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { SyncPreparer } from './sync-preparer';
import { SyncRunner } from './sync-runner';
import { SyncStore } from './sync-store';
import { COLUMNS, MemoryAudit, MemoryGenesys, MemoryInput, registry } from './testing/memory-ports';

// ---- harness ------------------------------------------------------------------

function contact(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `c-${i}`,
    phone_number: `+4915112345${String(i).padStart(3, '0')}`,
    email: `p${i}@example.com`,
    first_name: `Name${i}`,
    consent_timestamp: '2026-01-01T00:00:00Z',
    consent_scope: i % 4 === 3 ? 'newsletter' : 'cold_call',
    ...extra,
  };
}

function setup(
  contacts: unknown[],
  env: Record<string, string> = {},
  genesys = new MemoryGenesys(),
) {
  const dir = mkdtempSync(join(tmpdir(), 'sync-runner-'));
  const inputPath = join(dir, 'contacts.ndjson');
  writeFileSync(inputPath, contacts.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const config = loadAppConfig({ SYNC_DIR: join(dir, 'sync'), LOG_LEVEL: 'silent', ...env });
  const clock = new FixedClock(new Date('2026-12-04T20:15:00Z'));
  const store = new SyncStore(config);
  const input = new MemoryInput(() => contacts.map((c, index) => ({ index, contact: c })));
  const audit = new MemoryAudit(genesys.events);
  const preparer = new SyncPreparer(config, clock, registry, genesys, store, input);
  const runner = new SyncRunner(
    config,
    clock,
    audit,
    genesys,
    store,
    input,
    new AppLogger(config),
    new MetricsService(),
  );
  return { dir, inputPath, genesys, audit, preparer, runner, store, config };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function syncAll(
  contacts: unknown[],
  opts: Record<string, unknown> = {},
  env: Record<string, string> = {},
  genesys?: MemoryGenesys,
) {
  const h = setup(contacts, env, genesys);
  dirs.push(h.dir);
  const job = await h.preparer.prepare({
    contactListId: 'list-1',
    input: h.inputPath,
    batchSize: 10,
    concurrency: 3,
    ...opts,
  });
  const summary = await h.runner.run(job);
  return { ...h, job, summary };
}

// ---- tests --------------------------------------------------------------------

describe('SyncRunner', () => {
  it('puts every contact in exactly one bucket and lands only approved contacts, with consent columns', async () => {
    const contacts = Array.from({ length: 95 }, (_, i) => contact(i));
    const { summary, genesys, store, job } = await syncAll(contacts);
    const approved = contacts.filter((c) => c.consent_scope === 'cold_call');
    expect(summary.buckets).toEqual({
      imported: approved.length,
      'updated-uncallable': 0,
      rejected: 95 - approved.length,
      skipped: 0,
      failed: 0,
    });
    expect(summary.balanced).toBe(true);
    expect(summary.reconciliation).toBe(
      `95 read = ${approved.length} imported + 0 updated-uncallable + ${95 - approved.length} rejected + 0 skipped + 0 failed`,
    );
    const stored = genesys.lists.get('list-1')!.contacts;
    expect([...stored.keys()].sort()).toEqual(approved.map((c) => c.id as string).sort());
    expect(stored.get('c-0')!.data).toEqual({
      phone_number: '+4915112345000',
      email: 'p0@example.com',
      first_name: 'Name0',
      gdpr_consent_flag: 'true',
      gdpr_consent_scope: 'cold_call',
      gdpr_consent_updated: '2026-01-01T00:00:00Z',
      gdpr_policy_version: '1.0.0+0123456789ab',
    });
    // Each id sent once.
    const sent = genesys.adds.flat();
    expect(new Set(sent).size).toBe(sent.length);
    const paths = store.paths(job.record.jobId);
    const rejected = readFileSync(paths.rejected, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected[0]).toEqual({
      index: 3,
      id: 'c-3',
      codes: ['SCOPE_MISMATCH'],
      markedUncallable: false,
    });
    expect(readFileSync(paths.rejected, 'utf8')).not.toMatch(/example\.com|\+49/);
    expect(statSync(paths.rejected).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(paths.summary, 'utf8')).status).toBe('completed');
  });

  it('audits each window before sending anything of it', async () => {
    const contacts = Array.from({ length: 30 }, (_, i) => contact(i));
    const { genesys, audit } = await syncAll(contacts, { concurrency: 1 });
    expect(audit.batches.every((b) => b.source === 'sync' && b.jobId !== undefined)).toBe(true);
    expect(audit.batches.reduce((n, b) => n + b.items.length, 0)).toBe(30);
    // For every add, some earlier audit covered its ids: the first event of each window is its audit.
    let audited = 0;
    for (const e of genesys.events) {
      if (e.startsWith('audit:')) audited += Number(e.slice(6));
      else {
        const maxIndex = Math.max(
          ...e
            .slice(4)
            .split(',')
            .map((id) => Number(id.slice(2))),
        );
        expect(maxIndex).toBeLessThan(audited);
      }
    }
  });

  it('narrows a rejected batch down to the bad contact so the others still land', async () => {
    const genesys = new MemoryGenesys();
    genesys.badIds.add('c-5');
    const contacts = Array.from({ length: 10 }, (_, i) =>
      contact(i, { consent_scope: 'cold_call' }),
    );
    const { summary, store, job } = await syncAll(contacts, {}, {}, genesys);
    expect(summary.buckets.imported).toBe(9);
    expect(summary.buckets.failed).toBe(1);
    expect(summary.failedByCode).toEqual({ 'contact.datum.length.limit.exceeded': 1 });
    expect(genesys.lists.get('list-1')!.contacts.has('c-5')).toBe(false);
    const failed = store.paths(job.record.jobId).failed;
    expect(
      readFileSync(failed, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([contacts[5]]);
    expect(statSync(failed).mode & 0o777).toBe(0o600);
    expect(summary.status).toBe('completed-with-failures');
  });

  it('rejects ids Genesys would refuse per contact (CONTACT_ID_INVALID) and never sends them', async () => {
    const contacts = [
      contact(0),
      contact(1, { id: 'has space' }),
      contact(2, { id: '' }),
      contact(4, { id: 'x'.repeat(256) }),
      { ...contact(5), id: undefined },
      contact(6, { id: 'a/b' }),
    ];
    const { summary, genesys } = await syncAll(contacts);
    expect(summary.buckets.imported).toBe(1);
    expect(summary.buckets.rejected).toBe(5);
    expect(summary.rejectedByCode).toEqual({ CONTACT_ID_INVALID: 5 });
    expect(genesys.adds.flat()).toEqual(['c-0']);
  });

  it('--on-reject mark-uncallable sets rejected contacts already in the list not callable and adds them to the DNC list', async () => {
    const genesys = new MemoryGenesys();
    genesys.lists.get('list-1')!.contacts.set('c-3', {
      id: 'c-3',
      contactListId: 'list-1',
      data: {
        phone_number: '+4915100000003',
        email: 'old3@example.com',
        gdpr_consent_flag: 'true',
      },
      callable: true,
    });
    const contacts = Array.from({ length: 8 }, (_, i) => contact(i)); // c-3 and c-7 rejected; only c-3 exists
    const { summary } = await syncAll(
      contacts,
      { onReject: 'mark-uncallable' },
      { SYNC_DNC_LIST_ID: 'dnc-1' },
      genesys,
    );
    expect(summary.buckets).toMatchObject({ imported: 6, 'updated-uncallable': 1, rejected: 1 });
    expect(genesys.updates).toHaveLength(1);
    expect(genesys.updates[0]).toMatchObject({
      id: 'c-3',
      data: { gdpr_consent_flag: 'false', gdpr_policy_version: '1.0.0+0123456789ab' },
      status: {
        uncallable: true,
        uncallablePhoneColumns: ['phone_number'],
        uncontactableEmailColumns: ['email'],
      },
    });
    expect(genesys.lists.get('list-1')!.contacts.get('c-3')!.callable).toBe(false);
    expect(genesys.dnc.sort()).toEqual(['+4915100000003', 'old3@example.com']);
  });

  it('stops before sending anything when the list lacks columns, naming them', async () => {
    const genesys = new MemoryGenesys(['phone_number', 'email', 'gdpr_consent_flag']);
    const h = setup([contact(0)], {}, genesys);
    dirs.push(h.dir);
    const err = await h.preparer
      .prepare({
        contactListId: 'list-1',
        input: h.inputPath,
        mapping: { columns: { phone_number: 'HomePhone' }, ignore: [] },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.SYNC_COLUMNS_MISSING);
    expect((err as DomainError).details.extra?.missingColumns).toEqual([
      'gdpr_consent_scope',
      'gdpr_consent_updated',
      'gdpr_policy_version',
      'HomePhone',
    ]);
    expect(genesys.adds).toHaveLength(0);
    expect(existsSync(join(h.dir, 'sync')) ? readdirSync(join(h.dir, 'sync')) : []).toEqual([]);
  });

  it('--dry-run audits and counts but sends nothing, with one masked sample payload', async () => {
    const contacts = Array.from({ length: 12 }, (_, i) => contact(i));
    const { summary, genesys, audit } = await syncAll(contacts, {
      dryRun: true,
      onReject: 'mark-uncallable',
    });
    expect(genesys.adds).toHaveLength(0);
    expect(genesys.updates).toHaveLength(0);
    expect(audit.batches.reduce((n, b) => n + b.items.length, 0)).toBe(12);
    expect(summary.status).toBe('dry-run');
    expect(summary.buckets).toMatchObject({ imported: 9, rejected: 3 });
    expect(summary.wouldMarkUncallable).toBe(3);
    expect(summary.samplePayload).toEqual({
      id: 'c-0',
      data: {
        phone_number: '+49*******5000',
        email: 'p***@example.com',
        first_name: '<5 characters>',
        gdpr_consent_flag: 'true',
        gdpr_consent_scope: 'cold_call',
        gdpr_consent_updated: '2026-01-01T00:00:00Z',
        gdpr_policy_version: '1.0.0+0123456789ab',
      },
    });
  });

  it('maps fields to columns, reports fields without a column once, never sends nested values', async () => {
    const genesys = new MemoryGenesys([
      ...COLUMNS.filter((c) => c !== 'phone_number'),
      'HomePhone',
    ]);
    const contacts = [0, 1, 2].map((i) =>
      contact(i, { consents: [{ purpose: 'marketing' }], crm_segment: 'gold', country: 'DE' }),
    );
    const { summary } = await syncAll(
      contacts,
      { mapping: { columns: { phone_number: 'HomePhone' }, ignore: ['country'] } },
      {},
      genesys,
    );
    expect(summary.unmappedFields).toEqual(['crm_segment']);
    const data = genesys.lists.get('list-1')!.contacts.get('c-0')!.data;
    expect(data.HomePhone).toBe('+4915112345000');
    expect(data).not.toHaveProperty('phone_number');
    expect(Object.keys(data)).not.toContain('consents');
  });

  it('resumes after a run stopped mid-way: nothing accepted is re-sent, nothing is lost', async () => {
    const genesys = new MemoryGenesys();
    genesys.failOnAdd = {
      n: 4,
      error: new DomainError(ErrorCode.GENESYS_AUTH_FAILED, 'credentials rejected'),
    };
    const contacts = Array.from({ length: 100 }, (_, i) => contact(i));
    const first = await syncAll(contacts, { concurrency: 1 }, {}, genesys);
    expect(first.summary.status).toBe('aborted');
    expect(first.summary.error?.code).toBe(ErrorCode.GENESYS_AUTH_FAILED);
    const acceptedFirst = new Set(genesys.lists.get('list-1')!.contacts.keys());
    expect(acceptedFirst.size).toBeGreaterThan(0);

    genesys.failOnAdd = undefined;
    const addsBefore = genesys.adds.length;
    const resumed = await first.preparer.resume(first.job.record.jobId);
    expect(resumed.record.runs).toBe(2);
    const second = await first.runner.run(resumed);
    expect(second.status).toBe('completed');
    expect(second.balanced).toBe(true);
    expect(second.buckets.skipped).toBeGreaterThan(0);
    const resent = genesys.adds.slice(addsBefore).flat();
    expect(resent.filter((id) => acceptedFirst.has(id))).toEqual([]);
    const approved = contacts.filter((c) => c.consent_scope === 'cold_call').map((c) => c.id);
    expect([...genesys.lists.get('list-1')!.contacts.keys()].sort()).toEqual([...approved].sort());
    expect(second.jobBuckets.imported).toBe(approved.length);
    expect(second.jobBuckets.rejected).toBe(100 - approved.length);
    // The rejection report lists each rejected contact exactly once across both runs.
    const rejected = readFileSync(first.store.paths(first.job.record.jobId).rejected, 'utf8')
      .trim()
      .split('\n');
    expect(rejected).toHaveLength(100 - approved.length);
  });

  it('stops when the audit log cannot be written: nothing unaudited is sent, the job resumes', async () => {
    const contacts = Array.from({ length: 50 }, (_, i) =>
      contact(i, { consent_scope: 'cold_call' }),
    );
    const h = setup(contacts);
    dirs.push(h.dir);
    h.audit.failOn = 3;
    const job = await h.preparer.prepare({
      contactListId: 'list-1',
      input: h.inputPath,
      batchSize: 10,
      concurrency: 1,
    });
    const first = await h.runner.run(job);
    expect(first.status).toBe('aborted');
    expect(first.error?.code).toBe(ErrorCode.AUDIT_UNAVAILABLE);
    expect(first.balanced).toBe(false);
    expect(first.reconciliation).toMatch(/unfinished/);
    // Windows 1-2 were audited and sent; window 3 (c-20..c-29) never reached Genesys.
    const sent = h.genesys.adds.flat();
    expect(sent).toHaveLength(20);
    expect(sent.every((id) => Number(id.slice(2)) < 20)).toBe(true);

    h.audit.failOn = undefined;
    const second = await h.runner.run(await h.preparer.resume(job.record.jobId));
    expect(second.status).toBe('completed');
    expect(second.buckets).toMatchObject({ skipped: 20, imported: 30 });
    expect(h.genesys.lists.get('list-1')!.contacts.size).toBe(50);
  });

  it('resumes over a torn journal line and cuts uncommitted lines off the side files', async () => {
    const genesys = new MemoryGenesys();
    genesys.failOnAdd = { n: 3, error: new DomainError(ErrorCode.GENESYS_AUTH_FAILED, 'revoked') };
    const contacts = Array.from({ length: 60 }, (_, i) => contact(i));
    const first = await syncAll(contacts, { concurrency: 1 }, {}, genesys);
    expect(first.summary.status).toBe('aborted');
    const paths = first.store.paths(first.job.record.jobId);
    const rejectedBefore = readFileSync(paths.rejected, 'utf8');
    // What a kill -9 in the middle of a commit leaves behind.
    appendFileSync(
      paths.rejected,
      '{"index":999,"id":"ghost","codes":["X"],"markedUncallable":false}\n',
    );
    appendFileSync(paths.failed, '{"id":"ghost"}\n');
    appendFileSync(paths.journal, '{"t":"commit","run":1,"batch":9,"outcomes":[{"i":59,"b":"imp');

    genesys.failOnAdd = undefined;
    const second = await first.runner.run(await first.preparer.resume(first.job.record.jobId));
    expect(second.status).toBe('completed');
    expect(second.balanced).toBe(true);
    const rejectedAfter = readFileSync(paths.rejected, 'utf8');
    expect(rejectedAfter.startsWith(rejectedBefore)).toBe(true);
    expect(rejectedAfter).not.toContain('ghost');
    expect(readFileSync(paths.failed, 'utf8')).toBe('');
    const lines = readFileSync(paths.journal, 'utf8').trim().split('\n');
    expect(() => lines.map((l) => JSON.parse(l) as unknown)).not.toThrow();
    expect(second.jobBuckets.imported + second.jobBuckets.rejected).toBe(60);
  });

  it('refuses to resume when the input file changed', async () => {
    const genesys = new MemoryGenesys();
    genesys.failOnAdd = {
      n: 1,
      error: new DomainError(ErrorCode.GENESYS_FORBIDDEN, 'no permission'),
    };
    const first = await syncAll([contact(0)], {}, {}, genesys);
    appendFileSync(first.inputPath, JSON.stringify(contact(9)) + '\n');
    await expect(first.preparer.resume(first.job.record.jobId)).rejects.toMatchObject({
      code: ErrorCode.SYNC_RESUME_MISMATCH,
    });
  });
});
