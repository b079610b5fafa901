import { existsSync, readFileSync } from 'node:fs';
import type { FakeGenesys } from './fake-genesys/fake-genesys';
import { approvedIds, generateContacts, toNdjson } from './fixtures/sync-contacts';
import { collect, storedIds, SyncHarness } from './fixtures/sync-harness';

interface CommitLine {
  t: string;
  run: number;
  outcomes?: { i: number; b: string; id: string | null }[];
}

/** The sync survives what Genesys Cloud does to long jobs: throttling, outages, token expiry, a kill -9. */
describe('consent-gate sync resilience (CLI against the fake)', () => {
  let h: SyncHarness;
  afterEach(async () => {
    await h.stop();
  });

  it('429 storms and 5xx bursts slow the job down but lose nothing', async () => {
    h = await SyncHarness.start({ rateLimitPerMinute: 5, rateLimitWindowMs: 1000 });
    h.fake.injectFaults({ method: 'POST', pathIncludes: '/contacts' }, [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { kind: 'status', status: 504 },
      { kind: 'drop' },
      { kind: 'status', status: 503 },
    ]);
    const generated = generateContacts(3000, 5);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(
      h.syncArgs(input, '--batch-size', '250'),
      h.env({ GENESYS_MAX_RETRIES: '12' }),
    );
    expect(res.code).toBe(0);
    const statuses = h.fake.apiRequests('/contacts').map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThanOrEqual(3);
    expect(storedIds(h.fake, h.listId)).toEqual(approvedIds(generated));
    const [jobId] = h.jobIds();
    const summary = h.readJson<{ buckets: Record<string, number>; balanced: boolean }>(
      jobId!,
      'summary.json',
    );
    expect(summary.buckets.failed).toBe(0);
    expect(summary.balanced).toBe(true);
  });

  it('renews a token that expires mid-job', async () => {
    const holder: { fake?: FakeGenesys } = {};
    let accepted = 0;
    h = await SyncHarness.start({
      onResponse: (r) => {
        if (r.method === 'POST' && r.path.endsWith('/contacts') && r.status === 200) {
          accepted += 1;
          if (accepted === 2) holder.fake?.expireAllTokens();
        }
      },
    });
    holder.fake = h.fake;
    const generated = generateContacts(2000, 9);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(h.syncArgs(input, '--batch-size', '200', '--concurrency', '1'));
    expect(res.code).toBe(0);
    expect(h.fake.tokenRequests()).toBeGreaterThanOrEqual(2);
    expect(h.fake.apiRequests().some((r) => r.status === 401)).toBe(true);
    expect(storedIds(h.fake, h.listId)).toEqual(approvedIds(generated));
  });

  it('a batch Genesys answers 400 is narrowed down; every good contact still lands', async () => {
    h = await SyncHarness.start();
    h.fake.injectFaults({ method: 'POST', pathIncludes: '/contacts' }, [
      {
        kind: 'status',
        status: 400,
        body: {
          status: 400,
          code: 'invalid.contact.columns',
          message: 'Contact [x] has columns that are not in contact list',
          messageWithParams: 'Contact [{contactId}] has columns that are not in contact list',
          messageParams: { contactId: 'x' },
        },
      },
    ]);
    const generated = generateContacts(400, 13);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(h.syncArgs(input));
    expect(res.code).toBe(0);
    const posts = h.fake
      .apiRequests('/contacts')
      .filter((r) => r.method === 'POST' && !r.path.endsWith('/bulk'));
    expect(posts[0]?.status).toBe(400);
    expect(posts.length).toBe(3); // the whole batch, then its two halves
    expect(storedIds(h.fake, h.listId)).toEqual(approvedIds(generated));
  });

  it('kill -9 mid-run, then --resume: every contact in exactly one bucket, no accepted contact re-sent', async () => {
    h = await SyncHarness.start();
    // Genesys stores each batch, then answers slowly: batches are "in flight" when the process dies.
    h.fake.injectFaults(
      { method: 'POST', pathIncludes: '/contacts' },
      Array.from({ length: 12 }, () => ({
        kind: 'delay' as const,
        ms: 300,
        phase: 'after' as const,
      })),
    );
    const generated = generateContacts(5000, 21);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const child = h.spawnSync(h.syncArgs(input, '--batch-size', '250', '--concurrency', '2'));
    const exited = collect(child);

    // Kill once the journal shows at least one committed batch and no end of run.
    const deadline = Date.now() + 30_000;
    let killedAt = -1;
    while (Date.now() < deadline) {
      const [jobId] = h.jobIds();
      const journal = jobId ? h.jobFile(jobId, 'journal.jsonl') : '';
      if (journal && existsSync(journal)) {
        const text = readFileSync(journal, 'utf8');
        if (text.includes('"t":"commit"') && !text.includes('"t":"end"')) {
          child.kill('SIGKILL');
          killedAt = h.fake.requests.length;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const first = await exited;
    expect(first.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    const [jobId] = h.jobIds();
    const committedRun1 = new Set(
      h
        .readLines<CommitLine>(jobId!, 'journal.jsonl')
        .filter((l) => l.t === 'commit')
        .flatMap((l) => l.outcomes ?? [])
        .filter((o) => o.b === 'imported')
        .map((o) => o.id as string),
    );
    expect(committedRun1.size).toBeGreaterThan(0);
    // Let any request the dead process left in flight finish on the fake's side.
    await new Promise((r) => setTimeout(r, 400));
    const requestsAtResume = h.fake.requests.length;

    const second = await h.runSync(['--resume', jobId!]);
    expect(second.code).toBe(0);

    // The list holds exactly the approved set.
    expect(storedIds(h.fake, h.listId)).toEqual(approvedIds(generated));
    // Nothing committed before the kill was sent again.
    const resent = h.fake.requests
      .slice(requestsAtResume)
      .filter((r) => r.method === 'POST' && Array.isArray(r.body))
      .flatMap((r) => (r.body as { id: string }[]).map((c) => c.id));
    expect(resent.filter((id) => committedRun1.has(id))).toEqual([]);
    // An id accepted twice can only be one of the batches in flight at the kill.
    const acceptedCount = new Map<string, number>();
    for (const add of h.acceptedAdds())
      for (const id of add.ids) acceptedCount.set(id, (acceptedCount.get(id) ?? 0) + 1);
    for (const [id, n] of acceptedCount) {
      expect(n).toBeLessThanOrEqual(2);
      if (n === 2) expect(committedRun1.has(id)).toBe(false);
    }

    // Journal: every input record has exactly one final outcome across both runs.
    const outcomes = h
      .readLines<CommitLine>(jobId!, 'journal.jsonl')
      .filter((l) => l.t === 'commit')
      .flatMap((l) => l.outcomes ?? []);
    const indexes = outcomes.map((o) => o.i).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: generated.length }, (_, i) => i));

    const summary = h.readJson<{
      run: number;
      buckets: Record<string, number>;
      jobBuckets: Record<string, number>;
      balanced: boolean;
    }>(jobId!, 'summary.json');
    expect(summary.run).toBe(2);
    expect(summary.balanced).toBe(true);
    expect(summary.buckets.skipped).toBeGreaterThan(0);
    expect(summary.jobBuckets.imported).toBe(approvedIds(generated).length);
    expect(summary.jobBuckets.rejected).toBe(generated.length - approvedIds(generated).length);
    expect(summary.jobBuckets.failed).toBe(0);
    // The rejection report lists each rejected contact once, even though the run was cut.
    expect(h.readLines(jobId!, 'rejected.ndjson')).toHaveLength(summary.jobBuckets.rejected!);
    expect(second.stdout).toContain('skipped');
  });
});
