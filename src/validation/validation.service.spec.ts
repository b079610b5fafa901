import { Readable } from 'node:stream';
import { AuditLog, type AuditBatch } from '../audit/audit.types';
import { FixedClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { readContactBatches } from '../contacts/contact-reader';
import { MetricsService } from '../metrics/metrics.service';
import { FakePolicyRegistry, fakePolicy } from '../../test/support/fake-policy-registry';
import { contactIdOf } from '../contacts/contact-id';
import { STREAM_AUDIT_DEPTH, STREAM_CHUNK_SIZE, ValidationService } from './validation.service';
import type { ContactResult, SummaryLine } from './validation.types';

class RecordingAudit extends AuditLog {
  batches: AuditBatch[] = [];
  failAfter = Infinity;
  failWith: Error = new DomainError(ErrorCode.AUDIT_UNAVAILABLE, 'disk full');
  append(batch: AuditBatch): Promise<void> {
    if (this.batches.length >= this.failAfter) return Promise.reject(this.failWith);
    this.batches.push(batch);
    return Promise.resolve();
  }
}

function setup() {
  const audit = new RecordingAudit();
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
  const metrics = new MetricsService();
  const registry = new FakePolicyRegistry([
    fakePolicy('1.0.0', '2020-01-01T00:00:00Z'),
    fakePolicy('2.0.0', '2026-01-01T00:00:00Z'),
  ]);
  const service = new ValidationService(registry, audit, clock, metrics);
  return { audit, clock, metrics, service };
}

const http = { source: 'http' as const, requestId: 'req-1' };

describe('ValidationService', () => {
  it('defaults evaluatedAt to the clock and the version to the one in effect then', () => {
    const { service } = setup();
    const r = service.resolve();
    expect(r.evaluatedAtText).toBe('2026-03-01T09:00:00.000Z');
    expect(r.policy.ref.version).toBe('2.0.0');
    expect(
      service.resolve(undefined, undefined, '2025-06-01T12:00:00+02:00').policy.ref.version,
    ).toBe('1.0.0');
  });

  it('rejects an evaluatedAt without offset or with an impossible date', () => {
    const { service } = setup();
    for (const bad of ['2026-03-01T09:00:00', '2026-02-30T09:00:00Z', 'yesterday']) {
      expect(() => service.resolve(undefined, undefined, bad)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_REQUEST }),
      );
    }
  });

  it('returns results in order with contact ids, after auditing them as one batch', async () => {
    const { service, audit } = setup();
    const resolved = service.resolve(undefined, '1.0.0', '2026-01-01T00:00:00Z');
    const results = await service.validateContacts(
      resolved,
      [{ id: 'a', consent: true }, { id: 7 }, 'not an object', { name: 'no id' }],
      http,
    );
    expect(results.map((r) => [r.index, r.contactId, r.decision, r.code])).toEqual([
      [0, 'a', 'APPROVED', 'VALIDATION_PASSED'],
      [1, '7', 'REJECTED', 'CONSENT_MISSING'],
      [2, null, 'REJECTED', 'INPUT_MALFORMED'],
      [3, null, 'REJECTED', 'CONSENT_MISSING'],
    ]);
    expect(audit.batches).toHaveLength(1);
    expect(audit.batches[0]).toMatchObject({
      requestId: 'req-1',
      source: 'http',
      evaluatedAt: '2026-01-01T00:00:00.000Z',
      policy: { id: 'gdpr-consent', version: '1.0.0' },
    });
    expect(audit.batches[0]?.items).toHaveLength(4);
    expect(service.summarize(results)).toEqual({
      total: 4,
      approved: 1,
      rejected: 3,
      byCode: { CONSENT_MISSING: 2, INPUT_MALFORMED: 1, VALIDATION_PASSED: 1 },
    });
  });

  it('never releases results when the audit log fails, and wraps unknown audit errors', async () => {
    const { service, audit } = setup();
    const resolved = service.resolve();
    audit.failAfter = 0;
    await expect(
      service.validateContacts(resolved, [{ consent: true }], http),
    ).rejects.toMatchObject({
      code: ErrorCode.AUDIT_UNAVAILABLE,
    });
    audit.failWith = new Error('EACCES');
    await expect(service.validateContacts(resolved, [{}], http)).rejects.toMatchObject({
      code: ErrorCode.AUDIT_UNAVAILABLE,
    });
  });

  it('counts decisions in the metrics by policy, version, decision, code and source', async () => {
    const { service, metrics } = setup();
    await service.validateContacts(service.resolve(), [{ consent: true }, {}, {}], {
      ...http,
      source: 'cli',
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'consent_gate_decisions_total{policy="gdpr-consent",version="2.0.0",decision="REJECTED",code="CONSENT_MISSING",source="cli"} 2',
    );
  });

  it('streams results in chunks, audits each chunk before writing it, and ends with a summary line', async () => {
    const { service, audit } = setup();
    const lines = Array.from({ length: 25 }, (_, i) =>
      i === 10 ? '{broken' : JSON.stringify({ id: i, consent: i % 2 === 0 }),
    ).join('\n');
    const writes: string[] = [];
    const auditedBeforeWrite: number[] = [];
    const summary = await service.validateStream(
      readContactBatches(Readable.from([lines]), 'ndjson', { batchSize: 10 }),
      service.resolve(),
      http,
      {
        write: (t) => {
          writes.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8'));
          auditedBeforeWrite.push(audit.batches.length);
          return Promise.resolve();
        },
      },
    );
    // Every chunk is audited before its lines are written (the audit of later chunks may
    // already be under way: up to STREAM_AUDIT_DEPTH chunks are in flight).
    expect(auditedBeforeWrite).toHaveLength(4);
    auditedBeforeWrite.forEach((n, k) => expect(n).toBeGreaterThanOrEqual(Math.min(k + 1, 3)));
    const out = writes
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    const results = out.slice(0, -1) as ContactResult[];
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(results[10]).toMatchObject({ code: 'INPUT_MALFORMED', contactId: null });
    expect(results[10]?.violations[0]?.message).toBe('line 11 is not valid JSON');
    const last = out.at(-1) as SummaryLine;
    expect(last).toEqual(summary);
    expect(last.summary).toEqual({
      total: 25,
      approved: 12,
      rejected: 13,
      byCode: { CONSENT_MISSING: 12, INPUT_MALFORMED: 1, VALIDATION_PASSED: 12 },
    });
    expect(last.requestId).toBe('req-1');
  });

  it('stops a stream at the first chunk the audit log refuses, without writing that chunk', async () => {
    const { service, audit } = setup();
    audit.failAfter = 1;
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: i })).join('\n');
    const writes: string[] = [];
    await expect(
      service.validateStream(
        readContactBatches(Readable.from([lines]), 'ndjson', { batchSize: 10 }),
        service.resolve(),
        http,
        {
          write: (t) => {
            writes.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8'));
            return Promise.resolve();
          },
        },
      ),
    ).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
    // Only the first chunk: later chunks were already evaluated (STREAM_AUDIT_DEPTH in flight)
    // but nothing after a refused chunk is written.
    const indexes = writes
      .join('')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as ContactResult).index);
    expect(indexes).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(STREAM_AUDIT_DEPTH).toBeGreaterThan(1);
  });

  it('derives contactId from an own id only', () => {
    expect(contactIdOf({ id: 'x' })).toBe('x');
    expect(contactIdOf({ id: 12.5 })).toBe('12.5');
    expect(contactIdOf({ id: NaN })).toBeNull();
    expect(contactIdOf({ id: { nested: 1 } })).toBeNull();
    expect(contactIdOf(Object.create({ id: 'inherited' }))).toBeNull();
    expect(contactIdOf([1])).toBeNull();
    expect(contactIdOf(null)).toBeNull();
  });

  it('audits a large request in order, in chunks, and fails it whole when one chunk is refused', async () => {
    const { service, audit } = setup();
    const contacts = Array.from({ length: 2 * STREAM_CHUNK_SIZE + 500 }, (_, i) => ({ id: i }));
    const results = await service.validateContacts(service.resolve(), contacts, http);
    expect(results.map((r) => r.index)).toEqual(contacts.map((_, i) => i));
    expect(audit.batches.map((b) => b.items.length)).toEqual([1000, 1000, 500]);
    expect(
      audit.batches.flatMap((b) => b.items.map((i) => (i.contact as { id: number }).id)),
    ).toEqual(contacts.map((c) => c.id));
    audit.batches = [];
    audit.failAfter = 1;
    await expect(service.validateContacts(service.resolve(), contacts, http)).rejects.toMatchObject(
      {
        code: ErrorCode.AUDIT_UNAVAILABLE,
      },
    );
  });
});
