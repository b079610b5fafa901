import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { createAuditLog } from '../src/audit/audit.module';
import type { AuditBatch, AuditLog } from '../src/audit/audit.types';
import { JsonlAuditLog } from '../src/audit/jsonl-audit-log';
import { Pseudonymiser } from '../src/audit/pseudonymiser';
import { WorkerAuditLog } from '../src/audit/worker-audit-log';
import { FixedClock } from '../src/common/clock';
import { DomainError } from '../src/common/domain-error';
import { ErrorCode } from '../src/common/error-codes';
import type { AppLogger } from '../src/common/logging/app-logger';
import { loadAppConfig } from '../src/config/config.module';
import { MetricsService } from '../src/metrics/metrics.service';
import type { Decision } from '../src/policy/policy.types';
import { APPROVED, fileLines, logFiles, removeDir, tempDir, verify } from './fixtures/audit-kit';

/** The compiled worker entry: `npm test` builds dist/ first (pretest). */
const SCRIPT = join(__dirname, '..', 'dist', 'audit', 'audit-worker.js');
const WRITER = join(__dirname, 'fixtures', 'audit-writer.js');
const CHECKPOINT_KEY = 'worker-test-checkpoint-key';

interface LogEntry {
  level: string;
  context: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** An AppLogger stand-in that records what the audit log (and its relayed worker logs) say. */
function recordingLogger(entries: LogEntry[]): AppLogger {
  const child = (context: string) => {
    const at =
      (level: string) =>
      (msg: string, fields?: Record<string, unknown>): void => {
        entries.push({ level, context, msg, fields });
      };
    return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  };
  return { child } as unknown as AppLogger;
}

function setup(dir: string, worker: boolean, env: Record<string, string> = {}) {
  const config = loadAppConfig({
    AUDIT_DIR: dir,
    AUDIT_HMAC_KEY: 'worker-test-hmac-key-0123456789abcdef',
    AUDIT_CHECKPOINT_KEY: CHECKPOINT_KEY,
    AUDIT_CHECKPOINT_EVERY: '7',
    AUDIT_ROTATE_BYTES: '20000',
    AUDIT_WORKER: String(worker),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const entries: LogEntry[] = [];
  const logger = recordingLogger(entries);
  const metrics = new MetricsService();
  const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  const audit = createAuditLog(
    config,
    clock,
    logger,
    metrics,
    new Pseudonymiser(config, logger),
    SCRIPT,
  );
  return { audit, clock, metrics, entries };
}

const decisions: Decision[] = [
  APPROVED,
  {
    decision: 'REJECTED',
    code: 'CONSENT_EXPIRED',
    codes: ['CONSENT_EXPIRED', 'PROOF_MISSING'],
    warnings: ['NOTICE_VERSION_OUTDATED'],
    violations: [],
  },
  {
    decision: 'REJECTED',
    code: 'INPUT_MALFORMED',
    codes: ['INPUT_MALFORMED'],
    warnings: [],
    violations: [],
  },
];

/** Contacts of every shape the pseudonymiser distinguishes. */
function contact(i: number): unknown {
  switch (i % 8) {
    case 0:
      return { id: `c-${i}`, phone_number: `+49 151 ${10000000 + i}`, email: `P${i}@Example.org` };
    case 1:
      return { id: i, phone_number: `+44 7700 ${900000 + i}`, proof_ref: `crm://consent/${i}` };
    case 2:
      return { id: `+4915${10000000 + i}`, email: `x${i}@example.org` };
    case 3:
      return 'not an object';
    case 4:
      return { consents: [{ proof_ref: `doc-${i}` }], email: ' Ünïcödé@example.org ' };
    case 5:
      return { id: { nested: true }, phone_number: 4915112345678 + i };
    case 6:
      return null;
    default:
      return { id: `ä-${i}-\u2028`, phone_number: '', email: '   ' };
  }
}

function batches(count: number, size: number): AuditBatch[] {
  let n = 0;
  return Array.from({ length: count }, (_, b) => ({
    requestId: `req-${b}`,
    source: b % 2 === 0 ? 'http' : 'sync',
    jobId: b % 2 === 0 ? undefined : `job-${b}`,
    policy: { id: 'gdpr-consent', version: '3.0.0', digest: 'sha256:' + 'cd'.repeat(32) },
    evaluatedAt: '2026-03-01T09:00:00Z',
    items: Array.from({ length: size }, () => {
      const i = n++;
      return { contact: contact(i), decision: decisions[i % 3] as Decision };
    }),
  }));
}

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.jsonl')) out.set(name, readFileSync(join(dir, name), 'utf8'));
  }
  return out;
}

async function close(audit: AuditLog): Promise<void> {
  await (audit as unknown as { onApplicationShutdown(): Promise<void> }).onApplicationShutdown();
}

describe('the decision log on its worker thread (AUDIT_WORKER)', () => {
  let root: string;
  beforeAll(() => {
    if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run npm run build first`);
  });
  beforeEach(() => (root = tempDir('audit-worker-')));
  afterEach(() => removeDir(root));

  it('writes byte-for-byte the files the in-process log writes, rotation and checkpoints included', async () => {
    const inline = setup(join(root, 'inline'), false);
    const threaded = setup(join(root, 'worker'), true);
    expect(inline.audit).toBeInstanceOf(JsonlAuditLog);
    expect(threaded.audit).toBeInstanceOf(WorkerAuditLog);
    const input = batches(12, 40);
    for (const b of input.slice(0, 6)) await inline.audit.append(b);
    for (const b of input.slice(0, 6)) await threaded.audit.append(b);
    // Concurrent appends, as from concurrent requests: grouped, still in call order.
    await Promise.all(input.slice(6).map((b) => inline.audit.append(b)));
    await Promise.all(input.slice(6).map((b) => threaded.audit.append(b)));
    await close(inline.audit);
    await close(threaded.audit);

    const a = filesOf(join(root, 'inline'));
    const b = filesOf(join(root, 'worker'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect(logFiles(join(root, 'worker')).length).toBeGreaterThan(1); // rotated
    expect([...a.keys()].some((n) => n.includes('checkpoint'))).toBe(true);
    for (const [name, text] of a) expect(b.get(name)).toBe(text);
    for (const r of await verify(join(root, 'worker'), CHECKPOINT_KEY)) {
      expect({ stream: r.stream, failure: r.failure }).toEqual({
        stream: r.stream,
        failure: undefined,
      });
    }
    const metrics = await threaded.metrics.registry.metrics();
    expect(metrics).toMatch(/consent_gate_audit_lines_total\{log="decisions"\} 480/);
  });

  it('repairs a torn tail at open() and reports it through the service logger', async () => {
    const dir = join(root, 'audit');
    const first = setup(dir, true);
    await first.audit.append(batches(1, 5)[0] as AuditBatch);
    await close(first.audit);
    const path = join(dir, logFiles(dir).pop() as string);
    appendFileSync(path, '{"code":"VALIDATION_PASSED","codes":[],"contactKey":{"emailHm');

    const second = setup(dir, true);
    await second.audit.open();
    expect(second.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'AuditLog',
        msg: 'audit log: repaired the tail left by an interrupted write',
      }),
    );
    expect(fileLines(path)).toHaveLength(5);
    await second.audit.append(batches(1, 5)[0] as AuditBatch);
    await close(second.audit);
    for (const r of await verify(dir, CHECKPOINT_KEY)) expect(r.failure).toBeUndefined();
  });

  it('refuses with AUDIT_UNAVAILABLE when the directory cannot be written, and counts it', async () => {
    writeFileSync(join(root, 'file'), 'x');
    const { audit, metrics, entries } = setup(join(root, 'file', 'audit'), true);
    const err = await audit.append(batches(1, 3)[0] as AuditBatch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.AUDIT_UNAVAILABLE);
    expect(await metrics.registry.metrics()).toMatch(/consent_gate_audit_write_failures_total \d/);
    expect(entries.some((e) => e.level === 'error' && /write failed/.test(e.msg))).toBe(true);
    await close(audit);
  });

  it('refuses with AUDIT_UNAVAILABLE when the pseudonym key cannot be generated', async () => {
    writeFileSync(join(root, 'file'), 'x');
    const { audit } = setup(join(root, 'file', 'audit'), true, { AUDIT_HMAC_KEY: '' });
    await expect(audit.append(batches(1, 3)[0] as AuditBatch)).rejects.toMatchObject({
      code: ErrorCode.AUDIT_UNAVAILABLE,
    });
    await close(audit);
  });

  it('refuses the batches in flight when the thread dies, then starts a new one and the chain continues', async () => {
    const dir = join(root, 'audit');
    const { audit, entries } = setup(dir, true);
    await audit.append(batches(1, 20)[0] as AuditBatch);
    const inFlight = audit.append(batches(1, 2000)[0] as AuditBatch);
    const thread = (audit as unknown as { worker: Worker }).worker;
    await thread.terminate();
    await expect(inFlight).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
    expect(entries.some((e) => e.level === 'error' && /worker thread stopped/.test(e.msg))).toBe(
      true,
    );
    await audit.append(batches(1, 20)[0] as AuditBatch);
    await close(audit);
    for (const r of await verify(dir, CHECKPOINT_KEY)) {
      expect({ stream: r.stream, failure: r.failure }).toEqual({
        stream: r.stream,
        failure: undefined,
      });
    }
  });

  it('does not keep a CLI process alive once its batches are written', () => {
    const r = spawnSync(process.execPath, [WRITER, join(root, 'audit'), 'unclosed'], {
      encoding: 'utf8',
      timeout: 20000,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('done WorkerAuditLog');
  });
});
