import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { hashApiKey } from '../src/auth/api-key';
import {
  createTestApp,
  PINNED,
  readDecisionLines,
  REPO_ROOT,
  SHIPPED_POLICIES,
  seedContact,
} from './support/test-app';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err && typeof err.code === 'number' ? err.code : err ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Result lines plus the summary line without its requestId, for comparing runs. */
function comparable(text: string): unknown[] {
  return lines(text).map((l) => {
    if (!('summary' in l)) return l;
    const { requestId: _r, ...rest } = l;
    return rest;
  });
}

const contacts = [
  seedContact('a1'),
  seedContact(2, { consent_timestamp: '2019-01-01T00:00:00Z' }),
  { id: 'a3', consent_scope: 'cold_call' },
  seedContact('a4', { consent_scope: 'newsletter' }),
];
const ARGS = ['--version', PINNED.version, '--evaluated-at', PINNED.evaluatedAt];

describe('consent-gate validate', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'consent-gate-cli-'));
    env = {
      POLICIES_DIR: SHIPPED_POLICIES,
      AUDIT_DIR: join(dir, 'audit'),
      COMPARE_LOG_DIR: join(dir, 'compare'),
      SYNC_DIR: join(dir, 'sync'),
      LOG_LEVEL: 'warn',
    };
    writeFileSync(
      join(dir, 'c.ndjson'),
      contacts.map((c) => JSON.stringify(c)).join('\n') + '\nnot json\n',
    );
    writeFileSync(join(dir, 'c.json'), JSON.stringify(contacts));
    writeFileSync(
      join(dir, 'c.csv'),
      'id,phone_number,consent_timestamp,consent_scope\n' +
        contacts
          .map((c) =>
            ['id', 'phone_number', 'consent_timestamp', 'consent_scope']
              .map((k) => (c as Record<string, string | undefined>)[k] ?? '')
              .join(','),
          )
          .join('\n') +
        '\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same result and summary lines as POST /v1/validate/stream', async () => {
    const run = await cli(['validate', '--input', join(dir, 'c.ndjson'), ...ARGS], env);
    expect(run.code).toBe(0);
    const t = await createTestApp();
    try {
      const res = await request(t.app.getHttpServer() as App)
        .post(
          `/v1/validate/stream?version=${PINNED.version}&evaluatedAt=${encodeURIComponent(PINNED.evaluatedAt)}`,
        )
        .set('Content-Type', 'application/x-ndjson')
        .send(readFileSync(join(dir, 'c.ndjson')))
        .expect(200);
      expect(comparable(run.stdout)).toEqual(comparable(res.text));
    } finally {
      await t.close();
    }
    const out = lines(run.stdout);
    expect(out).toHaveLength(6);
    expect(out[4]).toMatchObject({ index: 4, code: 'INPUT_MALFORMED' });
    expect(out[5]?.summary).toMatchObject({ total: 5, approved: 1, rejected: 4 });
    expect(String(out[5]?.requestId)).toMatch(/^cli-/);
    expect(run.stderr).toContain('validated 5 contacts with gdpr-consent 1.0.0');
  });

  it('reads JSON arrays and CSV to the same decisions', async () => {
    const json = await cli(['validate', '--input', join(dir, 'c.json'), ...ARGS], env);
    const csv = await cli(['validate', '--input', join(dir, 'c.csv'), ...ARGS], env);
    expect(json.code).toBe(0);
    expect(csv.code).toBe(0);
    const decisions = (t: string): unknown[] =>
      lines(t)
        .filter((l) => !('summary' in l))
        .map((l) => [l.index, l.contactId, l.decision, l.code]);
    expect(decisions(json.stdout)).toEqual(decisions(csv.stdout));
    expect(decisions(json.stdout)).toEqual([
      [0, 'a1', 'APPROVED', 'VALIDATION_PASSED'],
      [1, '2', 'REJECTED', 'CONSENT_EXPIRED'],
      [2, 'a3', 'REJECTED', 'CONSENT_MISSING'],
      [3, 'a4', 'REJECTED', 'SCOPE_MISMATCH'],
    ]);
  });

  it('writes --output with mode 0600, prints the summary to stderr and audits with source cli', async () => {
    const output = join(dir, 'out.ndjson');
    writeFileSync(output, 'old', { mode: 0o644 });
    const run = await cli(
      ['validate', '--input', join(dir, 'c.json'), ...ARGS, '--output', output],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(statSync(output).mode & 0o777).toBe(0o600);
    const out = lines(readFileSync(output, 'utf8'));
    expect(out).toHaveLength(5);
    expect(run.stderr).toMatch(/1 approved, 3 rejected/);
    const requestId = out[4]?.requestId;
    const audited = readDecisionLines(join(dir, 'audit')).filter((l) => l.requestId === requestId);
    expect(audited).toHaveLength(4);
    expect(audited.every((l) => l.source === 'cli')).toBe(true);
  });

  it('reads NDJSON from stdin with --input -', async () => {
    const run = await cli(
      ['validate', '--input', '-', ...ARGS],
      env,
      JSON.stringify(seedContact('s1')) + '\n',
    );
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toMatchObject({ contactId: 's1', decision: 'APPROVED' });
  });

  it('exits non-zero with the problem code on usage, input and policy errors', async () => {
    const json = join(dir, 'c.json');
    const cases: [string[], number, string][] = [
      [['validate'], 2, 'INVALID_REQUEST'],
      [['validate', '--input', json, '--evaluated-at', '2025-01-01'], 2, 'evaluatedAt'],
      [['validate', '--input', join(dir, 'c.txt')], 2, '--format'],
      [['validate', '--input', join(dir, 'missing.json')], 2, 'INPUT_UNREADABLE'],
      [['validate', '--input', json, '--policy', 'nope'], 3, 'POLICY_NOT_FOUND'],
      [['validate', '--input', json, '--version', '9.9.9'], 3, 'POLICY_VERSION_NOT_FOUND'],
      [
        ['validate', '--input', json, '--evaluated-at', '2019-01-01T00:00:00Z'],
        3,
        'NO_VERSION_IN_EFFECT',
      ],
    ];
    // Independent processes: run them side by side to keep the suite quick.
    const runs = await Promise.all(cases.map(([args]) => cli(args, env)));
    runs.forEach((run, i) => {
      const [args, code, text] = cases[i] as [string[], number, string];
      expect({ args, code: run.code, mentions: run.stderr.includes(text) }).toEqual({
        args,
        code,
        mentions: true,
      });
      expect(run.stdout).toBe('');
    });
  });

  it('fails with AUDIT_UNAVAILABLE and writes no results when the audit log cannot be written', async () => {
    const blocked = join(dir, 'blocked-file');
    writeFileSync(blocked, 'x');
    const run = await cli(['validate', '--input', join(dir, 'c.json'), ...ARGS], {
      ...env,
      AUDIT_DIR: join(blocked, 'audit'),
      AUDIT_HMAC_KEY: 'k'.repeat(32),
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('AUDIT_UNAVAILABLE');
    expect(run.stdout).toBe('');
  });
});

describe('consent-gate keys new', () => {
  it('prints a random base64url key of 32 bytes, its SHA-256 hash and the API_KEY_HASHES line', async () => {
    const run = await cli(['keys', 'new', '--json'], {
      LOG_LEVEL: 'warn',
      POLICIES_DIR: SHIPPED_POLICIES,
    });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { key: string; hash: string; env: string };
    expect(out.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(out.key, 'base64url')).toHaveLength(32);
    expect(out.hash).toBe(hashApiKey(out.key));
    expect(out.env).toBe(`API_KEY_HASHES=${out.hash}`);

    const text = await cli(['keys', 'new'], { LOG_LEVEL: 'warn', POLICIES_DIR: SHIPPED_POLICIES });
    expect(text.stdout).toMatch(/^API_KEY_HASHES=[0-9a-f]{64}$/m);
    expect(text.stdout).not.toContain(out.key);
  });
});
