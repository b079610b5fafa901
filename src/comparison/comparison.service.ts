import { Injectable } from '@nestjs/common';
import { resolve } from 'node:path';
import { ComparisonLog, type ComparisonLogEntry } from '../audit/comparison-log';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppConfig } from '../config/app-config';
import type { InputRecord } from '../contacts/contact-reader';
import { PolicyRegistry } from '../policy/policy-registry';
import type { CompiledPolicy } from '../policy/policy.types';
import {
  ComparisonSession,
  isIncluded,
  type PreparedComparison,
  type ResolvedSide,
} from './comparison-session';
import { CommittedPolicyReader } from './committed-policy.reader';
import type { CompareResult, CompareSummary, ContactChange, IncludeMode } from './comparison.types';
import { digestOfContacts } from './input-digest';
import { diffRuleDefinitions } from './rule-diff';

export interface CompareSideRequest {
  /** Omitted: the version in effect at this side's instant. */
  version?: string;
  evaluatedAt?: Date;
}

export interface CompareRequest {
  /** Defaults to DEFAULT_POLICY. */
  policy?: string;
  baseline: CompareSideRequest;
  candidate: CompareSideRequest;
  /** Instant for a side that gives none; defaults to now (injected clock). */
  evaluatedAt?: Date;
  /** A policy file not (yet) in POLICIES_DIR, used as the candidate instead of candidate.version. */
  candidateFile?: string;
}

export interface RunMeta {
  requestId: string;
  source: 'http' | 'cli';
  inputName?: string;
}

/**
 * Outcomes of one input under two policy versions, or one version at two
 * instants. Compares with the same fast-path evaluation POST /v1/validate
 * uses, and records each run in the comparison log (never in the decision
 * audit log: no decision was acted on).
 */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly registry: PolicyRegistry,
    private readonly clock: Clock,
    private readonly comparisonLog: ComparisonLog,
    private readonly config: AppConfig,
    private readonly committed: CommittedPolicyReader,
  ) {}

  /** Resolves both sides; throws POLICY_NOT_FOUND / POLICY_VERSION_NOT_FOUND / NO_VERSION_IN_EFFECT. */
  async prepare(request: CompareRequest): Promise<PreparedComparison> {
    const now = this.clock.now();
    const baselineAt = request.baseline.evaluatedAt ?? request.evaluatedAt ?? now;
    const candidateAt = request.candidate.evaluatedAt ?? request.evaluatedAt ?? now;

    let candidatePolicy: CompiledPolicy;
    if (request.candidateFile !== undefined) {
      candidatePolicy = await this.registry.compileFile(request.candidateFile);
    } else {
      candidatePolicy = this.registry.resolve(
        request.policy,
        request.candidate.version,
        candidateAt,
      );
    }
    // A candidate file without --baseline is compared with its last committed text (git HEAD)
    // when it has one: an in-place edit inside POLICIES_DIR is already what the registry serves.
    let baselinePolicy =
      request.candidateFile !== undefined && request.baseline.version === undefined
        ? await this.committedVersion(request.candidateFile)
        : undefined;
    const baselineFromCommit = baselinePolicy !== undefined;
    if (baselinePolicy === undefined) {
      // With a candidate file and no explicit policy, the baseline is the same policy id.
      const baselinePolicyId =
        request.policy ??
        (request.candidateFile !== undefined ? candidatePolicy.ref.id : undefined);
      baselinePolicy = this.registry.resolve(
        baselinePolicyId,
        request.baseline.version,
        baselineAt,
      );
    }
    if (
      request.candidateFile !== undefined &&
      !baselineFromCommit &&
      resolve(baselinePolicy.file) === resolve(request.candidateFile)
    ) {
      // Comparing a file with itself would report "no change" whatever the edit was.
      throw new DomainError(
        ErrorCode.COMPARE_INVALID,
        `The candidate file is the file POLICIES_DIR serves as ${baselinePolicy.ref.id}@${baselinePolicy.ref.version}, ` +
          'so it cannot also be the baseline: name another version with --baseline <version> ' +
          '(without --baseline, a file with a git history is compared with its committed text).',
        {
          errors: [{ path: 'candidateFile', message: 'candidate and baseline are the same file' }],
        },
      );
    }
    if (baselinePolicy.ref.id !== candidatePolicy.ref.id) {
      throw new DomainError(
        ErrorCode.COMPARE_INVALID,
        `The candidate file is policy "${candidatePolicy.ref.id}" but the baseline is policy "${baselinePolicy.ref.id}"; ` +
          'compare versions of one policy (pass --policy to choose it).',
        {
          errors: [{ path: 'candidateFile', message: 'policy id differs from the baseline' }],
        },
      );
    }

    return {
      baseline: side(baselinePolicy, baselineAt),
      candidate: side(candidatePolicy, candidateAt),
      ruleDefinitionChanges:
        baselinePolicy.ref.digest === candidatePolicy.ref.digest
          ? []
          : diffRuleDefinitions(baselinePolicy.document, candidatePolicy.document),
      candidateFile: request.candidateFile,
      ...(baselineFromCommit ? { baselineFromCommit } : {}),
    };
  }

  /** The candidate file's committed (git HEAD) version, compiled; undefined when it has none. */
  private async committedVersion(candidateFile: string): Promise<CompiledPolicy | undefined> {
    const copy = await this.committed.readHead(candidateFile);
    if (copy === undefined) return undefined;
    try {
      return await this.registry.compileFile(copy.path);
    } finally {
      await copy.dispose();
    }
  }

  /** Compares an in-memory batch (POST /v1/compare); at most MAX_CONTACTS_PER_REQUEST contacts. */
  async compareContacts(
    request: CompareRequest,
    contacts: readonly unknown[],
    include: IncludeMode,
    meta: RunMeta,
  ): Promise<CompareResult> {
    const limit = this.config.server.maxContactsPerRequest;
    if (contacts.length > limit) {
      throw new DomainError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `At most ${limit} contacts per request (got ${contacts.length}); send larger inputs as NDJSON to POST /v1/compare/stream.`,
        { extra: { limit, received: contacts.length, streamEndpoint: '/v1/compare/stream' } },
      );
    }
    const prepared = await this.prepare(request);
    const session = new ComparisonSession(prepared);
    const changes: ContactChange[] = [];
    contacts.forEach((contact, index) => {
      const change = session.compare(index, contact);
      if (isIncluded(change, include)) changes.push(change);
    });
    const summary = session.summary();
    const inputDigest = digestOfContacts(contacts);
    await this.record(prepared, summary, inputDigest, meta);
    return {
      baseline: prepared.baseline.info,
      candidate: prepared.candidate.info,
      inputDigest,
      include,
      summary,
      changes,
    };
  }

  /**
   * Compares a stream of records, handing each included change to `sink`
   * (awaited, so a slow consumer applies backpressure). Keeps only counters.
   */
  async compareStream(
    prepared: PreparedComparison,
    records: AsyncIterable<InputRecord>,
    include: IncludeMode,
    sink: (change: ContactChange) => void | Promise<void>,
  ): Promise<CompareSummary> {
    const session = new ComparisonSession(prepared);
    for await (const record of records) {
      const change = session.compare(record.index, record.contact, record.malformed !== undefined);
      if (isIncluded(change, include)) await sink(change);
    }
    return session.summary();
  }

  /** Appends the run to the comparison log (both digests, both instants, input digest, counts). */
  async record(
    prepared: PreparedComparison,
    summary: CompareSummary,
    inputDigest: string,
    meta: RunMeta,
  ): Promise<void> {
    const entry: ComparisonLogEntry = {
      requestId: meta.requestId,
      source: meta.source,
      baseline: prepared.baseline.info,
      candidate: prepared.candidate.info,
      inputDigest,
      summary: {
        total: summary.total,
        unchanged: summary.byChange.unchanged,
        newlyRejected: summary.byChange['newly-rejected'],
        newlyApproved: summary.byChange['newly-approved'],
        reasonChanged: summary.byChange['reason-changed'],
      },
    };
    if (meta.inputName !== undefined) entry.inputName = meta.inputName;
    if (prepared.candidateFile !== undefined)
      entry.candidateFile = baseName(prepared.candidateFile);
    await this.comparisonLog.record(entry);
  }
}

function side(policy: CompiledPolicy, at: Date): ResolvedSide {
  return {
    policy,
    at,
    info: {
      id: policy.ref.id,
      version: policy.ref.version,
      digest: policy.ref.digest,
      evaluatedAt: at.toISOString(),
    },
  };
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
