import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/bootstrap';
import { Clock, FixedClock } from '../../src/common/clock';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SHIPPED_POLICIES = join(REPO_ROOT, 'policies');

export interface TestApp {
  app: INestApplication;
  /** Temp folder holding this app's audit, compare and sync files. */
  dir: string;
  clock?: FixedClock;
  close(): Promise<void>;
}

/**
 * Boots the real HTTP stack (same configureApp as main.ts) with isolated
 * directories (removed on close unless `keepDir`). Pass `now` to pin the injected clock.
 */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  options: {
    now?: Date;
    keepDir?: boolean;
    /** Replace providers (e.g. a failing AuditLog) before compiling. */
    override?: (builder: TestingModuleBuilder) => void;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'consent-gate-test-'));
  const builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        POLICIES_DIR: SHIPPED_POLICIES,
        AUDIT_DIR: join(dir, 'audit'),
        COMPARE_LOG_DIR: join(dir, 'compare'),
        SYNC_DIR: join(dir, 'sync'),
        LOG_LEVEL: 'warn',
        POLICY_WATCH: 'false',
        HOST: '127.0.0.1',
        ...env,
      }),
    ],
  });
  let clock: FixedClock | undefined;
  if (options.now) {
    clock = new FixedClock(options.now);
    builder.overrideProvider(Clock).useValue(clock);
  }
  options.override?.(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  configureApp(app);
  await app.init();
  return {
    app,
    dir,
    clock,
    close: async () => {
      await app.close();
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every line of the decision log chain (`decisions-*.jsonl`) under an audit directory, parsed. */
export function readDecisionLines(auditDir: string): Record<string, unknown>[] {
  if (!existsSync(auditDir)) return [];
  return readdirSync(auditDir)
    .filter((f) => /^decisions-.*\.jsonl$/.test(f) && !f.includes('.checkpoints.'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(auditDir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
}

/** A contact in the seed tutorial's flat shape that policy 1.0.0 approves at 2025-01-01. */
export function seedContact(
  id: string | number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    phone_number: '+4915112345678',
    consent_timestamp: '2024-06-01T10:00:00Z',
    consent_scope: 'cold_call',
    ...extra,
  };
}

/** Pinned request parameters under which seedContact() is approved. */
export const PINNED = {
  policy: 'gdpr-consent',
  version: '1.0.0',
  evaluatedAt: '2025-01-01T00:00:00Z',
};
