import { readFile } from 'node:fs/promises';
import type { Provider } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { parseMappingYaml } from '../sync/column-mapping';
import { ProgressView } from '../sync/sync-progress-view';
import { renderSummary } from '../sync/sync-report';
import { SyncPreparer, type PreparedJob } from '../sync/sync-preparer';
import { SyncRunner } from '../sync/sync-runner';
import { ON_REJECT_VALUES, type OnReject } from '../sync/sync.types';

interface SyncOptions {
  input?: string;
  contactList?: string;
  format?: string;
  dryRun?: boolean;
  onReject?: string;
  mapping?: string;
  resume?: string;
  concurrency?: number;
  batchSize?: number;
  policy?: string;
  version?: string;
  evaluatedAt?: string;
}

class UsageError extends Error {}

/** Errors worth retrying as-is (exit 1); every other error is input, configuration or list set-up (exit 2). */
const TRANSIENT = new Set<string>([
  ErrorCode.GENESYS_UNAVAILABLE,
  ErrorCode.GENESYS_TIMEOUT,
  ErrorCode.GENESYS_RATE_LIMITED,
  ErrorCode.GENESYS_ERROR,
  ErrorCode.AUDIT_UNAVAILABLE,
  ErrorCode.INTERNAL,
]);

/**
 * `consent-gate sync`: exit 0 when nothing failed, 1 when contacts failed or
 * the run stopped early (resumable), 2 for usage and configuration errors
 * (missing columns, GENESYS_NOT_CONFIGURED, unknown policy, bad mapping).
 */
@Command({
  name: 'sync',
  description:
    'Validate a contact file, audit every decision, and upsert approved contacts into a Genesys contact list (resumable)',
})
export class SyncCommand extends CommandRunner {
  constructor(
    private readonly preparer: SyncPreparer,
    private readonly runner: SyncRunner,
  ) {
    super();
  }

  async run(_params: string[], options: SyncOptions = {}): Promise<void> {
    let job: PreparedJob;
    try {
      job = await this.prepare(options);
    } catch (err) {
      const prefix = err instanceof UsageError ? 'usage' : isDomainError(err) ? err.code : 'error';
      process.stderr.write(
        `consent-gate sync: ${prefix}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exitCode = isDomainError(err) && TRANSIENT.has(err.code) ? 1 : 2;
      return;
    }
    const { jobId } = job.record;
    process.stderr.write(
      `consent-gate sync: job ${jobId} (run ${job.record.runs})${job.record.params.dryRun ? ' [dry run]' : ''}; ` +
        `if interrupted: consent-gate sync --resume ${jobId}\n`,
    );
    const progress = new ProgressView(job.estimatedTotal);
    let summary;
    try {
      summary = await this.runner.run(job, { onProgress: (p) => progress.update(p) });
    } finally {
      progress.stop();
    }
    process.stdout.write(renderSummary(summary));
    process.exitCode = summary.status === 'completed' || summary.status === 'dry-run' ? 0 : 1;
  }

  private async prepare(o: SyncOptions): Promise<PreparedJob> {
    if (o.resume !== undefined) {
      const extra = (
        [
          'input',
          'contactList',
          'format',
          'mapping',
          'policy',
          'version',
          'evaluatedAt',
          'onReject',
        ] as const
      ).filter((k) => o[k] !== undefined);
      if (extra.length > 0 || o.dryRun)
        throw new UsageError(
          `--resume continues a job with its original parameters; drop ${[...extra, ...(o.dryRun ? ['dryRun'] : [])].join(', ')} (only --concurrency may change)`,
        );
      return this.preparer.resume(o.resume, { concurrency: o.concurrency });
    }
    if (!o.input) throw new UsageError('--input <file> is required (or --resume <jobId>)');
    if (!o.contactList) throw new UsageError('--contact-list <id> is required');
    const onReject = (o.onReject ?? 'skip') as OnReject;
    if (!ON_REJECT_VALUES.includes(onReject))
      throw new UsageError(`--on-reject must be one of ${ON_REJECT_VALUES.join(', ')}`);
    let mapping = null;
    if (o.mapping !== undefined) {
      let text: string;
      try {
        text = await readFile(o.mapping, 'utf8');
      } catch {
        throw new UsageError(`cannot read mapping file ${o.mapping}`);
      }
      mapping = parseMappingYaml(text, o.mapping);
    }
    return this.preparer.prepare({
      contactListId: o.contactList,
      input: o.input,
      format: o.format,
      onReject,
      dryRun: o.dryRun ?? false,
      mapping,
      mappingSource: o.mapping ?? null,
      policy: o.policy,
      version: o.version,
      evaluatedAt: o.evaluatedAt,
      concurrency: o.concurrency,
      batchSize: o.batchSize,
    });
  }

  @Option({ flags: '-i, --input <file>', description: 'contacts: .json array, .ndjson or .csv' })
  parseInput(v: string): string {
    return v;
  }
  @Option({ flags: '--contact-list <id>', description: 'Genesys contact list id' })
  parseContactList(v: string): string {
    return v;
  }
  @Option({
    flags: '--format <format>',
    description: 'json | ndjson | csv (default: from extension)',
  })
  parseFormat(v: string): string {
    return v;
  }
  @Option({ flags: '--dry-run', description: 'validate, audit and check columns; send nothing' })
  parseDryRun(): boolean {
    return true;
  }
  @Option({
    flags: '--on-reject <mode>',
    description:
      'skip (default) | mark-uncallable: set rejected contacts already in the list not callable',
  })
  parseOnReject(v: string): string {
    return v;
  }
  @Option({
    flags: '--mapping <file.yaml>',
    description: 'field-to-column mapping (see docs/sync.md)',
  })
  parseMapping(v: string): string {
    return v;
  }
  @Option({ flags: '--resume <jobId>', description: 'continue an interrupted job' })
  parseResume(v: string): string {
    return v;
  }
  @Option({
    flags: '--concurrency <n>',
    description: 'batches in flight (default GENESYS_CONCURRENCY)',
  })
  parseConcurrency(v: string): number {
    return toInt(v);
  }
  @Option({ flags: '--batch-size <n>', description: 'records per batch, 1-1000 (default 1000)' })
  parseBatchSize(v: string): number {
    return toInt(v);
  }
  @Option({ flags: '--policy <id>', description: 'policy id (default DEFAULT_POLICY)' })
  parsePolicy(v: string): string {
    return v;
  }
  @Option({
    flags: '--version <version>',
    description: 'policy version (default: in effect at --evaluated-at)',
  })
  parseVersion(v: string): string {
    return v;
  }
  @Option({
    flags: '--evaluated-at <instant>',
    description: 'RFC 3339 instant to evaluate at (default now)',
  })
  parseEvaluatedAt(v: string): string {
    return v;
  }
}

/** Range checks happen in the preparer (SYNC_INPUT_INVALID, exit 2); NaN fails them. */
function toInt(v: string): number {
  return /^\d+$/.test(v) ? Number(v) : Number.NaN;
}

export const SYNC_COMMANDS: Provider[] = [SyncCommand];
