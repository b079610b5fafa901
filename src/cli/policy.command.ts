import { Injectable, type Provider } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { AppConfig } from '../config/app-config';
import { formatLoadError, loadPolicyDirectory } from '../policy/loader/policy-loader';
import { PolicySource } from '../policy/loader/policy-source';
import { isObj } from '../common/is-object';
import { runPolicyTests } from '../policy/policy-test-runner';

/** Where command output goes; a class so tests can capture it. */
@Injectable()
export class PolicyCliOutput {
  out(line: string): void {
    process.stdout.write(`${line}\n`);
  }
  err(line: string): void {
    process.stderr.write(`${line}\n`);
  }
}

/** POSTs to a running service's reload endpoint (the only network side effect of these commands). */
@Injectable()
export class PolicyReloadClient {
  async post(url: string, apiKey?: string): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (apiKey !== undefined && apiKey !== '') headers['x-api-key'] = apiKey;
    const res = await fetch(url, { method: 'POST', headers, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, body: await res.text() };
  }
}

@SubCommand({
  name: 'lint',
  arguments: '[dir]',
  description:
    'Load and check every policy file; print each error as file:line:col message (exit 1 on any).',
  argsDescription: { dir: 'policy directory (default: POLICIES_DIR)' },
})
export class PolicyLintCommand extends CommandRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly source: PolicySource,
    private readonly io: PolicyCliOutput,
  ) {
    super();
  }

  run(params: string[]): Promise<void> {
    const dir = params[0] ?? this.config.policy.dir;
    const { policies, errors } = loadPolicyDirectory(this.source, dir);
    if (errors.length > 0) {
      for (const e of errors) this.io.err(formatLoadError(e));
      this.io.err(`policy lint: ${errors.length} error(s)`);
      process.exitCode = 1;
      return Promise.resolve();
    }
    for (const p of policies) {
      this.io.out(
        `ok  ${p.ref.id}@${p.ref.version}  ${p.rules.length} rules  effective ${p.effectiveFrom}${p.effectiveTo ? ` until ${p.effectiveTo}` : ''}  ${p.ref.digest}`,
      );
    }
    this.io.out(`policy lint: ${policies.length} version(s) OK`);
    return Promise.resolve();
  }
}

@SubCommand({
  name: 'test',
  arguments: '[dir]',
  description:
    'Run the policy test cases (<dir>/<policy>/tests/*.test.yaml) through both evaluation paths.',
  argsDescription: { dir: 'policy directory (default: POLICIES_DIR)' },
})
export class PolicyTestCommand extends CommandRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly source: PolicySource,
    private readonly io: PolicyCliOutput,
  ) {
    super();
  }

  async run(params: string[]): Promise<void> {
    const dir = params[0] ?? this.config.policy.dir;
    const report = await runPolicyTests(dir, this.source);
    for (const e of report.errors) this.io.err(formatLoadError(e));
    for (const r of report.results) {
      const title = `${r.policy}@${r.version} ${r.name}`;
      if (r.passed) {
        this.io.out(`PASS ${title}`);
      } else {
        this.io.out(`FAIL ${title}  (${r.file}:${r.line})`);
        for (const f of r.failures) this.io.out(`     ${f}`);
      }
    }
    for (const c of report.coverage) {
      // Informational: an untested rule is worth knowing, not a failure of the cases that exist.
      const at = `${c.policy}@${c.version}`;
      if (c.cases === 0) this.io.out(`NOTE ${at}: no test cases`);
      else if (c.uncovered.length > 0)
        this.io.out(`NOTE ${at}: no case makes these rules fail: ${c.uncovered.join(', ')}`);
    }
    const total = report.results.length;
    this.io.out(
      `policy test: ${report.passed} passed, ${report.failed} failed, ${total} total in ${report.files.length} file(s)` +
        (report.errors.length > 0 ? `, ${report.errors.length} load error(s)` : ''),
    );
    if (report.failed > 0 || report.errors.length > 0 || total === 0) process.exitCode = 1;
  }
}

interface ReloadOptions {
  url: string;
  apiKey?: string;
}

@SubCommand({
  name: 'reload',
  description:
    'Ask a running service to reload POLICIES_DIR (POST /v1/policies/reload); prints the result.',
})
export class PolicyReloadCommand extends CommandRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly client: PolicyReloadClient,
    private readonly io: PolicyCliOutput,
  ) {
    super();
  }

  @Option({ flags: '--url <url>', description: 'service base URL (default: http://HOST:PORT)' })
  parseUrl(v: string): string {
    return v;
  }

  @Option({
    flags: '--api-key <key>',
    description:
      'API key sent as X-API-Key (default: CONSENT_GATE_API_KEY, which keeps it out of ps)',
  })
  parseApiKey(v: string): string {
    return v;
  }

  async run(_params: string[], options?: Partial<ReloadOptions>): Promise<void> {
    const base = (
      options?.url ?? `http://${this.config.server.host}:${this.config.server.port}`
    ).replace(/\/+$/, '');
    const url = `${base}/v1/policies/reload`;
    let res: { status: number; body: string };
    try {
      res = await this.client.post(url, options?.apiKey ?? this.config.auth.clientApiKey);
    } catch (e) {
      this.io.err(
        `policy reload: cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`,
      );
      process.exitCode = 1;
      return;
    }
    const body = parseJson(res.body);
    const ok = res.status >= 200 && res.status < 300 && !(isObj(body) && body['ok'] === false);
    const lines = errorLines(body);
    for (const line of lines) this.io.err(line);
    const loaded = isObj(body) && Array.isArray(body['loaded']) ? body['loaded'] : [];
    for (const l of loaded) {
      if (isObj(l))
        this.io.out(`serving ${String(l['id'])}@${String(l['version'])} ${String(l['digest'])}`);
    }
    if (ok) this.io.out(`policy reload: OK (HTTP ${res.status})`);
    else {
      if (lines.length === 0 && res.body.length > 0) this.io.err(res.body);
      this.io.err(
        `policy reload: FAILED (HTTP ${res.status}); the service keeps its last good policy set`,
      );
      process.exitCode = 1;
    }
  }
}

@Command({
  name: 'policy',
  description: 'Policy tools: lint, test, reload',
  subCommands: [PolicyLintCommand, PolicyTestCommand, PolicyReloadCommand],
})
export class PolicyCommand extends CommandRunner {
  constructor(private readonly io: PolicyCliOutput) {
    super();
  }

  run(): Promise<void> {
    // help() would call process.exit; print it and leave the exit code to the caller.
    this.io.err(this.command.helpInformation());
    process.exitCode = 1;
    return Promise.resolve();
  }
}

/**
 * `file:line:col message` lines from either a ReloadResult ({errors: [{file, line, column, message}]})
 * or the service's problem document (loadErrors, or errors: [{path: "file:line:col", message}]).
 */
function errorLines(body: unknown): string[] {
  if (!isObj(body)) return [];
  const list = Array.isArray(body['loadErrors'])
    ? body['loadErrors']
    : Array.isArray(body['errors'])
      ? body['errors']
      : [];
  const out: string[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    if (typeof e['file'] === 'string') {
      out.push(`${e['file']}:${String(e['line'])}:${String(e['column'])} ${String(e['message'])}`);
    } else if (typeof e['path'] === 'string') {
      out.push(`${e['path']} ${String(e['message'])}`);
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const POLICY_COMMANDS: Provider[] = [
  PolicyCliOutput,
  PolicyReloadClient,
  PolicySource,
  PolicyCommand,
  PolicyLintCommand,
  PolicyTestCommand,
  PolicyReloadCommand,
];
