import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompareCli, SAMPLE, type CliResult } from './compare-cli.support';
import { SHIPPED_POLICIES } from './support/test-app';

/**
 * `compare --candidate-file` on a policy repository: an in-place edit of a
 * committed version is compared with its last committed text (git HEAD), and
 * a new, uncommitted file inside POLICIES_DIR is never compared with itself.
 */
const T = '2026-09-15T00:00:00Z';
const hasGit = spawnSync('git', ['--version']).status === 0;

describe('consent-gate compare --candidate-file in a git repository', () => {
  let dir: string;
  let policies: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'consent-gate-compare-git-'));
    policies = join(dir, 'policies');
    cpSync(SHIPPED_POLICIES, policies, { recursive: true });
    const git = (...args: string[]): void => {
      const r = spawnSync(
        'git',
        [
          '-c',
          'user.name=t',
          '-c',
          'user.email=t@example.org',
          '-c',
          'commit.gpgsign=false',
          ...args,
        ],
        {
          cwd: dir,
        },
      );
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${String(r.stderr)}`);
    };
    if (hasGit) {
      git('init', '-q', '.');
      git('add', '-A');
      git('commit', '-q', '-m', 'policies');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]): Promise<CliResult> => runCompareCli(dir, policies, args);

  (hasGit ? it : it.skip)(
    'compares an in-place edit with the committed text and gates on it',
    async () => {
      const file = join(policies, 'gdpr-consent', '3.0.0.yaml');
      const committed = readFileSync(file, 'utf8');
      writeFileSync(file, committed.replace('minimumAgeYears: 18', 'minimumAgeYears: 21'));
      try {
        const json = join(dir, 'edit.json');
        const r = await cli(
          '--input',
          SAMPLE,
          '--candidate-file',
          'policies/gdpr-consent/3.0.0.yaml',
          '--evaluated-at',
          T,
          '--json',
          json,
          '--fail-on',
          'newly-rejected',
        );
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('(baseline: the candidate file as last committed, git HEAD)');
        expect(r.stdout).toMatch(/FAIL --fail-on newly-rejected: newly-rejected is \d+/);
        const out = JSON.parse(readFileSync(json, 'utf8')) as {
          baseline: { version: string; digest: string };
          candidate: { version: string; digest: string };
          summary: { byChange: Record<string, number>; newlyRejectedByRule: { code: string }[] };
        };
        expect(out.baseline.version).toBe('3.0.0');
        expect(out.candidate.version).toBe('3.0.0');
        expect(out.baseline.digest).not.toBe(out.candidate.digest);
        expect(out.summary.byChange['newly-rejected']).toBeGreaterThan(0);
        expect(out.summary.newlyRejectedByRule.map((x) => x.code)).toEqual(['SUBJECT_UNDERAGE']);
      } finally {
        writeFileSync(file, committed);
      }
    },
    60_000,
  );

  it('refuses to compare a new file in POLICIES_DIR with itself, and accepts an explicit --baseline', async () => {
    const source = readFileSync(join(policies, 'gdpr-consent', '3.0.0.yaml'), 'utf8');
    const draft = join(policies, 'gdpr-consent', '3.1.0.yaml');
    writeFileSync(
      draft,
      source
        .replace(/^version: 3\.0\.0$/m, 'version: 3.1.0')
        .replace(/^effectiveFrom: 2026-06-01$/m, 'effectiveFrom: 2026-09-01')
        .replace('minimumAgeYears: 18', 'minimumAgeYears: 21'),
    );
    try {
      const args = ['--input', SAMPLE, '--candidate-file', draft, '--evaluated-at', T];
      const same = await cli(...args);
      expect(same.code).toBe(2);
      expect(same.stderr).toContain('COMPARE_INVALID');
      expect(same.stderr).toContain('--baseline');
      const named = await cli(...args, '--baseline', '3.0.0', '--fail-on', 'newly-rejected');
      expect(named.code).toBe(1);
      expect(named.stdout).toContain('baseline:  gdpr-consent 3.0.0');
      expect(named.stdout).toContain('candidate: gdpr-consent 3.1.0');
    } finally {
      rmSync(draft);
    }
  }, 60_000);
});
