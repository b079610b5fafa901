import type { AuditBatchHeader } from './audit.types';
import { canonicalJson, canonicalStringArray } from './canonical-json';
import { LINE_FORMAT_VERSION, type ChainPieces } from './chain-format';
import type { AuditRow } from './pseudonymiser';

/**
 * Every fragment of a decision line that is the same for the whole batch,
 * serialised once per batch rather than once per decision.
 */
export interface BatchContext {
  /** `,"decision":…,"engineVersion":…,"evaluatedAt":…` per decision value. */
  approvedTail: string;
  rejectedTail: string;
  engineEvaluatedAt: string;
  /** `[,"jobId":…],"policy":{…}` (between "hash" and "prevHash"). */
  mid1: string;
  /** `,"requestId":…` (between "prevHash" and "seq", after the optional proofRef). */
  requestIdFragment: string;
  /** `,"source":…,"ts":…,"v":1,"warnings":` (after "seq"). */
  tailPrefix: string;
  /** tailPrefix + `[]`: most decisions carry no warning. */
  tailNoWarnings: string;
}

export function batchContext(batch: AuditBatchHeader, engineVersion: string): BatchContext {
  const policyJson = canonicalJson({
    id: batch.policy.id,
    version: batch.policy.version,
    digest: batch.policy.digest,
  });
  const engineEvaluatedAt =
    ',"engineVersion":' +
    JSON.stringify(engineVersion) +
    ',"evaluatedAt":' +
    JSON.stringify(batch.evaluatedAt);
  const tailPrefix =
    ',"source":' +
    JSON.stringify(batch.source) +
    ',"ts":' +
    JSON.stringify(batch.ts) +
    ',"v":' +
    LINE_FORMAT_VERSION +
    ',"warnings":';
  return {
    approvedTail: ',"decision":"APPROVED"' + engineEvaluatedAt,
    rejectedTail: ',"decision":"REJECTED"' + engineEvaluatedAt,
    engineEvaluatedAt,
    mid1:
      (batch.jobId === undefined ? '' : ',"jobId":' + JSON.stringify(batch.jobId)) +
      ',"policy":' +
      policyJson,
    requestIdFragment: ',"requestId":' + JSON.stringify(batch.requestId),
    tailPrefix,
    tailNoWarnings: tailPrefix + '[]',
  };
}

/** `,"code":"X","codes":` per code: a policy has a handful of codes, so this stays small. */
const codePrefixes = new Map<string, string>();
const MAX_CODE_PREFIXES = 10_000;

function codePrefix(code: string): string {
  let p = codePrefixes.get(code);
  if (p === undefined) {
    p = ',"code":' + JSON.stringify(code) + ',"codes":';
    if (codePrefixes.size < MAX_CODE_PREFIXES) codePrefixes.set(code, p);
  }
  return p;
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
  row: AuditRow,
  contactKeyJson: string,
): ChainPieces {
  const p = decisionParts(ctx, row);
  return {
    head: decisionHead(p, contactKeyJson),
    mid1: ctx.mid1,
    mid2: p.mid2,
    tail: p.tail,
  };
}

/** A decision line's pieces except the contactKey, which goes between beforeKey and afterKey. */
export interface DecisionParts {
  /** `,"code":…,"codes":[…]` */
  beforeKey: string;
  /** `,"decision":…,"engineVersion":…,"evaluatedAt":…` */
  afterKey: string;
  mid2: string;
  tail: string;
}

/** The head piece of a line: `,"code":…,"codes":[…],"contactKey":{…},"decision":…,…`. */
function decisionHead(p: DecisionParts, contactKeyJson: string): string {
  return p.beforeKey + ',"contactKey":' + contactKeyJson + p.afterKey;
}

/**
 * `,"code":…,"codes":[…]` per shared decision (the fast path's decisions are frozen
 * and shared per set of failed rules, see SharedDecisions): built once per codes
 * array instead of once per line. Fresh arrays are serialised each time.
 */
const beforeKeys = new WeakMap<readonly string[], { code: string; json: string }>();

function beforeKey(code: string, codes: readonly string[]): string {
  if (!Object.isFrozen(codes)) return codePrefix(code) + canonicalStringArray(codes);
  const hit = beforeKeys.get(codes);
  if (hit !== undefined && hit.code === code) return hit.json;
  const json = codePrefix(code) + canonicalStringArray(codes);
  beforeKeys.set(codes, { code, json });
  return json;
}

/** canonicalStringArray of a frozen (shared) warnings array, once per array. */
const warningLists = new WeakMap<readonly string[], string>();

function warningList(warnings: readonly string[]): string {
  if (!Object.isFrozen(warnings)) return canonicalStringArray(warnings);
  let json = warningLists.get(warnings);
  if (json === undefined) {
    json = canonicalStringArray(warnings);
    warningLists.set(warnings, json);
  }
  return json;
}

export function decisionParts(ctx: BatchContext, row: AuditRow): DecisionParts {
  const [, , , proofRef, decision, code, codes, warnings] = row;
  return {
    beforeKey: beforeKey(code, codes),
    afterKey:
      decision === 'APPROVED'
        ? ctx.approvedTail
        : decision === 'REJECTED'
          ? ctx.rejectedTail
          : ',"decision":' + JSON.stringify(decision) + ctx.engineEvaluatedAt,
    mid2:
      proofRef === null
        ? ctx.requestIdFragment
        : ',"proofRef":' + JSON.stringify(proofRef) + ctx.requestIdFragment,
    tail: warnings.length === 0 ? ctx.tailNoWarnings : ctx.tailPrefix + warningList(warnings),
  };
}
