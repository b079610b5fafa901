import { canonicalJson } from './canonical-json';
import { buildChainLine, checkLine, GENESIS_HASH } from './chain-format';
import { batchContext, decisionPieces } from './decision-line';
import type { AuditBatchHeader } from './audit.types';
import { auditRow } from './pseudonymiser';
import type { Decision } from '../policy/policy.types';
import { APPROVED } from '../../test/fixtures/audit-kit';

const batch: AuditBatchHeader = {
  requestId: 'req-1',
  source: 'sync',
  jobId: 'job-9',
  policy: { id: 'gdpr-consent', version: '2.0.0', digest: 'sha256:' + 'ab'.repeat(32) },
  evaluatedAt: '2026-03-01T09:00:00Z',
  ts: '2026-03-01T10:00:00.000Z',
};
const rejected: Decision = {
  decision: 'REJECTED',
  code: 'CONSENT_EXPIRED',
  codes: ['CONSENT_EXPIRED', 'PROOF_MISSING'],
  warnings: ['NOTICE_VERSION_OUTDATED'],
  violations: [{ code: 'CONSENT_EXPIRED', message: 'm', rule: 'r', severity: 'reject' }],
};

describe('decision lines', () => {
  it('are canonical JSON with every field an auditor needs, built without sorting', () => {
    const ctx = batchContext(batch, 'consent-gate/0.1.0 json-rules-engine/7.3.1');
    const contactKey = '{"id":"c1","kid":"0011223344556677"}';
    const { line, hash } = buildChainLine(
      decisionPieces(ctx, auditRow({ id: 'c1', proof_ref: 'crm://p/1' }, rejected), contactKey),
      5,
      GENESIS_HASH,
    );
    const text = line.slice(0, -1);
    const rec = JSON.parse(text);
    expect(canonicalJson(rec)).toBe(text);
    expect(checkLine(text).ok).toBe(true);
    expect(rec).toEqual({
      ts: '2026-03-01T10:00:00.000Z',
      requestId: 'req-1',
      source: 'sync',
      jobId: 'job-9',
      policy: batch.policy,
      evaluatedAt: '2026-03-01T09:00:00Z',
      engineVersion: 'consent-gate/0.1.0 json-rules-engine/7.3.1',
      contactKey: { id: 'c1', kid: '0011223344556677' },
      decision: 'REJECTED',
      code: 'CONSENT_EXPIRED',
      codes: ['CONSENT_EXPIRED', 'PROOF_MISSING'],
      warnings: ['NOTICE_VERSION_OUTDATED'],
      proofRef: 'crm://p/1',
      v: 1,
      seq: 5,
      prevHash: GENESIS_HASH,
      hash,
    });
  });

  it('omit jobId and proofRef when absent and stay canonical', () => {
    const ctx = batchContext({ ...batch, jobId: undefined, source: 'http' }, 'e');
    const { line } = buildChainLine(
      decisionPieces(ctx, auditRow({}, APPROVED), '{"id":null,"kid":"k"}'),
      1,
      GENESIS_HASH,
    );
    const text = line.slice(0, -1);
    const rec = JSON.parse(text);
    expect(canonicalJson(rec)).toBe(text);
    expect(rec).not.toHaveProperty('jobId');
    expect(rec).not.toHaveProperty('proofRef');
    expect(rec.source).toBe('http');
  });
  it('are the same for shared (frozen) decisions, whose fragments are cached, as for fresh ones', () => {
    const ctx = batchContext(batch, 'e');
    const codes = Object.freeze(['CONSENT_EXPIRED', 'PROOF_MISSING']) as string[];
    const warnings = Object.freeze(['NOTICE_VERSION_OUTDATED']) as string[];
    const shared: Decision = Object.freeze({ ...rejected, codes, warnings });
    for (let k = 0; k < 3; k++) {
      expect(decisionPieces(ctx, auditRow({ id: 'c' }, shared), '{}')).toEqual(
        decisionPieces(ctx, auditRow({ id: 'c' }, { ...rejected }), '{}'),
      );
    }
    // The cache is per array and code: another code over the same array is not mixed up.
    const other: Decision = { ...rejected, code: 'PROOF_MISSING', codes };
    expect(decisionPieces(ctx, auditRow({}, other), '{}').head).toContain(
      ',"code":"PROOF_MISSING","codes":["CONSENT_EXPIRED","PROOF_MISSING"]',
    );
  });
});
