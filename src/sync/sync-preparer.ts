import { resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { GenesysClient } from '../genesys/genesys-client';
import type { ContactListInfo } from '../genesys/genesys.types';
import { parseRfc3339 } from '../policy/language/time';
import { PolicyRegistry } from '../policy/policy-registry';
import type { CompiledPolicy } from '../policy/policy.types';
import { mappedColumns } from './column-mapping';
import { newJobId } from './sync-job-id';
import { consentColumnNames } from './sync-payload';
import { replayJournal, type JournalState } from './sync-journal';
import { SyncInput } from './sync-input';
import { SyncStore } from './sync-store';
import {
  ON_REJECT_VALUES,
  type ColumnMapping,
  type OnReject,
  type SyncJobRecord,
} from './sync.types';

export interface SyncRequest {
  contactListId: string;
  /** Path of the contact file (or the spool of an HTTP upload). */
  input: string;
  format?: string;
  onReject?: OnReject;
  dryRun?: boolean;
  mapping?: ColumnMapping | null;
  mappingSource?: string | null;
  policy?: string;
  version?: string;
  evaluatedAt?: string;
  concurrency?: number;
  batchSize?: number;
  /** Set when the job directory already exists (HTTP spool). */
  jobId?: string;
  inputDigest?: string;
  requestId?: string;
}

export interface PreparedJob {
  record: SyncJobRecord;
  list: ContactListInfo;
  policy: CompiledPolicy;
  /** Journal of earlier runs (resume), else null. */
  prior: JournalState | null;
  requestId: string;
  /** Rough number of records (from the line count), for the progress ETA; undefined when unknown. */
  estimatedTotal?: number;
  release: () => Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Everything that must hold before a job may send anything: a resolvable
 * policy, a readable input, a reachable list that has every column we will
 * write, and the per-list lock. Failures here leave nothing behind.
 */
@Injectable()
export class SyncPreparer {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly policies: PolicyRegistry,
    private readonly genesys: GenesysClient,
    private readonly store: SyncStore,
    private readonly input: SyncInput,
  ) {}

  async prepare(req: SyncRequest): Promise<PreparedJob> {
    const onReject = req.onReject ?? 'skip';
    const errors: { path: string; message: string }[] = [];
    if (!req.contactListId || req.contactListId.trim() === '')
      errors.push({ path: 'contactListId', message: 'is required' });
    if (!ON_REJECT_VALUES.includes(onReject))
      errors.push({ path: 'onReject', message: `must be one of ${ON_REJECT_VALUES.join(', ')}` });
    const concurrency = req.concurrency ?? this.config.genesys.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      errors.push({ path: 'concurrency', message: 'must be an integer from 1 to 64' });
    const batchSize = req.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
      errors.push({ path: 'batchSize', message: 'must be an integer from 1 to 1000' });
    // The parser /v1/validate uses: impossible dates (2026-02-30) and missing offsets are refused alike.
    const evaluatedAtMs = parseRfc3339(req.evaluatedAt);
    if (req.evaluatedAt !== undefined && evaluatedAtMs === undefined)
      errors.push({ path: 'evaluatedAt', message: 'must be an RFC 3339 date-time with an offset' });
    if (errors.length > 0)
      throw new DomainError(
        ErrorCode.SYNC_INPUT_INVALID,
        `Invalid sync parameters: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        { errors },
      );

    const at = evaluatedAtMs !== undefined ? new Date(evaluatedAtMs) : this.clock.now();
    const policy = this.policies.resolve(req.policy, req.version, at);
    const format = this.input.detect(req.input, req.format);
    const scanned =
      req.inputDigest === undefined ? await this.store.digestFile(req.input) : undefined;
    const inputDigest = req.inputDigest ?? (scanned as { digest: string }).digest;
    const mapping = req.mapping ?? null;
    const list = await this.checkList(req.contactListId, mapping);

    const jobId = req.jobId ?? newJobId(this.clock.now());
    if (req.jobId === undefined) await this.store.createJobDir(jobId);
    const release = req.dryRun
      ? () => Promise.resolve()
      : await this.store.acquireListLock(req.contactListId, jobId);
    const now = this.clock.now().toISOString();
    const record: SyncJobRecord = {
      jobId,
      createdAt: now,
      updatedAt: now,
      status: 'running',
      runs: 1,
      params: {
        contactListId: req.contactListId,
        // Absolute, so --resume works from any directory.
        input: resolve(req.input),
        format,
        inputDigest,
        onReject,
        dryRun: req.dryRun ?? false,
        mapping,
        mappingSource: req.mappingSource ?? null,
        policy: policy.ref,
        evaluatedAt: at.toISOString(),
        concurrency,
        batchSize,
      },
    };
    try {
      await this.store.writeJob(record);
    } catch (e) {
      await release();
      throw e;
    }
    return {
      record,
      list,
      policy,
      prior: null,
      requestId: req.requestId ?? jobId,
      estimatedTotal: estimate(format, scanned?.lines),
      release,
    };
  }

  /** Continues a job: same input (digest checked), same policy version and evaluation time. */
  async resume(jobId: string, overrides: { concurrency?: number } = {}): Promise<PreparedJob> {
    const record = await this.store.readJob(jobId);
    const p = record.params;
    if (p.dryRun)
      throw new DomainError(
        ErrorCode.SYNC_INPUT_INVALID,
        `Job ${jobId} was a dry run; start a new sync instead.`,
      );
    const { digest, lines } = await this.store.digestFile(p.input);
    if (digest !== p.inputDigest)
      throw new DomainError(
        ErrorCode.SYNC_RESUME_MISMATCH,
        `The input ${p.input} changed since job ${jobId} started (digest ${digest}, expected ${p.inputDigest}); start a new job.`,
      );
    const policy = this.policies.get(p.policy.id, p.policy.version);
    if (policy.ref.digest !== p.policy.digest)
      throw new DomainError(
        ErrorCode.SYNC_RESUME_MISMATCH,
        `Policy ${p.policy.id} ${p.policy.version} changed on disk since job ${jobId} started; decisions would differ. Start a new job.`,
      );
    const list = await this.checkList(p.contactListId, p.mapping);
    const release = await this.store.acquireListLock(p.contactListId, jobId);
    try {
      const prior = await replayJournal(this.store, this.store.paths(jobId).journal);
      const updated: SyncJobRecord = {
        ...record,
        status: 'running',
        runs: Math.max(record.runs, prior.runs) + 1,
        updatedAt: this.clock.now().toISOString(),
        params: { ...p, concurrency: overrides.concurrency ?? p.concurrency },
      };
      delete updated.error;
      await this.store.writeJob(updated);
      return {
        record: updated,
        list,
        policy,
        prior,
        requestId: jobId,
        estimatedTotal: estimate(p.format, lines),
        release,
      };
    } catch (e) {
      await release();
      throw e;
    }
  }

  private async checkList(listId: string, mapping: ColumnMapping | null): Promise<ContactListInfo> {
    const list = await this.genesys.getContactList(listId);
    const required = [...consentColumnNames(this.config.sync.columns), ...mappedColumns(mapping)];
    const have = new Set(list.columnNames);
    const missing = [...new Set(required)].filter((col) => !have.has(col));
    if (missing.length > 0) {
      throw new DomainError(
        ErrorCode.SYNC_COLUMNS_MISSING,
        `Contact list "${list.name}" (${list.id}) has no column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ` +
          'Add them to the list (Admin > Outbound > Contact Lists > the list > columns) or fix the mapping file, then run again; nothing was sent.',
        {
          errors: missing.map((m) => ({
            path: `columns.${m}`,
            message: 'missing in the contact list',
          })),
          extra: { contactListId: list.id, missingColumns: missing },
        },
      );
    }
    return list;
  }
}

function estimate(format: string, lines: number | undefined): number | undefined {
  if (lines === undefined) return undefined;
  if (format === 'ndjson') return lines;
  if (format === 'csv') return Math.max(0, lines - 1);
  return undefined;
}
