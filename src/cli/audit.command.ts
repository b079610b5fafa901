import type { Provider } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { AuditVerifier, type VerifyReport } from '../audit/audit-verifier';
import type { StreamReport } from '../audit/chain-verify';
import { AppConfig } from '../config/app-config';

interface VerifyOptions {
  json?: boolean;
}

/**
 * `consent-gate audit verify [path]`: recomputes the hash chains in a directory
 * (default AUDIT_DIR; also COMPARE_LOG_DIR) or one file. Read-only: it never
 * repairs or appends. Exit 0 when intact, 1 on the first broken line, 2 when
 * there is nothing to verify.
 */
@SubCommand({
  name: 'verify',
  arguments: '[path]',
  description: 'Verify the hash chain of audit log files (default: AUDIT_DIR)',
  argsDescription: { path: 'directory of audit files, or one audit file' },
})
export class AuditVerifyCommand extends CommandRunner {
  constructor(
    private readonly verifier: AuditVerifier,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(params: string[], options: VerifyOptions = {}): Promise<void> {
    const path = params[0] ?? this.config.audit.dir;
    const report = await this.verifier.verify(path);
    if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(formatReport(report));
    process.exitCode = report.error !== undefined ? 2 : report.ok ? 0 : 1;
  }

  @Option({ flags: '--json', description: 'print the report as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({
  name: 'audit',
  description: 'Audit log tools',
  subCommands: [AuditVerifyCommand],
})
export class AuditCommand extends CommandRunner {
  run(): Promise<void> {
    this.command.help();
  }
}

function formatReport(report: VerifyReport): string {
  if (report.error !== undefined) return `audit verify: ${report.error}\n`;
  let out = '';
  for (const s of report.streams) out += formatStream(s);
  const summary = `${count(report.lines, 'line')} in ${count(report.files, 'file')} verified`;
  return report.ok
    ? out + summary + '\n'
    : out + `FAILED: audit chain broken (${summary} before the break)\n`;
}

function formatStream(s: StreamReport): string {
  let out = '';
  if (s.failure) {
    const f = s.failure;
    out += `FAIL ${s.stream}: ${f.file} line ${f.line}: ${f.kind}: ${f.message}\n`;
  } else {
    const range =
      s.firstSeq === undefined ? 'empty' : `seq ${s.firstSeq}..${s.lastSeq ?? s.firstSeq}`;
    const anchor =
      s.firstSeq === undefined
        ? ''
        : s.fromGenesis
          ? ', from genesis'
          : `, anchored at prevHash ${s.anchor ?? ''}`;
    const cps =
      s.checkpoints > 0
        ? `, ${s.checkpoints} checkpoints${s.checkpointsSigned ? ' signed' : ''}`
        : '';
    out += `OK   ${s.stream}: ${count(s.lines, 'line')} in ${count(s.files, 'file')}, ${range}${anchor}${cps}\n`;
  }
  for (const w of s.warnings) out += `     warning: ${w}\n`;
  return out;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export const AUDIT_COMMANDS: Provider[] = [AuditCommand, AuditVerifyCommand];
