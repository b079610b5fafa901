import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { CommonModule } from '../src/common/common.module';
import { ConfigModule } from '../src/config/config.module';
import { MetricsModule } from '../src/metrics/metrics.module';
import { PolicyModule } from '../src/policy/policy.module';
import { PolicyRegistry } from '../src/policy/policy-registry';
import type { CompiledPolicy } from '../src/policy/policy.types';
import { handwritten100 } from './handwritten-1-0-0';
import { naiveEvaluator } from './naive-engine';
import { nowMs } from './lib/stats';

export interface InProcessResult {
  version: string;
  contacts: number;
  /** json-rules-engine driven the obvious way (naive-engine.ts): the baseline of the targets. */
  naivePerSec: number;
  /** The product's engine-of-record path (evaluateWithEngine, used for explain), for reference. */
  enginePathPerSec: number;
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

/** A full GC when the bench runs with --expose-gc (npm run bench does), else nothing. */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
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
  const naive = naiveEvaluator(policy);
  // The baseline must decide what the fast path decides, or the ratio means nothing.
  for (const c of contacts.slice(0, 2000)) {
    const expected = policy.evaluate(c, at).codes.join(',');
    const got = (await naive.evaluate(c, at)).join(',');
    if (got !== expected) {
      throw new Error(`naive baseline disagrees with the fast path: [${got}] vs [${expected}]`);
    }
  }
  // Warm-up every path so the JIT has settled before measuring.
  measureSync(contacts.slice(0, 20000), 300, (c) => policy.evaluate(c, at));
  measureSync(contacts.slice(0, 20000), 300, (c) =>
    handwritten100(c as Record<string, unknown>, atMs),
  );
  await measureAsync(contacts.slice(0, 2000), 300, (c) => naive.evaluate(c, at));
  await measureAsync(contacts.slice(0, 2000), 300, (c) => policy.evaluateWithEngine(c, at));
  // Each path is measured in two rounds, each from a collected heap (run with
  // --expose-gc), and its better round counts: the same treatment for every
  // path, so a burst of load from other processes cannot decide a ratio.
  const isHandwritten = policy.ref.version === '1.0.0';
  let naivePerSec = 0;
  let enginePathPerSec = 0;
  let fastPerSec = 0;
  let handwrittenPerSec: number | undefined;
  for (let round = 0; round < 2; round++) {
    collect();
    naivePerSec = Math.max(
      naivePerSec,
      await measureAsync(contacts, 2500, (c) => naive.evaluate(c, at)),
    );
    collect();
    enginePathPerSec = Math.max(
      enginePathPerSec,
      await measureAsync(contacts, 1500, (c) => policy.evaluateWithEngine(c, at)),
    );
    collect();
    fastPerSec = Math.max(
      fastPerSec,
      measureSync(contacts, 2500, (c) => policy.evaluate(c, at)),
    );
    if (isHandwritten) {
      collect();
      handwrittenPerSec = Math.max(
        handwrittenPerSec ?? 0,
        measureSync(contacts, 2500, (c) => handwritten100(c as Record<string, unknown>, atMs)),
      );
    }
  }
  const targetVsNaive = policy.ref.version === '1.0.0' ? 50 : 20;
  const fastVsNaive = fastPerSec / naivePerSec;
  const handwrittenVsFast =
    handwrittenPerSec === undefined ? undefined : handwrittenPerSec / fastPerSec;
  return {
    version: policy.ref.version,
    contacts: contacts.length,
    naivePerSec,
    enginePathPerSec,
    fastPerSec,
    handwrittenPerSec,
    fastVsNaive,
    handwrittenVsFast,
    targetVsNaive,
    meetsTarget:
      fastVsNaive >= targetVsNaive && (handwrittenVsFast === undefined || handwrittenVsFast <= 2),
  };
}
