import { readFileSync, statSync } from 'node:fs';
import { expectedData, generateContacts, policyTag, toNdjson } from './fixtures/sync-contacts';
import { filesUnder, REPO_ROOT, SyncHarness } from './fixtures/sync-harness';

/** `consent-gate sync` end to end: the built CLI against the fake Genesys Cloud. */
describe('consent-gate sync (CLI)', () => {
  let h: SyncHarness;
  const tag = policyTag(REPO_ROOT);

  beforeEach(async () => {
    h = await SyncHarness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('lands exactly the approved contacts of a 20k mixed file, each once, with the right columns', async () => {
    const generated = generateContacts(20_000);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(h.syncArgs(input));
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);

    const approved = generated.filter((g) => g.kind === 'ok');
    const stored = h.fake.contacts(h.listId);
    expect(stored).toHaveLength(approved.length);
    const byId = new Map(stored.map((c) => [c.id, c]));
    for (const g of approved) {
      expect(byId.get(g.contact.id as string)?.data).toEqual(expectedData(g.contact, tag));
    }
    // Each id was sent in exactly one accepted request; no clearSystemData.
    const sent = h.acceptedAdds().flatMap((r) => r.ids);
    expect(sent).toHaveLength(approved.length);
    expect(new Set(sent).size).toBe(sent.length);
    expect(h.fake.apiRequests('/contacts').every((r) => r.query.clearSystemData !== 'true')).toBe(
      true,
    );

    const [jobId] = h.jobIds();
    const summary = h.readJson<{
      buckets: Record<string, number>;
      reconciliation: string;
      balanced: boolean;
      rejectedByCode: Record<string, number>;
    }>(jobId!, 'summary.json');
    const rejectedCount = generated.length - approved.length;
    expect(summary.buckets).toEqual({
      imported: approved.length,
      'updated-uncallable': 0,
      rejected: rejectedCount,
      skipped: 0,
      failed: 0,
    });
    expect(summary.balanced).toBe(true);
    expect(summary.reconciliation).toBe(
      `20000 read = ${approved.length} imported + 0 updated-uncallable + ${rejectedCount} rejected + 0 skipped + 0 failed`,
    );
    expect(res.stdout).toContain(summary.reconciliation);

    // The rejection report: ids and codes only, one line per rejected contact, the expected code first.
    const rejected = h.readLines<{ index: number; id: string | null; codes: string[] }>(
      jobId!,
      'rejected.ndjson',
    );
    expect(rejected).toHaveLength(rejectedCount);
    for (const r of rejected) {
      const g = generated[r.index]!;
      expect(r.id).toBe(g.contact.id);
      expect(r.codes[0]).toBe(g.code);
    }
    expect(summary.rejectedByCode.CONTACT_ID_INVALID).toBe(
      generated.filter((g) => g.kind === 'badid').length,
    );

    // Every decision was audited with source sync and the job id.
    const auditText = filesUnder(h.auditDir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('');
    const syncLines = auditText
      .split('\n')
      .filter((l) => l.includes('"source":"sync"') && l.includes(jobId!));
    expect(syncLines.length).toBeGreaterThanOrEqual(20_000);

    // Job files: no addresses outside the input and the retry file; personal-data files 0600, dir 0700.
    for (const name of ['journal.jsonl', 'rejected.ndjson', 'summary.json', 'job.json']) {
      const text = readFileSync(h.jobFile(jobId!, name), 'utf8');
      expect(text).not.toMatch(/@example\.com|\+49151/);
    }
    expect(res.stdout + res.stderr).not.toMatch(/@example\.com|\+49151\d{8}/);
    for (const name of ['journal.jsonl', 'rejected.ndjson', 'failed.ndjson', 'job.json']) {
      expect(statSync(h.jobFile(jobId!, name)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(h.jobFile(jobId!, '')).mode & 0o777).toBe(0o700);
  });

  it.each(['csv', 'json'] as const)('reads a %s file the same way', async (format) => {
    const generated = generateContacts(400, 17);
    const fields = [
      'id',
      'first_name',
      'phone_number',
      'email',
      'consent_timestamp',
      'consent_scope',
    ];
    const text =
      format === 'csv'
        ? [
            fields.join(','),
            ...generated.map((g) => fields.map((f) => g.contact[f] ?? '').join(',')),
          ].join('\n') + '\n'
        : JSON.stringify(
            generated.map((g) => g.contact),
            null,
            2,
          );
    const input = h.writeInput(`contacts.${format}`, text);
    const res = await h.runSync(h.syncArgs(input));
    expect(res.code).toBe(0);
    const approved = generated.filter((g) => g.kind === 'ok');
    const byId = new Map(h.fake.contacts(h.listId).map((c) => [c.id, c]));
    expect(byId.size).toBe(approved.length);
    for (const g of approved)
      expect(byId.get(g.contact.id as string)?.data).toEqual(expectedData(g.contact, tag));
  });

  it('--dry-run validates, audits and checks columns but sends nothing; prints one masked sample', async () => {
    const generated = generateContacts(500, 7);
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(h.syncArgs(input, '--dry-run', '--on-reject', 'mark-uncallable'));
    expect(res.code).toBe(0);
    expect(h.writes()).toBe(0);
    expect(h.fake.apiRequests().filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual(
      [],
    );
    expect(h.fake.contacts(h.listId)).toHaveLength(0);
    const approved = generated.filter((g) => g.kind === 'ok').length;
    expect(res.stdout).toMatch(/dry run/i);
    expect(res.stdout).toContain(`${approved} imported`);
    expect(res.stdout).toMatch(/"phone_number": "\+49\*+\d{4}"|"email": "u\*\*\*@example\.com"/);
    expect(res.stdout).not.toMatch(/\+49151\d{8}/);
    expect(res.stdout).not.toMatch(/user\d+@example\.com/);
  });

  it('stops before sending anything when the mapping names a column the list lacks (exit 2)', async () => {
    const input = h.writeInput('contacts.ndjson', toNdjson(generateContacts(50)));
    const mapping = h.writeInput(
      'mapping.yaml',
      'columns:\n  phone_number: HomePhone\n  email: Email\nignore: [first_name]\n',
    );
    const res = await h.runSync([
      '--input',
      input,
      '--contact-list',
      h.listId,
      '--mapping',
      mapping,
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('SYNC_COLUMNS_MISSING');
    expect(res.stderr).toContain('HomePhone, Email');
    expect(h.writes()).toBe(0);
    expect(h.jobIds()).toEqual([]);
  });

  it('exits 2 with GENESYS_NOT_CONFIGURED when no credentials are set', async () => {
    const input = h.writeInput('contacts.ndjson', toNdjson(generateContacts(5)));
    const env = h.env();
    delete env.GENESYS_CLIENT_ID;
    delete env.GENESYS_CLIENT_SECRET;
    const res = await h.runSync(['--input', input, '--contact-list', h.listId], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('GENESYS_NOT_CONFIGURED');
  });

  it.each(['2026-02-30T10:00:00Z', '2026-03-01T10:00:00', '2026-03-01T24:00:00Z'])(
    'exits 2 with SYNC_INPUT_INVALID and sends nothing for --evaluated-at %s',
    async (instant) => {
      const input = h.writeInput('contacts.ndjson', toNdjson(generateContacts(5)));
      const res = await h.runSync(
        ['--input', input, '--contact-list', h.listId, '--evaluated-at', instant],
        h.env(),
      );
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('evaluatedAt must be an RFC 3339 date-time with an offset');
      expect(h.writes()).toBe(0);
    },
  );

  it('--on-reject mark-uncallable sets rejected contacts already in the list not callable and adds them to the DNC list', async () => {
    const dnc = h.fake.createDncList({ name: 'dnc' }).id;
    const generated = generateContacts(300, 11);
    const rejectedWithValidId = generated.filter((g) => g.kind !== 'ok' && g.kind !== 'badid');
    const existing = rejectedWithValidId.slice(0, 5);
    h.fake.seedContacts(
      h.listId,
      existing.map((g, i) => ({
        id: g.contact.id as string,
        data: { first_name: 'Old', phone_number: `+4930000000${i}`, email: `old${i}@example.org` },
      })),
    );
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(
      h.syncArgs(input, '--on-reject', 'mark-uncallable'),
      h.env({ SYNC_DNC_LIST_ID: dnc }),
    );
    expect(res.code).toBe(0);
    const stored = new Map(h.fake.contacts(h.listId).map((c) => [c.id, c]));
    for (const g of existing) {
      const c = stored.get(g.contact.id as string)!;
      expect(c.callable).toBe(false);
      expect(c.data.gdpr_consent_flag).toBe('false');
      expect(c.data.first_name).toBe('Old');
    }
    const entries = h.fake.dncEntries(dnc);
    expect(entries.phoneNumbers.sort()).toEqual(existing.map((_, i) => `+4930000000${i}`).sort());
    expect(entries.emailAddresses.sort()).toEqual(
      existing.map((_, i) => `old${i}@example.org`).sort(),
    );
    const [jobId] = h.jobIds();
    const summary = h.readJson<{ buckets: Record<string, number> }>(jobId!, 'summary.json');
    expect(summary.buckets['updated-uncallable']).toBe(existing.length);
    expect(summary.buckets.imported).toBe(generated.filter((g) => g.kind === 'ok').length);
    // Rejected contacts that were not in the list were never added.
    expect(stored.size).toBe(summary.buckets.imported! + existing.length);
  });

  it('narrows a batch Genesys refuses down to the bad contact: the rest land, it goes to the retry file (exit 1)', async () => {
    const generated = generateContacts(200, 3).filter((g) => g.kind === 'ok');
    const bad = generated[17]!;
    bad.contact.first_name = 'x'.repeat(600); // over the 512-character value limit
    const input = h.writeInput('contacts.ndjson', toNdjson(generated));
    const res = await h.runSync(h.syncArgs(input));
    expect(res.code).toBe(1);
    const stored = h.fake.contacts(h.listId).map((c) => c.id);
    expect(stored).toHaveLength(generated.length - 1);
    expect(stored).not.toContain(bad.contact.id);
    const [jobId] = h.jobIds();
    const failed = h.readLines(jobId!, 'failed.ndjson');
    expect(failed).toEqual([bad.contact]);
    const summary = h.readJson<{ failedByCode: Record<string, number> }>(jobId!, 'summary.json');
    // Caught by the client before sending (GENESYS_INVALID_DATA) or by Genesys (contact.datum.length.limit.exceeded).
    expect(Object.values(summary.failedByCode)).toEqual([1]);
    expect(res.stdout).toContain('failed.ndjson');

    // The retry file feeds back as input (after the data is fixed, it lands).
    const fixed = { ...bad.contact, first_name: 'Fixed' };
    const retry = h.writeInput('retry.ndjson', JSON.stringify(fixed) + '\n');
    const again = await h.runSync(h.syncArgs(retry));
    expect(again.code).toBe(0);
    expect(h.fake.contacts(h.listId)).toHaveLength(generated.length);
  });
});
