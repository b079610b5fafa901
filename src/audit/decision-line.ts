import type { Decision } from '../policy/policy.types';
import type { AuditBatch } from './audit.types';
import { canonicalJson, canonicalStringArray } from './canonical-json';
import { LINE_FORMAT_VERSION, type ChainPieces } from './chain-format';

/** The members shared by every line of one batch, serialised once. */
export interface BatchContext {
  policyJson: string;
  evaluatedAtJson: string;
  engineJson: string;
  jobIdFragment: string;
  requestIdJson: string;
  sourceJson: string;
  tsJson: string;
}

export function batchContext(batch: AuditBatch, ts: string, engineVersion: string): BatchContext {
  return {
    policyJson: canonicalJson({
      id: batch.policy.id,
      version: batch.policy.version,
      digest: batch.policy.digest,
    }),
    evaluatedAtJson: JSON.stringify(batch.evaluatedAt),
    engineJson: JSON.stringify(engineVersion),
    jobIdFragment: batch.jobId === undefined ? '' : ',"jobId":' + JSON.stringify(batch.jobId),
    requestIdJson: JSON.stringify(batch.requestId),
    sourceJson: JSON.stringify(batch.source),
    tsJson: JSON.stringify(ts),
  };
}

/**
 * One decision line as ChainPieces, by plain concatenation in canonical key
 * order (this is the hot path: no object building, no sorting). Keys:
 * code, codes, contactKey, decision, engineVersion, evaluatedAt, [hash], jobId?,
 * policy, [prevHash], proofRef?, requestId, [seq], source, ts, v, warnings.
 * decision-line.spec.ts proves the result equals canonicalJson of the same record.
 */
export function decisionPieces(
  ctx: BatchContext,
  decision: Decision,
  contactKeyJson: string,
  proofRef: string | undefined,
): ChainPieces {
  return {
    head:
      ',"code":' +
      JSON.stringify(decision.code) +
      ',"codes":' +
      canonicalStringArray(decision.codes) +
      ',"contactKey":' +
      contactKeyJson +
      ',"decision":' +
      JSON.stringify(decision.decision) +
      ',"engineVersion":' +
      ctx.engineJson +
      ',"evaluatedAt":' +
      ctx.evaluatedAtJson,
    mid1: ctx.jobIdFragment + ',"policy":' + ctx.policyJson,
    mid2:
      (proofRef === undefined ? '' : ',"proofRef":' + JSON.stringify(proofRef)) +
      ',"requestId":' +
      ctx.requestIdJson,
    tail:
      ',"source":' +
      ctx.sourceJson +
      ',"ts":' +
      ctx.tsJson +
      ',"v":' +
      LINE_FORMAT_VERSION +
      ',"warnings":' +
      canonicalStringArray(decision.warnings),
  };
}
