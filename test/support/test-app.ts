import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Test } from '@nestjs/testing';
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
 * directories. Pass `now` to pin the injected clock.
 */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  options: { now?: Date } = {},
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
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  configureApp(app);
  await app.init();
  return { app, dir, clock, close: () => app.close() };
}
