import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { loadAppConfig } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import type { Decision } from '../policy/policy.types';
import type { AuditBatch } from './audit.types';
import { JsonlAuditLog } from './jsonl-audit-log';
import { JsonlComparisonLog } from './jsonl-comparison-log';
import { Pseudonymiser } from './pseudonymiser';
import {
  APPROVED,
  fileLines,
  logFiles,
  removeDir,
  tempDir,
  verify,
} from '../../test/fixtures/audit-kit';

const rejected: Decision = {
  decision: 'REJECTED',
  code: 'CONSENT_WITHDRAWN',
  codes: ['CONSENT_WITHDRAWN'],
  warnings: ['NOTICE_VERSION_OUTDATED'],
  violations: [
    { code: 'CONSENT_WITHDRAWN', message: 'withdrawn', rule: 'withdrawn', severity: 'reject' },
  ],
};
const PEOPLE = [
  {
    id: 'p-1',
    phone_number: '+33 6 12 34 56 78',
    email: 'Claire.Dubois@exemple.fr',
    name: 'Claire Dubois',
    birth_date: '1984-07-14',
  },
  {
    id: 'p-2',
    phone_number: '+44 7700 900123',
    first_name: 'Oliver',
    last_name: 'Smith',
    birth_date: '1979-01-30',
  },
  {
    phone_number: '+4915199887766',
    email: 'hans@beispiel.de',
    consents: [{ proof_ref: 'crm://consent/77' }],
  },
];

function setup(env: Record<string, string> = {}) {
  const root = tempDir();
  const dir = join(root, 'audit');
  const config = loadAppConfig({
    AUDIT_DIR: dir,
    COMPARE_LOG_DIR: join(root, 'compare'),
    AUDIT_HMAC_KEY: 'unit-test-hmac-key-0123456789abcdef',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = new AppLogger(config);
  const metrics = new MetricsService();
  const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  const audit = new JsonlAuditLog(
    config,
    clock,
    logger,
    metrics,
    new Pseudonymiser(config, logger),
  );
  const compare = new JsonlComparisonLog(config, clock, logger, metrics);
  return { root, dir, audit, compare, metrics };
}

function batch(items: AuditBatch['items'], extra: Partial<AuditBatch> = {}): AuditBatch {
  return {
    requestId: 'req-42',
    source: 'http',
    policy: { id: 'gdpr-consent', version: '2.0.0', digest: 'sha256:' + 'c'.repeat(64) },
    evaluatedAt: '2026-03-01T09:30:00Z',
    items,
    ...extra,
  };
}

describe('JsonlAuditLog', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(async () => {
    await ctx.audit.onApplicationShutdown();
    await ctx.compare.onApplicationShutdown();
    removeDir(ctx.root);
  });

  it('writes one line per decision and each rejection again to the rejection manifest', async () => {
    ctx = setup();
    await ctx.audit.append(
      batch([
        { contact: PEOPLE[0], decision: APPROVED },
        { contact: PEOPLE[1], decision: rejected },
        { contact: PEOPLE[2], decision: APPROVED },
      ]),
    );
    await ctx.audit.append(
      batch([{ contact: 'not-an-object', decision: rejected }], { source: 'sync', jobId: 'job-1' }),
    );
    const decisions = fileLines(join(ctx.dir, logFiles(ctx.dir)[0] as string)).map((l) =>
      JSON.parse(l),
    );
    const rejections = fileLines(join(ctx.dir, logFiles(ctx.dir, 'rejections')[0] as string)).map(
      (l) => JSON.parse(l),
    );
    expect(decisions).toHaveLength(4);
    expect(rejections).toHaveLength(2);
    expect(decisions[1]).toMatchObject({
      ts: '2026-03-01T10:00:00.000Z',
      requestId: 'req-42',
      source: 'http',
      policy: { id: 'gdpr-consent', version: '2.0.0', digest: 'sha256:' + 'c'.repeat(64) },
      evaluatedAt: '2026-03-01T09:30:00Z',
      contactKey: { id: 'p-2', phoneHmac: expect.stringMatching(/^[0-9a-f]{64}$/) },
      decision: 'REJECTED',
      code: 'CONSENT_WITHDRAWN',
      codes: ['CONSENT_WITHDRAWN'],
      warnings: ['NOTICE_VERSION_OUTDATED'],
      engineVersion: expect.stringMatching(/^consent-gate\/\S+ json-rules-engine\/7\./),
      seq: 2,
    });
    expect(decisions[2]).toMatchObject({ contactKey: { id: null }, proofRef: 'crm://consent/77' });
    expect(decisions[3]).toMatchObject({
      source: 'sync',
      jobId: 'job-1',
      contactKey: { id: null },
    });
    expect(rejections.map((r) => [r.seq, r.contactKey.id])).toEqual([
      [1, 'p-2'],
      [2, null],
    ]);
    const { hash: _h1, seq: _s1, prevHash: _p1, ...d } = decisions[1];
    const { hash: _h2, seq: _s2, prevHash: _p2, ...r } = rejections[0];
    expect(r).toEqual(d);
    expect((await verify(ctx.dir)).every((s) => s.failure === undefined)).toBe(true);
    const metrics = await ctx.metrics.registry.getSingleMetricAsString(
      'consent_gate_audit_lines_total',
    );
    expect(metrics).toContain('log="decisions"} 4');
    expect(metrics).toContain('log="rejections"} 2');
  });

  it('never writes a phone number, email, name or birth date', async () => {
    ctx = setup();
    await ctx.audit.append(batch(PEOPLE.map((contact) => ({ contact, decision: rejected }))));
    const all = readdirSync(ctx.dir)
      .map((n) => readFileSync(join(ctx.dir, n), 'utf8'))
      .join('\n');
    const raw = PEOPLE.flatMap((p) =>
      Object.values(p).filter((v): v is string => typeof v === 'string'),
    );
    const digits = PEOPLE.map((p) => p.phone_number.replace(/\D/g, ''));
    for (const value of [
      ...raw,
      ...digits,
      'claire.dubois@exemple.fr',
      'Claire',
      'Oliver',
      'Smith',
      '1984',
      '1979',
    ]) {
      if (value.startsWith('p-') || value.startsWith('crm://')) continue;
      expect(all).not.toContain(value);
    }
  });

  it('rejects with AUDIT_UNAVAILABLE when AUDIT_DIR cannot be created, and counts the failure', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), 'x');
    ctx = setup({ AUDIT_DIR: join(root, 'file', 'audit') });
    const err = await ctx.audit
      .append(batch([{ contact: PEOPLE[0], decision: APPROVED }]))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.AUDIT_UNAVAILABLE);
    const failures = await ctx.metrics.registry.getSingleMetricAsString(
      'consent_gate_audit_write_failures_total',
    );
    expect(failures).toMatch(/consent_gate_audit_write_failures_total [12]/);
    removeDir(root);
  });

  it('records comparison runs in their own chain in COMPARE_LOG_DIR', async () => {
    ctx = setup();
    const side = (version: string) => ({
      id: 'gdpr-consent',
      version,
      digest: 'sha256:' + 'd'.repeat(64),
      evaluatedAt: '2026-03-01T10:00:00Z',
    });
    const entry = {
      requestId: 'cmp-1',
      source: 'http' as const,
      baseline: side('1.0.0'),
      candidate: side('2.0.0'),
      inputDigest: 'sha256:' + 'e'.repeat(64),
      summary: { total: 3, unchanged: 1, newlyRejected: 1, newlyApproved: 0, reasonChanged: 1 },
    };
    await Promise.all([
      ctx.compare.record(entry),
      ctx.compare.record({ ...entry, requestId: 'cmp-2' }),
    ]);
    const dir = join(ctx.root, 'compare');
    const lines = fileLines(join(dir, logFiles(dir, 'comparisons')[0] as string)).map((l) =>
      JSON.parse(l),
    );
    expect(lines.map((l) => l.requestId).sort()).toEqual(['cmp-1', 'cmp-2']);
    expect(lines[0]).toMatchObject({
      ...entry,
      requestId: lines[0].requestId,
      ts: '2026-03-01T10:00:00.000Z',
      v: 1,
      seq: 1,
    });
    expect((await verify(dir))[0]).toMatchObject({ stream: 'comparisons', lines: 2 });
    // Comparisons are not decisions: nothing reaches the decision log.
    expect(existsSync(ctx.dir)).toBe(false);
  });
});
