import type { Provider } from '@nestjs/common';
import Table from 'cli-table3';
import { Command, CommandRunner, Option } from 'nest-commander';
import { isDomainError } from '../common/domain-error';
import { CompareFileRunner, type CompareFileOutcome } from '../comparison/compare-file.runner';
import { INCLUDE_MODES, type IncludeMode } from '../comparison/comparison.types';
import { parseRfc3339 } from '../comparison/dto/rfc3339';
import { breaches, parseFailOn, type FailOnRule } from '../comparison/fail-on';
import { detectFormat } from '../contacts/contact-reader';

interface CompareOptions {
  input?: string;
  format?: string;
  policy?: string;
  baseline?: string;
  candidate?: string;
  candidateFile?: string;
  evaluatedAt?: string;
  baselineEvaluatedAt?: string;
  candidateEvaluatedAt?: string;
  report?: string;
  json?: string;
  include?: string;
  failOn?: string[];
}

class UsageError extends Error {}

/** Exit codes: 0 compared and within every --fail-on threshold, 1 a threshold exceeded, 2 usage error or the comparison could not run. */
@Command({
  name: 'compare',
  description:
    'Compare the outcomes of a contact file under two policy versions (or one version at two instants); optional HTML report, JSON output and CI gate',
})
export class CompareCommand extends CommandRunner {
  constructor(private readonly runner: CompareFileRunner) {
    super();
  }

  async run(_params: string[], options: CompareOptions = {}): Promise<void> {
    let outcome: CompareFileOutcome;
    let gates: FailOnRule[];
    try {
      const input = options.input;
      if (!input) throw new UsageError('--input <file> is required');
      if (!options.candidate && !options.candidateFile && !options.candidateEvaluatedAt) {
        throw new UsageError(
          'say what to compare: --candidate <version>, --candidate-file <file.yaml>, or --candidate-evaluated-at <instant>',
        );
      }
      if (options.candidate && options.candidateFile) {
        throw new UsageError('--candidate and --candidate-file are mutually exclusive');
      }
      const include = (options.include ?? 'changed') as IncludeMode;
      if (!INCLUDE_MODES.includes(include)) {
        throw new UsageError(`--include must be one of ${INCLUDE_MODES.join(', ')}`);
      }
      gates = (options.failOn ?? []).map((text) => {
        const rule = parseFailOn(text);
        if (!rule) {
          throw new UsageError(
            `--fail-on ${JSON.stringify(text)}: expected newly-rejected, newly-approved, reason-changed or changed, optionally followed by >N`,
          );
        }
        return rule;
      });
      outcome = await this.runner.run({
        request: {
          policy: options.policy,
          baseline: {
            version: options.baseline,
            evaluatedAt: instantOption('--baseline-evaluated-at', options.baselineEvaluatedAt),
          },
          candidate: {
            version: options.candidate,
            evaluatedAt: instantOption('--candidate-evaluated-at', options.candidateEvaluatedAt),
          },
          evaluatedAt: instantOption('--evaluated-at', options.evaluatedAt),
          candidateFile: options.candidateFile,
        },
        input,
        format: detectFormat(input, options.format),
        include,
        reportPath: options.report,
        jsonPath: options.json,
      });
    } catch (err) {
      const prefix = err instanceof UsageError ? 'usage' : isDomainError(err) ? err.code : 'error';
      process.stderr.write(
        `consent-gate compare: ${prefix}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exitCode = 2;
      return;
    }

    process.stdout.write(renderSummary(outcome));
    if (options.report) process.stdout.write(`Report: ${options.report}\n`);
    if (options.json) process.stdout.write(`JSON:   ${options.json}\n`);
    const failed = breaches(outcome.summary, gates);
    for (const b of failed) {
      process.stdout.write(
        `FAIL --fail-on ${b.text}: ${b.metric} is ${b.actual}, more than ${b.threshold}\n`,
      );
    }
    if (failed.length > 0) process.exitCode = 1;
    else if (gates.length > 0) process.stdout.write('OK: every --fail-on threshold holds\n');
  }

  @Option({ flags: '-i, --input <file>', description: 'contacts: .json array, .ndjson or .csv' })
  parseInput(v: string): string {
    return v;
  }
  @Option({
    flags: '--format <format>',
    description: 'json | ndjson | csv (default: from extension)',
  })
  parseFormat(v: string): string {
    return v;
  }
  @Option({ flags: '--policy <id>', description: 'policy id (default DEFAULT_POLICY)' })
  parsePolicy(v: string): string {
    return v;
  }
  @Option({
    flags: '--baseline <version>',
    description: 'baseline version (default: in effect at its instant)',
  })
  parseBaseline(v: string): string {
    return v;
  }
  @Option({ flags: '--candidate <version>', description: 'candidate version' })
  parseCandidate(v: string): string {
    return v;
  }
  @Option({
    flags: '--candidate-file <file>',
    description: 'an uncommitted policy file as the candidate',
  })
  parseCandidateFile(v: string): string {
    return v;
  }
  @Option({
    flags: '--evaluated-at <instant>',
    description: 'RFC 3339 instant for both sides (default now)',
  })
  parseEvaluatedAt(v: string): string {
    return v;
  }
  @Option({
    flags: '--baseline-evaluated-at <instant>',
    description: 'RFC 3339 instant for the baseline',
  })
  parseBaselineEvaluatedAt(v: string): string {
    return v;
  }
  @Option({
    flags: '--candidate-evaluated-at <instant>',
    description: 'RFC 3339 instant for the candidate',
  })
  parseCandidateEvaluatedAt(v: string): string {
    return v;
  }
  @Option({ flags: '--report <file.html>', description: 'write the self-contained HTML report' })
  parseReport(v: string): string {
    return v;
  }
  @Option({ flags: '--json <file.json>', description: 'write the full result as JSON' })
  parseJson(v: string): string {
    return v;
  }
  @Option({
    flags: '--include <mode>',
    description: 'changed (default) | all: contacts listed in --json',
  })
  parseInclude(v: string): string {
    return v;
  }
  @Option({
    flags: '--fail-on <gate>',
    description:
      'exit 1 when e.g. newly-rejected>N (also newly-approved, reason-changed, changed; alone means >0); repeatable',
  })
  parseFailOn(v: string, previous: string[] = []): string[] {
    return [...previous, v];
  }
}

function instantOption(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = parseRfc3339(value);
  if (!d)
    throw new UsageError(
      `${flag} must be an RFC 3339 date-time with an offset, e.g. 2026-07-15T12:00:00Z`,
    );
  return d;
}

/** A rule by its code, with its name when several rules could share the code. */
function ruleName(r: { rule: string; code: string }): string {
  return r.rule === r.code ? r.code : `${r.code} (${r.rule})`;
}

function renderSummary(o: CompareFileOutcome): string {
  const plain = { style: { head: [], border: [] } };
  // Sides as plain lines: full digests are what a sign-off quotes, and too wide for a table.
  const side = (label: string, x: CompareFileOutcome['baseline']): string =>
    `${label} ${x.id} ${x.version}  ${x.digest}  evaluated at ${x.evaluatedAt}\n`;
  const s = o.summary;
  const pct = (n: number): string => (s.total === 0 ? '-' : `${((100 * n) / s.total).toFixed(1)}%`);
  const counts = new Table({ head: ['change', 'contacts', 'share'], ...plain });
  counts.push(['total', s.total, '100%']);
  for (const k of ['unchanged', 'newly-rejected', 'newly-approved', 'reason-changed'] as const) {
    counts.push([k, s.byChange[k], pct(s.byChange[k])]);
  }

  const identical =
    o.baseline.digest === o.candidate.digest && o.baseline.evaluatedAt === o.candidate.evaluatedAt;
  let out = identical
    ? 'Note: baseline and candidate are the same policy file at the same instant; nothing can change.\n'
    : '';
  out += `${side('baseline: ', o.baseline)}${side('candidate:', o.candidate)}input:     ${o.inputDigest}\n`;
  if (o.baselineFromCommit) {
    out += '(baseline: the candidate file as last committed, git HEAD)\n';
  }
  out += `\n${counts.toString()}\n`;
  if (s.newlyRejectedByRule.length > 0) {
    const rules = new Table({ head: ['rule', 'newly rejects', 'only reason'], ...plain });
    for (const r of s.newlyRejectedByRule.slice(0, 15))
      rules.push([r.code, r.newlyRejected, r.soleReason]);
    out += `\nNewly rejected per rule:\n${rules.toString()}\n`;
  }
  const moves = changedTransitions(s.transitions);
  if (moves.length > 0) {
    const table = new Table({ head: ['baseline code', 'candidate code', 'contacts'], ...plain });
    for (const m of moves.slice(0, TRANSITIONS_SHOWN)) table.push([m.from, m.to, m.contacts]);
    const more =
      moves.length > TRANSITIONS_SHOWN
        ? `(${moves.length - TRANSITIONS_SHOWN} smaller transitions more: --json or --report has the whole matrix)\n`
        : '';
    out += `\nPrimary code transitions (largest first):\n${table.toString()}\n${more}`;
  }
  if (s.ruleChanges.length > 0) {
    const rules = new Table({
      head: ['changed rule', 'status', 'fields', 'now fires for', 'no longer fires for'],
      ...plain,
    });
    for (const r of s.ruleChanges) {
      rules.push([ruleName(r), r.status, r.fields.join(', '), r.firedGained, r.firedLost]);
    }
    out += `\nRules whose logic differs:\n${rules.toString()}\n`;
  }
  if (s.deadChanges.length > 0) {
    out += `\nDead changes (changed rules that moved no contact):\n`;
    for (const d of s.deadChanges) {
      out += `  ${ruleName(d)}: ${d.reason}${d.fields.length ? ` (${d.fields.join(', ')})` : ''}\n`;
    }
  }
  return out;
}

/** Rows of the transition matrix shown in the terminal; JSON and HTML carry all of it. */
const TRANSITIONS_SHOWN = 15;

/** The transition matrix's off-diagonal cells (the primary code changed), largest first. */
function changedTransitions(
  matrix: Record<string, Record<string, number>>,
): { from: string; to: string; contacts: number }[] {
  const out: { from: string; to: string; contacts: number }[] = [];
  for (const [from, row] of Object.entries(matrix)) {
    for (const [to, contacts] of Object.entries(row)) {
      if (from !== to && contacts > 0) out.push({ from, to, contacts });
    }
  }
  return out.sort(
    (a, b) => b.contacts - a.contacts || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
}

export const COMPARE_COMMANDS: Provider[] = [CompareCommand];
