import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHIPPED_POLICIES } from './support/test-app';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'silent', POLICIES_DIR: SHIPPED_POLICIES, ...env },
        timeout: 50_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = `policy: demo
version: 1.0.0
effectiveFrom: 2025-01-01
description: demo
rules:
  - code: ADDRESS_MISSING
    severity: reject
    order: 10
    message: no address
    when: { fact: has_contact_address, operator: equal, value: false }
`;

describe('consent-gate policy lint', () => {
  it('rejects a broken file with file:line:col and exit code 1', async () => {
    mkdirSync(join(dir, 'demo'));
    const file = join(dir, 'demo', '1.0.0.yaml');
    writeFileSync(
      file,
      GOOD.replace('has_contact_address', 'has_contact_adress').replace('reject', 'block'),
    );
    const run = await cli(['policy', 'lint', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:7:15 rules[0].severity must be one of: reject, warn`);
    expect(run.stderr).toContain(
      `${file}:10:19 unknown fact "has_contact_adress" (did you mean "has_contact_address"?)`,
    );
    expect(run.stderr).toContain('policy lint: 2 error(s)');
  });

  it('works on a broken POLICIES_DIR (the CLI does not load policies at bootstrap)', async () => {
    mkdirSync(join(dir, 'demo'));
    writeFileSync(join(dir, 'demo', '1.0.0.yaml'), 'policy: [broken\n');
    const run = await cli(['policy', 'lint'], { POLICIES_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${join(dir, 'demo', '1.0.0.yaml')}:\\d+:\\d+ `));
  });

  it('accepts the shipped policies (POLICIES_DIR default) and prints a summary', async () => {
    const run = await cli(['policy', 'lint']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok {2}gdpr-consent@1\.0\.0 {2}5 rules/);
    expect(run.stdout).toMatch(/policy lint: \d+ version\(s\) OK/);
  });
});

describe('consent-gate policy test', () => {
  it('reports a POLICIES_DIR that is a file as a load error, not a crash', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'x');
    const run = await cli(['policy', 'test'], { POLICIES_DIR: file });
    expect(run.code).toBe(1);
    expect(run.stderr + run.stdout).toContain(`${file}:1:1 policy directory does not exist`);
    expect(run.stderr + run.stdout).not.toMatch(/ENOTDIR/);
  });

  it('passes on the shipped policies', async () => {
    const run = await cli(['policy', 'test', SHIPPED_POLICIES]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS gdpr-consent@1.0.0 exactly 730 days passes');
    expect(run.stdout).toMatch(/policy test: \d+ passed, 0 failed/);
  });

  it('prints FAIL with the difference and exits 1 when a case fails', async () => {
    mkdirSync(join(dir, 'demo', 'tests'), { recursive: true });
    writeFileSync(join(dir, 'demo', '1.0.0.yaml'), GOOD);
    writeFileSync(
      join(dir, 'demo', 'tests', '1.0.0.test.yaml'),
      `policy: demo
version: 1.0.0
cases:
  - name: has an email
    evaluatedAt: 2025-06-01T00:00:00Z
    contact: { email: someone@example.org }
    expect: { decision: APPROVED, codes: [] }
  - name: wrong expectation
    evaluatedAt: 2025-06-01T00:00:00Z
    contact: {}
    expect: { decision: APPROVED, codes: [] }
`,
    );
    const run = await cli(['policy', 'test', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PASS demo@1.0.0 has an email');
    expect(run.stdout).toContain(
      `FAIL demo@1.0.0 wrong expectation  (${join(dir, 'demo', 'tests', '1.0.0.test.yaml')}:8)`,
    );
    expect(run.stdout).toContain('decision: expected APPROVED, got REJECTED');
    expect(run.stdout).toContain('codes: expected [], got [ADDRESS_MISSING]');
    expect(run.stdout).toContain('policy test: 1 passed, 1 failed, 2 total in 1 file(s)');
  });

  it('names the rules no case exercises and the versions without cases, without failing', async () => {
    mkdirSync(join(dir, 'demo', 'tests'), { recursive: true });
    const twoRules = `${GOOD}  - code: SCOPE_MISMATCH
    severity: reject
    order: 20
    message: bad scope
    when: { fact: consent_scope, operator: notIn, value: [cold_call] }
`;
    writeFileSync(join(dir, 'demo', '1.0.0.yaml'), twoRules);
    writeFileSync(
      join(dir, 'demo', '2.0.0.yaml'),
      twoRules.replace('version: 1.0.0', 'version: 2.0.0'),
    );
    writeFileSync(
      join(dir, 'demo', 'tests', '1.0.0.test.yaml'),
      `policy: demo
version: 1.0.0
cases:
  - name: no address
    evaluatedAt: 2025-06-01T00:00:00Z
    contact: { consent_scope: cold_call }
    expect: { codes: [ADDRESS_MISSING] }
`,
    );
    const run = await cli(['policy', 'test', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('NOTE demo@1.0.0: no case makes these rules fail: SCOPE_MISMATCH');
    expect(run.stdout).toContain('NOTE demo@2.0.0: no test cases');
  });
});

describe('consent-gate policy reload', () => {
  let server: Server;
  let reply: { status: number; body: unknown };
  let seen: { method?: string; url?: string; headers?: IncomingHttpHeaders };
  let base: string;
  beforeEach(async () => {
    server = createServer((req, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs to /v1/policies/reload with the API key and prints what is served', async () => {
    reply = {
      status: 200,
      body: {
        ok: true,
        errors: [],
        loaded: [{ id: 'gdpr-consent', version: '1.0.0', digest: 'sha256:ab' }],
      },
    };
    const run = await cli(['policy', 'reload', '--url', base, '--api-key', 'k-123']);
    expect(run.code).toBe(0);
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/policies/reload' });
    expect(seen.headers?.['x-api-key']).toBe('k-123');
    expect(run.stdout).toContain('serving gdpr-consent@1.0.0 sha256:ab');
    expect(run.stdout).toContain('policy reload: OK (HTTP 200)');
  });

  it('prints the errors and exits 1 when the service keeps its last good set', async () => {
    reply = {
      status: 422,
      body: {
        ok: false,
        errors: [
          { file: 'policies/x/1.0.0.yaml', line: 3, column: 7, message: 'unknown fact "x"' },
        ],
        loaded: [],
      },
    };
    const run = await cli(['policy', 'reload', '--url', base]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('policies/x/1.0.0.yaml:3:7 unknown fact "x"');
    expect(run.stderr).toContain('policy reload: FAILED (HTTP 422)');
  });

  it('understands the problem document the service returns for a failed reload', async () => {
    reply = {
      status: 422,
      body: {
        code: 'POLICY_LOAD_FAILED',
        detail: 'Policies could not be reloaded (1 error(s)); the previous set keeps serving.',
        errors: [
          {
            path: 'policies/x/2.0.0.yaml:9:15',
            message: 'rules[0].severity must be one of: reject, warn',
          },
        ],
      },
    };
    const run = await cli(['policy', 'reload', '--url', base]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'policies/x/2.0.0.yaml:9:15 rules[0].severity must be one of: reject, warn',
    );
  });

  it('exits 1 when the service cannot be reached', async () => {
    const closed = base;
    await new Promise<void>((r) => server.close(() => r()));
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const run = await cli(['policy', 'reload', '--url', `${closed}/`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('policy reload: cannot reach');
  });
});
