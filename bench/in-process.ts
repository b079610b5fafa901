import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { CommonModule } from '../src/common/common.module';
import { ConfigModule } from '../src/config/config.module';
import { MetricsModule } from '../src/metrics/metrics.module';
import { PolicyModule } from '../src/policy/policy.module';
import { PolicyRegistry } from '../src/policy/policy-registry';
import type { CompiledPolicy } from '../src/policy/policy.types';
import { handwritten100 } from './handwritten-1-0-0';
import { nowMs } from './lib/stats';

export interface InProcessResult {
  version: string;
  contacts: number;
  naivePerSec: number;
  fastPerSec: number;
  handwrittenPerSec?: number;
  fastVsNaive: number;
  handwrittenVsFast?: number;
  targetVsNaive: number;
  meetsTarget: boolean;
}

/** Loads the shipped policies through the real PolicyModule (no HTTP). */
export async function loadRegistry(
  policiesDir: string,
): Promise<{ registry: PolicyRegistry; close: () => Promise<void> }> {
  @Module({
    imports: [
      ConfigModule.forRoot({ POLICIES_DIR: policiesDir, POLICY_WATCH: 'false', LOG_LEVEL: 'warn' }),
      CommonModule,
      MetricsModule,
      PolicyModule,
    ],
  })
  class BenchPolicyModule {}
  const ctx = await NestFactory.createApplicationContext(BenchPolicyModule, { logger: ['error'] });
  const registry = ctx.get(PolicyRegistry);
  if (!registry.isReady()) await registry.reload();
  return { registry, close: () => ctx.close() };
}

/** Runs fn over the contacts repeatedly for at least minMs; returns contacts per second. */
function measureSync(contacts: unknown[], minMs: number, fn: (c: unknown) => unknown): number {
  let n = 0;
  let sink = 0;
  const start = nowMs();
  let elapsed = 0;
  do {
    for (const c of contacts) {
      if (fn(c) !== undefined) sink++;
      n++;
    }
    elapsed = nowMs() - start;
  } while (elapsed < minMs);
  if (sink < 0) console.log(sink);
  return (n / elapsed) * 1000;
}

async function measureAsync(
  contacts: unknown[],
  minMs: number,
  fn: (c: unknown) => Promise<unknown>,
): Promise<number> {
  let n = 0;
  const start = nowMs();
  let elapsed = 0;
  do {
    for (const c of contacts) {
      await fn(c);
      n++;
      if (n % 1000 === 0 && nowMs() - start > minMs) break;
    }
    elapsed = nowMs() - start;
  } while (elapsed < minMs);
  return (n / elapsed) * 1000;
}

export async function benchInProcess(
  policy: CompiledPolicy,
  contacts: Record<string, unknown>[],
  at: Date,
): Promise<InProcessResult> {
  const atMs = at.getTime();
  // Warm-up both paths so the JIT has settled before measuring.
  measureSync(contacts.slice(0, 20000), 300, (c) => policy.evaluate(c, at));
  await measureAsync(contacts.slice(0, 2000), 300, (c) => policy.evaluateWithEngine(c, at));
  const naivePerSec = await measureAsync(contacts, 4000, (c) => policy.evaluateWithEngine(c, at));
  const fastPerSec = measureSync(contacts, 4000, (c) => policy.evaluate(c, at));
  let handwrittenPerSec: number | undefined;
  if (policy.ref.version === '1.0.0') {
    measureSync(contacts.slice(0, 20000), 300, (c) =>
      handwritten100(c as Record<string, unknown>, atMs),
    );
    handwrittenPerSec = measureSync(contacts, 4000, (c) =>
      handwritten100(c as Record<string, unknown>, atMs),
    );
  }
  const targetVsNaive = policy.ref.version === '1.0.0' ? 50 : 20;
  const fastVsNaive = fastPerSec / naivePerSec;
  const handwrittenVsFast =
    handwrittenPerSec === undefined ? undefined : handwrittenPerSec / fastPerSec;
  return {
    version: policy.ref.version,
    contacts: contacts.length,
    naivePerSec,
    fastPerSec,
    handwrittenPerSec,
    fastVsNaive,
    handwrittenVsFast,
    targetVsNaive,
    meetsTarget:
      fastVsNaive >= targetVsNaive && (handwrittenVsFast === undefined || handwrittenVsFast <= 2),
  };
}
