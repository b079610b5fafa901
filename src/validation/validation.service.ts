import { Injectable } from '@nestjs/common';
import { AuditLog, type AuditItem } from '../audit/audit.types';
import { Clock } from '../common/clock';
import { DomainError, isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { promiseFrom } from '../common/promise-from';
import { contactIdOf } from '../contacts/contact-id';
import type { InputRecord } from '../contacts/contact-reader';
import { MetricsService } from '../metrics/metrics.service';
import { PolicyRegistry } from '../policy/policy-registry';
import { INPUT_MALFORMED, type CompiledPolicy, type Decision } from '../policy/policy.types';
import { parseRfc3339 } from '../policy/language/time';
import { resultLines } from './result-json';
import { SummaryBuilder } from './validation-summary';
import type {
  ContactResult,
  ResolvedEvaluation,
  ResultSink,
  SummaryLine,
  ValidationContext,
  ValidationSummary,
} from './validation.types';

/** Records per evaluate -> audit -> write step of a stream; one audit batch (one fsync) each. */
export const STREAM_CHUNK_SIZE = 1000;
/**
 * Chunks of a stream evaluated ahead of the oldest one still being audited: while the
 * audit worker thread chains and writes chunk k, the request thread evaluates chunk k+1.
 * Results are still written strictly in order, each only after its chunk is durable.
 */
export const STREAM_AUDIT_DEPTH = 6;

/** A chunk's results and the audit append of its decisions, in flight. */
interface EvaluatedChunk {
  results: ContactResult[];
  /** Settles when the chunk's decisions are durable (rejects with AUDIT_UNAVAILABLE). */
  audited: Promise<void>;
}

/**
 * Decisions for the HTTP API, the CLI and the sync job: evaluate a chunk of
 * contacts with one policy version at one instant, append every decision to the
 * audit log, and only then hand the results back. Nothing is returned unaudited.
 */
@Injectable()
export class ValidationService {
  constructor(
    private readonly policies: PolicyRegistry,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Policy version and evaluation instant from optional request parameters: evaluatedAt
   * defaults to now, the version to the one in effect at evaluatedAt, the policy to
   * DEFAULT_POLICY. Throws INVALID_REQUEST for a non-RFC 3339 evaluatedAt and the
   * registry's POLICY_NOT_FOUND / POLICY_VERSION_NOT_FOUND / NO_VERSION_IN_EFFECT.
   */
  resolve(policyId?: string, version?: string, evaluatedAt?: string): ResolvedEvaluation {
    let at: Date;
    if (evaluatedAt === undefined) {
      at = this.clock.now();
    } else {
      const ms = parseRfc3339(evaluatedAt);
      if (ms === undefined) {
        throw new DomainError(ErrorCode.INVALID_REQUEST, 'evaluatedAt is not a valid instant.', {
          errors: [
            {
              path: 'evaluatedAt',
              message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T09:00:00Z',
            },
          ],
        });
      }
      at = new Date(ms);
    }
    const policy = this.policies.resolve(policyId, version, at);
    return { policy, evaluatedAt: at, evaluatedAtText: at.toISOString() };
  }

  /**
   * Plain contacts (e.g. a request's array) as records indexed by position. Evaluated
   * and audited in chunks of STREAM_CHUNK_SIZE, so the audit of one chunk overlaps the
   * evaluation of the next; resolves once every chunk is durable, rejects otherwise.
   */
  async validateContacts(
    resolved: ResolvedEvaluation,
    contacts: readonly unknown[],
    ctx: ValidationContext,
  ): Promise<ContactResult[]> {
    const chunks: EvaluatedChunk[] = [];
    for (let start = 0; start < contacts.length; start += STREAM_CHUNK_SIZE) {
      const end = Math.min(start + STREAM_CHUNK_SIZE, contacts.length);
      const records = new Array<InputRecord>(end - start);
      for (let i = start; i < end; i++) records[i - start] = { index: i, contact: contacts[i] };
      chunks.push(await this.evaluateChunk(resolved.policy, resolved.evaluatedAt, records, ctx));
    }
    await Promise.all(chunks.map((c) => c.audited));
    return chunks.length === 1
      ? (chunks[0] as EvaluatedChunk).results
      : chunks.flatMap((c) => c.results);
  }

  /** Evaluates a chunk and starts its audit append, without waiting for it. */
  private async evaluateChunk(
    policy: CompiledPolicy,
    evaluatedAt: Date,
    records: readonly InputRecord[],
    ctx: ValidationContext,
  ): Promise<EvaluatedChunk> {
    const results: ContactResult[] = new Array<ContactResult>(records.length);
    const items: AuditItem[] = new Array<AuditItem>(records.length);
    const decisions: Decision[] = new Array<Decision>(records.length);
    for (let i = 0; i < records.length; i++) {
      const rec = records[i] as InputRecord;
      const decision =
        rec.malformed !== undefined
          ? malformedDecision(rec.malformed)
          : ctx.explain
            ? await policy.evaluateWithEngine(rec.contact, evaluatedAt, { explain: true })
            : policy.evaluate(rec.contact, evaluatedAt);
      items[i] = { contact: rec.contact, decision };
      decisions[i] = decision;
      results[i] = toResult(rec, decision, ctx.explain === true);
    }
    if (records.length === 0) return { results, audited: Promise.resolve() };
    const audited = this.appendAudit({
      requestId: ctx.requestId,
      source: ctx.source,
      jobId: ctx.jobId,
      policy: policy.ref,
      evaluatedAt: evaluatedAt.toISOString(),
      items,
    }).then(() => this.metrics.countDecisions(policy.ref, ctx.source, decisions));
    // Observed by the caller; this only keeps a refused chunk that is never awaited
    // (an earlier one failed first) from surfacing as an unhandled rejection.
    audited.catch(() => undefined);
    return { results, audited };
  }

  /**
   * The streaming pipeline shared by POST /v1/validate/stream and `consent-gate validate`:
   * chunks of records (readContactBatches, STREAM_CHUNK_SIZE each) -> evaluate -> audit
   * (awaited) -> one NDJSON line per result in input order -> final summary line. Up to
   * STREAM_AUDIT_DEPTH chunks are in flight (evaluated, audit pending); a chunk's lines are
   * written only once it is durable, and nothing after a refused chunk is written. Reading
   * pauses while the sink applies backpressure, so memory stays flat whatever the input size.
   */
  async validateStream(
    batches: AsyncIterable<readonly InputRecord[]>,
    resolved: ResolvedEvaluation,
    ctx: ValidationContext,
    sink: ResultSink,
  ): Promise<SummaryLine> {
    const summary = new SummaryBuilder();
    const inFlight: EvaluatedChunk[] = [];
    const writeOldest = async (): Promise<void> => {
      const { results, audited } = inFlight.shift() as EvaluatedChunk;
      await audited;
      summary.add(results);
      await sink.write(resultLines(results));
    };
    for await (const batch of batches) {
      inFlight.push(await this.evaluateChunk(resolved.policy, resolved.evaluatedAt, batch, ctx));
      if (inFlight.length >= STREAM_AUDIT_DEPTH) await writeOldest();
    }
    while (inFlight.length > 0) await writeOldest();
    const line = summaryLine(summary.build(), resolved, ctx.requestId);
    await sink.write(JSON.stringify(line) + '\n');
    return line;
  }

  summarize(results: readonly ContactResult[]): ValidationSummary {
    const b = new SummaryBuilder();
    b.add(results);
    return b.build();
  }

  /**
   * Not async: the batch (and so every contact in it) is not held while the audit
   * is pending; chunks stay in flight for milliseconds, long enough for the GC to
   * promote whatever they still reference.
   */
  private appendAudit(batch: Parameters<AuditLog['append']>[0]): Promise<void> {
    return promiseFrom(() => this.audit.append(batch)).catch((e: unknown) => {
      if (isDomainError(e) && e.code === ErrorCode.AUDIT_UNAVAILABLE) throw e;
      throw new DomainError(
        ErrorCode.AUDIT_UNAVAILABLE,
        'The decision log cannot be written; no decision was released.',
        { cause: e },
      );
    });
  }
}

function summaryLine(
  summary: ValidationSummary,
  resolved: ResolvedEvaluation,
  requestId: string,
): SummaryLine {
  const { id, version, digest } = resolved.policy.ref;
  return {
    summary,
    policy: { id, version, digest },
    evaluatedAt: resolved.evaluatedAtText,
    requestId,
  };
}

function toResult(rec: InputRecord, d: Decision, explain: boolean): ContactResult {
  const r: ContactResult = {
    index: rec.index,
    contactId: contactIdOf(rec.contact),
    decision: d.decision,
    code: d.code,
    codes: d.codes,
    warnings: d.warnings,
    violations: d.violations,
  };
  if (explain && d.explain !== undefined) r.explain = d.explain;
  return r;
}

/** A record the reader could not parse (e.g. a bad NDJSON line): rejected, never skipped. */
export function malformedDecision(reason: string): Decision {
  return {
    decision: 'REJECTED',
    code: INPUT_MALFORMED,
    codes: [INPUT_MALFORMED],
    warnings: [],
    violations: [
      { code: INPUT_MALFORMED, message: reason, rule: INPUT_MALFORMED, severity: 'reject' },
    ],
  };
}
