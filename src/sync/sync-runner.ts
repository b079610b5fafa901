import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditLog } from '../audit/audit.types';
import { Clock } from '../common/clock';
import { isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import type { InputRecord } from '../contacts/contact-reader';
import { GenesysClient } from '../genesys/genesys-client';
import { MetricsService } from '../metrics/metrics.service';
import { INPUT_MALFORMED, type Decision } from '../policy/policy.types';
import { ColumnMapper } from './column-mapping';
import { CONTACT_ID_INVALID, contactIdOf, isValidContactId } from './contact-id';
import { JournalWriter } from './sync-journal';
import { consentColumnNames, consentColumns, maskPayload, policyVersionTag } from './sync-payload';
import type { PreparedJob } from './sync-preparer';
import { SyncInput } from './sync-input';
import { SyncSender, type SendItem, type UncallableItem } from './sync-sender';
import { SyncStore } from './sync-store';
import { SyncTally } from './sync-tally';
import type { SyncProgress, SyncSummary } from './sync.types';
import { WindowCommitter, type RejectedItem } from './window-committer';

export interface RunHooks {
  onProgress?: (p: SyncProgress) => void;
}

/**
 * Runs a prepared job: reads the input in windows of `batchSize` records,
 * evaluates and audits each window, then sends it with at most `concurrency`
 * windows in flight. Only a window's records are in memory, so a file of 1M
 * contacts runs in flat memory.
 */
@Injectable()
export class SyncRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly genesys: GenesysClient,
    private readonly store: SyncStore,
    private readonly input: SyncInput,
    private readonly logger: AppLogger,
    private readonly metrics: MetricsService,
  ) {}

  async run(job: PreparedJob, hooks: RunHooks = {}): Promise<SyncSummary> {
    const { record, policy, list, prior } = job;
    const p = record.params;
    const run = record.runs;
    const paths = this.store.paths(record.jobId);
    const log = this.logger.child('Sync', {
      jobId: record.jobId,
      contactListId: p.contactListId,
      run,
    });
    const startedAt = this.clock.now();
    const evaluatedAt = new Date(p.evaluatedAt);
    const cols = this.config.sync.columns;
    const consentCols = new Set(consentColumnNames(cols));
    const mapper = new ColumnMapper(list.columnNames, p.mapping, consentCols);
    const tally = new SyncTally(prior?.outcomes.counts);
    const emit = (): void => hooks.onProgress?.(tally.progress());

    const writer = new JournalWriter(
      await this.store.openAppend(paths.journal, prior?.journalBytes ?? 0),
      await this.store.openAppend(paths.failed, prior?.failedBytes ?? 0),
      await this.store.openAppend(paths.rejected, prior?.rejectedBytes ?? 0),
    );
    const policyTag = policyVersionTag(policy.ref);
    const sender = new SyncSender(this.genesys, {
      listId: p.contactListId,
      list,
      consentFlagColumn: cols.consentFlag,
      policyVersionColumn: cols.policyVersion,
      policyTag,
      dncListId: this.config.sync.dncListId,
    });
    const committer = new WindowCommitter(writer, tally, sender, run, p.dryRun);
    if (prior && prior.inFlight > 0)
      log.info('resuming: windows in flight at the interruption are sent again (upsert by id)', {
        inFlight: prior.inFlight,
      });
    await writer.write({ t: 'run', run, at: startedAt.toISOString() });

    const inflight = new Set<Promise<void>>();
    let failure: unknown;
    let samplePayload: unknown;
    let wouldMarkUncallable = 0;
    let batch = 0;
    const phoneCols = new Set(list.phoneColumns.map((c) => c.columnName));
    const emailCols = new Set(list.emailColumns.map((c) => c.columnName));

    const evaluate = policy.evaluate.bind(policy);

    const processWindow = async (records: InputRecord[]): Promise<void> => {
      tally.progressCounts.read += records.length;
      const fresh: InputRecord[] = [];
      for (const r of records) {
        if (prior?.outcomes.has(r.index)) tally.skip();
        else fresh.push(r);
      }
      if (fresh.length === 0) return emit();
      const decisions = fresh.map((r) => this.decide(r, evaluate, evaluatedAt));
      // Audited (and fsynced) before anything of this window is sent.
      await this.audit.append({
        requestId: job.requestId,
        source: 'sync',
        jobId: record.jobId,
        policy: policy.ref,
        evaluatedAt: evaluatedAt.toISOString(),
        items: fresh.map((r, i) => ({ contact: r.contact, decision: decisions[i] as Decision })),
      });
      // Counted once audited, like HTTP and CLI decisions (consent_gate_decisions_total).
      this.metrics.countDecisions(policy.ref, 'sync', decisions);
      const toSend: SendItem[] = [];
      const rejected: RejectedItem[] = [];
      const uncallable: UncallableItem[] = [];
      fresh.forEach((r, i) => {
        const d = decisions[i] as Decision;
        const id = contactIdOf(r.contact);
        tally.progressCounts.validated += 1;
        if (d.decision === 'APPROVED') {
          if (!isValidContactId(id)) {
            rejected.push({ index: r.index, id, codes: [CONTACT_ID_INVALID] });
            return;
          }
          const contact = r.contact as Record<string, unknown>;
          const payload = {
            id,
            data: { ...mapper.toData(contact), ...consentColumns(cols, contact, policyTag) },
          };
          toSend.push({ index: r.index, id, contact: r.contact, payload });
          if (p.dryRun && samplePayload === undefined)
            samplePayload = maskPayload(payload, phoneCols, emailCols, consentCols);
          return;
        }
        const codes = d.codes.length > 0 ? d.codes : [d.code];
        if (p.onReject === 'mark-uncallable' && isValidContactId(id)) {
          if (p.dryRun) wouldMarkUncallable += 1;
          else {
            uncallable.push({ index: r.index, id, contact: r.contact });
            rejected.push({ index: r.index, id, codes, pendingUncallable: true });
            return;
          }
        }
        rejected.push({ index: r.index, id, codes });
      });
      tally.progressCounts.approved += toSend.length;
      tally.progressCounts.rejected += rejected.length;
      emit();
      const b = ++batch;
      const task = committer
        .sendAndCommit(b, fresh[0]?.index ?? 0, toSend, rejected, uncallable)
        .then(emit)
        .catch((e: unknown) => {
          failure ??= e;
        });
      inflight.add(task);
      void task.finally(() => inflight.delete(task));
      while (inflight.size >= p.concurrency) await Promise.race(inflight);
    };

    try {
      let window: InputRecord[] = [];
      for await (const rec of this.input.read(p.input, p.format)) {
        window.push(rec);
        if (window.length >= p.batchSize) {
          await processWindow(window);
          window = [];
          if (failure !== undefined) break;
        }
      }
      if (failure === undefined && window.length > 0) await processWindow(window);
    } catch (e) {
      failure ??= e;
    }
    await Promise.all(inflight);

    const finishedAt = this.clock.now();
    const aborted = failure !== undefined;
    const status = aborted
      ? 'aborted'
      : p.dryRun
        ? 'dry-run'
        : // Job-wide: failures of an earlier run still wait in the retry file.
          tally.job.failed > 0
          ? 'completed-with-failures'
          : 'completed';
    const summary = tally.summary({
      jobId: record.jobId,
      status,
      dryRun: p.dryRun,
      contactListId: p.contactListId,
      policy: policy.ref,
      evaluatedAt: p.evaluatedAt,
      run,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      unmappedFields: mapper.unmappedFields(),
      samplePayload: p.dryRun ? (samplePayload ?? null) : undefined,
      wouldMarkUncallable: p.dryRun ? wouldMarkUncallable : undefined,
      files: {
        dir: paths.dir,
        journal: paths.journal,
        failed: paths.failed,
        rejected: paths.rejected,
        summary: paths.summary,
      },
    });
    const error = aborted ? describeError(failure) : undefined;
    if (error) summary.error = error;
    try {
      await writer.write({
        t: 'end',
        run,
        at: finishedAt.toISOString(),
        status,
        buckets: summary.buckets,
      });
    } finally {
      await writer.close();
    }
    await this.store.writeSummary(summary);
    await this.store.writeJob({
      ...record,
      status,
      updatedAt: finishedAt.toISOString(),
      ...(error ? { error } : {}),
    });
    await job.release();
    if (summary.unmappedFields.length > 0)
      log.warn('input fields with no column in the contact list were not sent', {
        fields: summary.unmappedFields,
      });
    if (aborted)
      log.error('sync stopped; resume with --resume', { jobId: record.jobId, code: error?.code });
    else log.info('sync finished', { status, reconciliation: summary.reconciliation });
    return summary;
  }

  private decide(r: InputRecord, evaluate: (c: unknown, at: Date) => Decision, at: Date): Decision {
    if (r.malformed !== undefined || r.contact === undefined) {
      return {
        decision: 'REJECTED',
        code: INPUT_MALFORMED,
        codes: [INPUT_MALFORMED],
        warnings: [],
        violations: [],
      };
    }
    return evaluate(r.contact, at);
  }
}

function describeError(e: unknown): { code: string; message: string } {
  if (isDomainError(e)) return { code: e.code, message: e.message };
  return { code: ErrorCode.INTERNAL, message: e instanceof Error ? e.message : String(e) };
}
