import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { Clock } from '../common/clock';
import { readContacts, type InputFormat } from '../contacts/contact-reader';
import { CompareFiles } from './compare-files';
import { isIncluded } from './comparison-session';
import type { CompareResult, ContactChange, IncludeMode } from './comparison.types';
import { ComparisonService, type CompareRequest } from './comparison.service';
import { DigestingStream } from './input-digest';
import { REPORT_ROW_CAP, renderCompareReport } from './report/compare-report.renderer';

export interface CompareFileOptions {
  request: CompareRequest;
  input: string;
  format: InputFormat;
  include: IncludeMode;
  reportPath?: string;
  jsonPath?: string;
}

/** What the CLI prints: the result without the per-contact list (which went to the files). */
export type CompareFileOutcome = Omit<CompareResult, 'changes'> & {
  requestId: string;
  /** The baseline is the candidate file's last committed text (git HEAD). */
  baselineFromCommit?: boolean;
};

/**
 * Runs a comparison over a contact file in flat memory: contacts stream
 * through, changes stream into the JSON output, and only the first
 * REPORT_ROW_CAP changed contacts are kept for the HTML report.
 */
@Injectable()
export class CompareFileRunner {
  constructor(
    private readonly comparison: ComparisonService,
    private readonly files: CompareFiles,
    private readonly clock: Clock,
  ) {}

  async run(options: CompareFileOptions): Promise<CompareFileOutcome> {
    const requestId = randomUUID();
    const prepared = await this.comparison.prepare(options.request);
    const input = await this.files.openInput(options.input);
    const digesting = new DigestingStream();
    pipeline(input as Readable, digesting, () => undefined);

    const json = options.jsonPath ? await this.files.openJson(options.jsonPath) : undefined;
    if (json) {
      const head = { baseline: prepared.baseline.info, candidate: prepared.candidate.info };
      await json.write(
        `${JSON.stringify(head).slice(0, -1)},"include":${JSON.stringify(options.include)},"changes":[\n`,
      );
    }
    const kept: ContactChange[] = [];
    let first = true;
    const summary = await this.comparison.compareStream(
      prepared,
      readContacts(digesting, options.format),
      // The report lists changed contacts only; the JSON honours --include.
      'all',
      async (change) => {
        if (change.change !== 'unchanged' && kept.length < REPORT_ROW_CAP) kept.push(change);
        if (json && isIncluded(change, options.include)) {
          await json.write(`${first ? '' : ',\n'}${JSON.stringify(change)}`);
          first = false;
        }
      },
    );
    const inputDigest = digesting.digest();
    if (json) {
      await json.write(
        `\n],"inputDigest":${JSON.stringify(inputDigest)},"summary":${JSON.stringify(summary)}}\n`,
      );
      await json.close();
    }
    const inputName = basename(options.input);
    await this.comparison.record(prepared, summary, inputDigest, {
      requestId,
      source: 'cli',
      inputName,
    });

    if (options.reportPath) {
      const html = renderCompareReport({
        baseline: prepared.baseline.info,
        candidate: prepared.candidate.info,
        inputDigest,
        summary,
        changes: kept,
        cap: REPORT_ROW_CAP,
        baselineSource: prepared.baseline.policy.source,
        candidateSource: prepared.candidate.policy.source,
        baselineName:
          basename(prepared.baseline.policy.file) +
          (prepared.baselineFromCommit ? ' (git HEAD)' : ''),
        candidateName: basename(prepared.candidate.policy.file),
        generatedAt: this.clock.now().toISOString(),
        inputName,
      });
      await this.files.writeAtomic(options.reportPath, html);
    }
    return {
      requestId,
      baseline: prepared.baseline.info,
      candidate: prepared.candidate.info,
      inputDigest,
      include: options.include,
      summary,
      ...(prepared.baselineFromCommit ? { baselineFromCommit: true } : {}),
    };
  }
}
