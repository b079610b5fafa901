import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileLines, logFiles, removeDir, tempDir } from './fixtures/audit-kit';

const REPO = resolve(__dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');
const WRITER = join(__dirname, 'fixtures', 'audit-writer.js');

function cli(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', POLICY_WATCH: 'false', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writer(dir: string, mode: 'once' | 'compare'): void {
  const r = spawnSync(process.execPath, [WRITER, dir, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((n) => `${n}:${statSync(join(dir, n)).size}:${statSync(join(dir, n)).mtimeMs}`)
    .join('\n');
}

describe('consent-gate audit verify', () => {
  let root: string;
  let pristine: string;
  let dir: string;
  let file: string;
  let n = 0;
  beforeAll(() => {
    root = tempDir('audit-cli-');
    pristine = join(root, 'pristine');
    // Two runs of the writer: 20 decisions and 6 rejections, chained across a restart.
    writer(pristine, 'once');
    writer(pristine, 'once');
  });
  afterAll(() => removeDir(root));
  beforeEach(() => {
    dir = join(root, `audit-${++n}`);
    cpSync(pristine, dir, { recursive: true, preserveTimestamps: true });
    file = logFiles(dir)[0] as string;
  });

  it('exits 0 with a summary on an untouched log, and changes nothing', () => {
    const before = snapshot(dir);
    const r = cli(['audit', 'verify', dir], { AUDIT_CHECKPOINT_KEY: 'crash-test-checkpoint-key' });
    expect(r.stdout).toMatch(/OK {3}decisions: 20 lines in 1 file, seq 1\.\.20, from genesis/);
    expect(r.stdout).toMatch(/OK {3}rejections: 6 lines in 1 file/);
    expect(r.stdout).toMatch(/^26 lines in 2 files verified$/m);
    expect(r.status).toBe(0);
    expect(snapshot(dir)).toBe(before);
  });

  it('verifies AUDIT_DIR when no directory is given', () => {
    const r = cli(['audit', 'verify'], { AUDIT_DIR: dir });
    expect(r.stdout).toMatch(/26 lines in 2 files verified/);
    expect(r.status).toBe(0);
  });

  it('exits 1 naming the file and line of one changed byte', () => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    lines[6] = (lines[6] as string).replace('"APPROVED"', '"APPROVEE"');
    writeFileSync(path, lines.join('\n'));
    const r = cli(['audit', 'verify', dir]);
    expect(r.stdout).toContain(`FAIL decisions: ${file} line 7: altered`);
    expect(r.stdout).toMatch(/FAILED: audit chain broken/);
    expect(r.status).toBe(1);
  });

  it('exits 1 on a deleted line and on two swapped lines', () => {
    const path = join(dir, file);
    const lines = fileLines(path);
    writeFileSync(path, [...lines.slice(0, 11), ...lines.slice(12)].join('\n') + '\n');
    let r = cli(['audit', 'verify', dir]);
    expect(r.stdout).toContain(
      `${file} line 12: deleted: 1 line missing before this line (seq 12)`,
    );
    expect(r.status).toBe(1);

    writeFileSync(
      path,
      [...lines.slice(0, 4), lines[5], lines[4], ...lines.slice(6)].join('\n') + '\n',
    );
    r = cli(['audit', 'verify', join(dir, file)]);
    expect(r.stdout).toContain(`${file} line 5: reordered`);
    expect(r.status).toBe(1);
  });

  it('reports a torn tail without repairing it', () => {
    appendFileSync(join(dir, file), '{"code":"CONSENT_MIS');
    const before = snapshot(dir);
    const r = cli(['audit', 'verify', dir, '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.streams[0].failure).toMatchObject({ file, line: 21, kind: 'torn' });
    expect(snapshot(dir)).toBe(before);
  });

  it('verifies the comparison log directory', () => {
    const cmp = join(root, `compare-${Date.now()}`);
    writer(cmp, 'compare');
    const r = cli(['audit', 'verify', cmp]);
    expect(r.stdout).toMatch(/OK {3}comparisons: 2 lines in 1 file/);
    expect(r.status).toBe(0);
    const line = JSON.parse(
      fileLines(join(cmp, logFiles(cmp, 'comparisons')[0] as string))[1] as string,
    );
    expect(line).toMatchObject({
      seq: 2,
      baseline: { version: '1.0.0' },
      candidate: { version: '2.0.0' },
      inputDigest: 'sha256:' + 'a'.repeat(64),
      summary: { newlyRejected: 3 },
    });
  });

  it('exits 2 when there is nothing to verify', () => {
    const r = cli(['audit', 'verify', join(root, 'does-not-exist')]);
    expect(r.stdout).toMatch(/does not exist/);
    expect(r.status).toBe(2);
  });
});
