import type { Provider } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { Command, CommandRunner, Option } from 'nest-commander';
import { writeAll } from '../audit/file-io';
import { DomainError, isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { scrubText } from '../common/logging/redact';
import { detectFormat, readContactBatches, type InputFormat } from '../contacts/contact-reader';
import type { ResultSink, SummaryLine } from '../validation/validation.types';
import { STREAM_CHUNK_SIZE, ValidationService } from '../validation/validation.service';

interface ValidateOptions {
  input?: string;
  format?: string;
  policy?: string;
  version?: string;
  evaluatedAt?: string;
  output?: string;
}

const EXIT_CODES: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.INVALID_REQUEST]: 2,
  [ErrorCode.INPUT_UNREADABLE]: 2,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 2,
  [ErrorCode.POLICY_NOT_FOUND]: 3,
  [ErrorCode.POLICY_VERSION_NOT_FOUND]: 3,
  [ErrorCode.NO_VERSION_IN_EFFECT]: 3,
  [ErrorCode.POLICY_LOAD_FAILED]: 3,
  [ErrorCode.POLICIES_NOT_READY]: 3,
  [ErrorCode.AUDIT_UNAVAILABLE]: 4,
  [ErrorCode.AUDIT_CHAIN_BROKEN]: 4,
};

/** Exit codes: 0 ran (whatever the decisions), 2 usage/input, 3 policy, 4 audit log, 1 other. */
function exitCodeFor(code: ErrorCode | undefined): number {
  return (code !== undefined ? EXIT_CODES[code] : undefined) ?? 1;
}

/**
 * `consent-gate validate --input <file>`: the CLI twin of POST /v1/validate/stream.
 * Same pipeline (ValidationService.validateStream), same result and summary lines,
 * audited with source "cli". Results go to --output (created with mode 0600: they
 * name contacts by id) or stdout; the summary also goes to stderr.
 */
@Command({
  name: 'validate',
  description: 'Validate a contact file (JSON array, NDJSON or CSV) and write NDJSON results',
})
export class ValidateCommand extends CommandRunner {
  constructor(private readonly validation: ValidationService) {
    super();
  }

  async run(_params: string[], options: ValidateOptions = {}): Promise<void> {
    let out: FileHandle | undefined;
    try {
      if (!options.input) {
        throw new DomainError(ErrorCode.INVALID_REQUEST, '--input <file> is required', {
          errors: [{ path: 'input', message: 'required' }],
        });
      }
      const fromStdin = options.input === '-';
      const format: InputFormat = fromStdin
        ? detectFormat('', options.format ?? 'ndjson')
        : detectFormat(options.input, options.format);
      const resolved = this.validation.resolve(
        options.policy,
        options.version,
        options.evaluatedAt,
      );
      let sink: ResultSink;
      if (options.output) {
        out = await openPrivate(options.output);
        const handle = out;
        // writeAll loops over partial writes until every byte is out.
        sink = { write: async (chunk) => void (await writeAll(handle, chunk)) };
      } else {
        sink = streamSink(process.stdout);
      }
      const requestId = `cli-${randomUUID()}`;
      const line = await this.validation.validateStream(
        readContactBatches(fromStdin ? process.stdin : options.input, format, {
          batchSize: STREAM_CHUNK_SIZE,
        }),
        resolved,
        { source: 'cli', requestId },
        sink,
      );
      if (out) await out.sync();
      process.stderr.write(describeSummary(line));
      process.exitCode = 0;
    } catch (e) {
      const code = isDomainError(e) ? e.code : undefined;
      process.stderr.write(describeError(e));
      process.exitCode = exitCodeFor(code);
    } finally {
      await out?.close();
    }
  }

  @Option({
    flags: '-i, --input <file>',
    description: 'contacts: .json (array), .ndjson/.jsonl or .csv, optionally .gz; "-" for stdin',
  })
  parseInput(v: string): string {
    return v;
  }

  @Option({
    flags: '-f, --format <format>',
    description: 'json | ndjson | csv (default: from extension)',
  })
  parseFormat(v: string): string {
    return v;
  }

  @Option({ flags: '-p, --policy <id>', description: 'policy id (default: DEFAULT_POLICY)' })
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
    description: 'RFC 3339 instant with offset (default: now)',
  })
  parseEvaluatedAt(v: string): string {
    return v;
  }

  @Option({
    flags: '-o, --output <file>',
    description: 'write NDJSON results here (mode 0600) instead of stdout',
  })
  parseOutput(v: string): string {
    return v;
  }
}

async function openPrivate(path: string): Promise<FileHandle> {
  try {
    const h = await open(path, 'w', 0o600);
    // An existing file keeps its old mode on open; results name contacts, so tighten it.
    await h.chmod(0o600);
    return h;
  } catch (e) {
    throw new DomainError(
      ErrorCode.INVALID_REQUEST,
      `cannot write --output: ${scrubText(e instanceof Error ? e.message : String(e))}`,
      { errors: [{ path: 'output', message: 'not writable' }] },
    );
  }
}

function streamSink(stream: Writable): ResultSink {
  return {
    write: (chunk) =>
      new Promise<void>((resolve) => {
        if (stream.write(chunk)) resolve();
        else stream.once('drain', () => resolve());
      }),
  };
}

function describeSummary(line: SummaryLine): string {
  const s = line.summary;
  const codes = Object.entries(s.byCode)
    .map(([code, n]) => `  ${code}: ${n}`)
    .join('\n');
  return (
    `validated ${s.total} contacts with ${line.policy.id} ${line.policy.version} (${line.policy.digest}) ` +
    `at ${line.evaluatedAt}: ${s.approved} approved, ${s.rejected} rejected\n` +
    (codes ? codes + '\n' : '') +
    `requestId ${line.requestId}\n`
  );
}

function describeError(e: unknown): string {
  if (isDomainError(e)) {
    const details = (e.details.errors ?? []).map((f) => `  ${f.path}: ${f.message}\n`).join('');
    return `consent-gate validate: ${e.code}: ${scrubText(e.message)}\n${details}`;
  }
  return `consent-gate validate: ${ErrorCode.INTERNAL}: ${scrubText(e instanceof Error ? e.message : String(e))}\n`;
}

export const VALIDATE_COMMANDS: Provider[] = [ValidateCommand];
