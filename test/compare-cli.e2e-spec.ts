import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompareCli, SAMPLE, type CliResult } from './compare-cli.support';
import { REPO_ROOT, SHIPPED_POLICIES } from './support/test-app';

/** `consent-gate compare` through the built CLI (dist/cli.js): outputs, CI gate and exit codes. */
const T = '2026-07-15T12:00:00Z';

describe('consent-gate compare (CLI)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'consent-gate-compare-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]): Promise<CliResult> => runCompareCli(dir, SHIPPED_POLICIES, args);

  it('checks an uncommitted policy file against a committed version and gates on it', async () => {
    // The edit a policy author might make: raise the minimum age from 18 to 21.
    const source = readFileSync(join(SHIPPED_POLICIES, 'gdpr-consent', '2.0.0.yaml'), 'utf8');
    expect(source).toMatch(/minimumAgeYears: 18/);
    const candidate = join(dir, '2.1.0.yaml');
    writeFileSync(
      candidate,
      source
        .replace(/^version: 2\.0\.0$/m, 'version: 2.1.0')
        .replace(/minimumAgeYears: 18/, 'minimumAgeYears: 21'),
    );
    const json = join(dir, 'edit.json');
    const gated = await cli(
      '--input',
      SAMPLE,
      '--baseline',
      '2.0.0',
      '--candidate-file',
      candidate,
      '--evaluated-at',
      T,
      '--json',
      json,
      '--fail-on',
      'newly-approved',
      '--fail-on',
      'newly-rejected>5',
    );
    expect(gated.stderr).not.toMatch(/usage|error/i);
    expect(gated.code).toBe(1);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.candidate.version).toBe('2.1.0');
    expect(out.summary.byChange['newly-approved']).toBe(0);
    const newlyRejected = out.summary.byChange['newly-rejected'] as number;
    expect(newlyRejected).toBeGreaterThan(5);
    // Only the age rule moved, and the output says which gate failed.
    expect(out.summary.newlyRejectedByRule.map((r: { code: string }) => r.code)).toEqual([
      'SUBJECT_UNDERAGE',
    ]);
    expect(out.summary.ruleChanges).toMatchObject([
      { rule: 'SUBJECT_UNDERAGE', status: 'modified', fields: ['when'] },
    ]);
    expect(gated.stdout).toContain(
      `FAIL --fail-on newly-rejected>5: newly-rejected is ${newlyRejected}, more than 5`,
    );
    expect(gated.stdout).not.toContain('FAIL --fail-on newly-approved');
    // The terminal shows the transition matrix's changed cells, largest first, as in the JSON.
    const moves = Object.entries(out.summary.transitions as Record<string, Record<string, number>>)
      .flatMap(([from, row]) => Object.entries(row).map(([to, n]) => ({ from, to, n })))
      .filter((m) => m.from !== m.to)
      .sort((a, b) => b.n - a.n);
    expect(moves[0]?.to).toBe('SUBJECT_UNDERAGE');
    expect(gated.stdout).toContain('Primary code transitions (largest first):');
    expect(gated.stdout).toMatch(
      new RegExp(`${moves[0]?.from}\\s*│\\s*SUBJECT_UNDERAGE\\s*│\\s*${moves[0]?.n}\\s*│`),
    );

    const passing = await cli(
      '--input',
      SAMPLE,
      '--baseline',
      '2.0.0',
      '--candidate-file',
      candidate,
      '--evaluated-at',
      T,
      '--fail-on',
      `newly-rejected>${newlyRejected}`,
    );
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('OK: every --fail-on threshold holds');

    // The comparison log names the candidate file (its base name only) and the input digest.
    const logDir = join(dir, 'compare');
    const entries = readdirSync(logDir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(logDir, f), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries[0]).toMatchObject({
      source: 'cli',
      candidateFile: '2.1.0.yaml',
      inputName: 'contacts-sample.ndjson',
      inputDigest: out.inputDigest,
      candidate: { version: '2.1.0', digest: out.candidate.digest },
    });
  });

  it('reads CSV and writes every contact with --include all', async () => {
    const csv = join(dir, 'contacts.csv');
    writeFileSync(
      csv,
      [
        'id,phone_number,consent_timestamp,consent_scope',
        'a-1,+4915550000001,2026-01-10T09:00:00Z,cold_call',
        'a-2,+4915550000002,,cold_call',
        'a-3,+4915550000003,2023-01-10T09:00:00Z,marketing_email',
      ].join('\n'),
    );
    const json = join(dir, 'csv.json');
    const res = await cli(
      '--input',
      csv,
      '--baseline',
      '1.0.0',
      '--candidate',
      '2.0.0',
      '--evaluated-at',
      T,
      '--include',
      'all',
      '--json',
      json,
    );
    expect(res.code).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.changes.map((c: { contactId: string }) => c.contactId)).toEqual([
      'a-1',
      'a-2',
      'a-3',
    ]);
    expect(out.changes[1].baseline.code).toBe('CONSENT_MISSING');
    expect(out.summary.total).toBe(3);
    expect(res.stdout).toMatch(/total\s*│\s*3/);
    // Nothing personal reaches the outputs.
    expect(readFileSync(json, 'utf8')).not.toContain('+4915550');
    expect(res.stdout).not.toContain('+4915550');
  });

  it.each([
    [['--candidate', '2.0.0'], /--input/],
    [['--input', SAMPLE], /--candidate/],
    [['--input', SAMPLE, '--candidate', '2.0.0', '--fail-on', 'rejected>3'], /--fail-on/],
    [['--input', SAMPLE, '--candidate', '2.0.0', '--evaluated-at', '2026-07-15'], /RFC 3339/],
    [['--input', SAMPLE, '--candidate', '2.0.0', '--include', 'most'], /--include/],
    [['--input', SAMPLE, '--candidate', '9.9.9'], /POLICY_VERSION_NOT_FOUND/],
    [['--input', join(REPO_ROOT, 'no-such-file.ndjson'), '--candidate', '2.0.0'], /Cannot read/],
  ])('exits 2 on %j', async (args, message) => {
    const res = await cli(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});
