import { Test } from '@nestjs/testing';
import type { HttpAdapterHost } from '@nestjs/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommonModule } from '../common/common.module';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { ConfigModule, loadAppConfig } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { PolicySource } from './loader/policy-source';
import { PolicyModule } from './policy.module';
import { PolicyRegistry } from './policy-registry';
import { PolicyRegistryService } from './policy-registry.service';

const policyYaml = (
  version: string,
  from: string,
  to?: string,
  message = 'missing',
) => `policy: demo
version: ${version}
effectiveFrom: ${from}
${to ? `effectiveTo: ${to}\n` : ''}description: demo ${version}
parameters:
  tolerance: 5
rules:
  - code: CONSENT_MISSING
    severity: reject
    order: 10
    message: ${message}
    when:
      fact: consent_timestamp_status
      params: { futureToleranceMinutes: { param: tolerance } }
      operator: equal
      value: missing
`;

let dir: string;
let services: PolicyRegistryService[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-registry-'));
  mkdirSync(join(dir, 'demo'));
  writeFileSync(join(dir, 'demo', '1.0.0.yaml'), policyYaml('1.0.0', '2024-01-01', '2025-06-01'));
  writeFileSync(join(dir, 'demo', '2.0.0.yaml'), policyYaml('2.0.0', '2025-06-01'));
  writeFileSync(join(dir, 'demo', '3.0.0.yaml'), policyYaml('3.0.0', '2026-06-01T00:00:00+02:00'));
  services = [];
});
afterEach(() => {
  for (const s of services) s.onModuleDestroy();
  rmSync(dir, { recursive: true, force: true });
});

const HTTP = { httpAdapter: {} } as unknown as HttpAdapterHost;
const CLI = { httpAdapter: null } as unknown as HttpAdapterHost;

function registry(
  adapter: HttpAdapterHost,
  watch = false,
  metrics = new MetricsService(),
): PolicyRegistryService {
  const config = loadAppConfig({
    POLICIES_DIR: dir,
    POLICY_WATCH: String(watch),
    DEFAULT_POLICY: 'demo',
    LOG_LEVEL: 'silent',
  });
  const s = new PolicyRegistryService(
    config,
    new PolicySource(),
    new AppLogger(config),
    metrics,
    adapter,
  );
  services.push(s);
  return s;
}

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

const breakFile = (v: string) =>
  writeFileSync(
    join(dir, 'demo', `${v}.yaml`),
    policyYaml(v, '2025-06-01').replace('operator: equal', 'operator: equals'),
  );

async function until(check: () => Promise<boolean> | boolean, ms = 8000): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe('PolicyRegistryService', () => {
  it('resolves the version in effect at the given instant', () => {
    const r = registry(HTTP);
    r.onModuleInit();
    const at = (s: string) => r.resolve(undefined, undefined, new Date(s)).ref.version;
    expect(at('2024-01-01T00:00:00Z')).toBe('1.0.0');
    expect(at('2025-05-31T23:59:59.999Z')).toBe('1.0.0');
    expect(at('2025-06-01T00:00:00Z')).toBe('2.0.0');
    expect(at('2026-05-31T21:59:59.999Z')).toBe('2.0.0');
    expect(at('2026-05-31T22:00:00Z')).toBe('3.0.0');
    expect(codeOf(() => r.resolve('demo', undefined, new Date('2023-12-31T23:59:59Z')))).toBe(
      ErrorCode.NO_VERSION_IN_EFFECT,
    );
    // An explicit version is used whatever its window (comparisons, replays).
    expect(r.resolve('demo', '1.0.0', new Date('2030-01-01T00:00:00Z')).ref.version).toBe('1.0.0');
    expect(codeOf(() => r.resolve('nope', undefined, new Date()))).toBe(ErrorCode.POLICY_NOT_FOUND);
    expect(codeOf(() => r.get('demo', '9.9.9'))).toBe(ErrorCode.POLICY_VERSION_NOT_FOUND);
  });

  it('lists versions with digests and the active one', () => {
    const r = registry(HTTP);
    r.onModuleInit();
    const [demo] = r.list(new Date('2025-07-01T00:00:00Z'));
    expect(demo?.id).toBe('demo');
    expect(demo?.active).toBe('2.0.0');
    expect(demo?.versions.map((v) => [v.version, v.effectiveFrom, v.effectiveTo])).toEqual([
      ['1.0.0', '2024-01-01', '2025-06-01'],
      ['2.0.0', '2025-06-01', null],
      ['3.0.0', '2026-06-01T00:00:00+02:00', null],
    ]);
    expect(demo?.versions[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.list(new Date('2020-01-01T00:00:00Z'))[0]?.active).toBeNull();
  });

  it('fails the HTTP start on a broken directory, listing file:line:col for every error', () => {
    breakFile('2.0.0');
    const r = registry(HTTP);
    let error: unknown;
    try {
      r.onModuleInit();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.POLICY_LOAD_FAILED);
    expect((error as DomainError).message).toContain(
      `${join(dir, 'demo', '2.0.0.yaml')}:15:17 unknown operator "equals" (did you mean "equal"?)`,
    );
  });

  it('loads lazily outside the HTTP service, so a broken directory does not crash the CLI', () => {
    breakFile('2.0.0');
    const r = registry(CLI);
    expect(() => r.onModuleInit()).not.toThrow();
    expect(r.isReady()).toBe(false);
    expect(codeOf(() => r.resolve(undefined, undefined, new Date()))).toBe(
      ErrorCode.POLICY_LOAD_FAILED,
    );
    writeFileSync(join(dir, 'demo', '2.0.0.yaml'), policyYaml('2.0.0', '2025-06-01'));
    const lazy = registry(CLI);
    expect(lazy.isReady()).toBe(true);
  });

  it('keeps the last good set when a reload finds errors, and swaps when fixed', async () => {
    const r = registry(HTTP);
    r.onModuleInit();
    const before = r.get('demo', '2.0.0').ref.digest;
    breakFile('2.0.0');
    const failed = await r.reload();
    expect(failed.ok).toBe(false);
    expect(failed.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '15:17 unknown operator "equals" (did you mean "equal"?)',
    ]);
    expect(failed.loaded.map((p) => p.version)).toEqual(['1.0.0', '2.0.0', '3.0.0']);
    expect(r.get('demo', '2.0.0').ref.digest).toBe(before);
    expect(r.isReady()).toBe(true);

    writeFileSync(
      join(dir, 'demo', '2.0.0.yaml'),
      policyYaml('2.0.0', '2025-06-01', undefined, 'changed'),
    );
    const ok = await r.reload();
    expect(ok.ok).toBe(true);
    const after = r.get('demo', '2.0.0');
    expect(after.ref.digest).not.toBe(before);
    expect(after.rules[0]?.message).toBe('changed');
  });

  it('hot-reloads on file changes and keeps serving the last good set after a broken edit', async () => {
    const metrics = new MetricsService();
    const r = registry(HTTP, true, metrics);
    r.onModuleInit();
    const original = r.get('demo', '2.0.0').ref.digest;
    writeFileSync(
      join(dir, 'demo', '2.0.0.yaml'),
      policyYaml('2.0.0', '2025-06-01', undefined, 'edited'),
    );
    await until(() => r.get('demo', '2.0.0').rules[0]?.message === 'edited');
    const edited = r.get('demo', '2.0.0').ref.digest;
    expect(edited).not.toBe(original);

    const failures = async () =>
      (await metrics.policyReloads.get()).values.find((v) => v.labels.outcome === 'failed')
        ?.value ?? 0;
    breakFile('2.0.0');
    await until(async () => (await failures()) > 0);
    expect(r.get('demo', '2.0.0').ref.digest).toBe(edited);
    expect(r.resolve(undefined, undefined, new Date('2025-07-01T00:00:00Z')).ref.version).toBe(
      '2.0.0',
    );
  });

  it('compiles a single candidate file outside the registry', async () => {
    const r = registry(CLI);
    const file = join(dir, 'candidate.yaml');
    writeFileSync(file, policyYaml('9.0.0', '2027-01-01'));
    const p = await r.compileFile(file);
    expect(p.ref.version).toBe('9.0.0');
    expect(p.source).toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, policyYaml('9.0.0', '2027-01-01').replace('equal', 'equalz'));
    await expect(r.compileFile(file)).rejects.toMatchObject({ code: ErrorCode.POLICY_LOAD_FAILED });
  });
});

describe('PolicyModule in Nest', () => {
  const moduleFor = (policiesDir: string) =>
    Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          POLICIES_DIR: policiesDir,
          POLICY_WATCH: 'false',
          LOG_LEVEL: 'silent',
        }),
        CommonModule,
        MetricsModule,
        PolicyModule,
      ],
    }).compile();

  it('an HTTP application fails to start on a broken policy directory', async () => {
    breakFile('2.0.0');
    const app = (await moduleFor(dir)).createNestApplication();
    await expect(app.init()).rejects.toMatchObject({ code: ErrorCode.POLICY_LOAD_FAILED });
    await app.close().catch(() => undefined);
  });

  it('an HTTP application is ready after loading a good directory', async () => {
    const app = (await moduleFor(dir)).createNestApplication();
    await app.init();
    expect(app.get(PolicyRegistry).isReady()).toBe(true);
    await app.close();
  });

  it('a non-HTTP context (CLI) boots on a broken directory', async () => {
    breakFile('2.0.0');
    const ref = await moduleFor(dir);
    await expect(ref.init()).resolves.toBeDefined();
    expect(ref.get(PolicyRegistry).isReady()).toBe(false);
    await ref.close();
  });
});
