import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatLoadError, loadPolicyDirectory } from '../../src/policy/loader/policy-loader';
import { PolicySource } from '../../src/policy/loader/policy-source';
import { contactArbitrary } from './contact-arbitrary';
import { REPO_ROOT, SHIPPED_POLICIES } from './test-app';

/**
 * Differential test (issue 7): the compiled fast path must decide exactly
 * like json-rules-engine, the engine of record. For a shipped policy
 * version, >= 100k generated contacts, each at its own evaluation instant,
 * go through both; decision, code, codes, warnings and violations must be
 * identical. Generation and shrinking run in jest; evaluation runs in two
 * worker threads on the dist/ build (what the service executes; `npm test`
 * builds first), outside jest's sandbox where json-rules-engine is ~3x slower.
 * One spec file per major version keeps each file's run short.
 */
const CONTACTS_PER_VERSION = 100_000;
const BATCH = 1000;
const DAY = 86_400_000;
const MINUTE = 60_000;

export function shippedPolicies() {
  const { policies, errors } = loadPolicyDirectory(new PolicySource(), SHIPPED_POLICIES);
  if (errors.length > 0) throw new Error(errors.map(formatLoadError).join('\n'));
  return policies;
}

const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');
function rfc3339(ms: number, offsetMin: number, fraction: string): string {
  const local = new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}${fraction}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  return `${local}${fraction}${sign}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
}

/** Seed-shape contacts sitting on the age and future-tolerance boundaries relative to `at`. */
function seedBoundaryContact(at: number): fc.Arbitrary<Record<string, unknown>> {
  const ts = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(-730 * DAY, 5 * MINUTE, -540 * DAY, -1095 * DAY, 0),
        fc.integer({ min: -3000, max: 3000 }),
        fc.constantFrom(0, 330, -480, 60),
        fc.constantFrom('', '.5', '.000000001', '.999'),
      )
      .map(([base, delta, off, frac]) => rfc3339(at + base + delta, off, frac)),
    fc.constantFrom(null, '', ' ', '2025-02-29T10:00:00Z', '2025-06-01', 'x', 42, true),
    fc.constant(undefined),
  );
  return fc.record(
    {
      consent_timestamp: ts,
      consent_scope: fc.constantFrom(
        'cold_call',
        'marketing_email',
        'Cold_Call',
        ' cold_call',
        null,
        7,
      ),
      phone_number: fc.constantFrom('+4915550100001', '', '  ', null, 4915550100001),
      email: fc.constantFrom('someone@example.org', '', ' ', null),
      country: fc.constantFrom('DE', 'FR', 'GB', 'NL', 'de', 'XX'),
    },
    { requiredKeys: [] },
  );
}

type Policy = ReturnType<typeof shippedPolicies>[number];

/**
 * The differential spec of one major version: every shipped `<major>.x.y` must
 * decide like json-rules-engine. `extra` registers further tests first.
 */
export function describeDifferential(major: string, extra?: () => void): void {
  const versions = shippedPolicies().filter((p) => p.ref.version.startsWith(`${major}.`));
  describe(`differential: compiled fast path vs json-rules-engine, major version ${major}`, () => {
    extra?.();

    it('has a shipped version to check', () => {
      expect(versions.length).toBeGreaterThan(0);
    });

    for (const policy of versions) {
      it(`${policy.ref.id}@${policy.ref.version}: identical decisions for ${CONTACTS_PER_VERSION} generated contacts`, async () => {
        expect(await assertFastPathMatchesEngine(policy)).toBeGreaterThanOrEqual(
          CONTACTS_PER_VERSION,
        );
      }, 300_000);
    }
  });
}

/** Runs the differential property for one version; throws with the first disagreeing contact. */
async function assertFastPathMatchesEngine(policy: Policy): Promise<number> {
  const name = `${policy.ref.id}@${policy.ref.version}`;
  // Around the version's start and the 2026 rule dates, so rule-level windows flip both ways.
  const anchors = [
    policy.effectiveFromMs,
    Date.UTC(2026, 6, 1),
    Date.UTC(2026, 7, 11),
    Date.UTC(2026, 8, 1),
    Date.UTC(2027, 2, 1),
  ];
  const shifts = fc.constantFrom(0, 0, -1000, 1000, -DAY, DAY, -45 * DAY, 45 * DAY, -200 * DAY);
  const item = fc.oneof(
    ...anchors.map((anchor) =>
      fc.tuple(
        fc.constant(anchor),
        shifts,
        fc.oneof(
          { arbitrary: contactArbitrary(new Date(anchor)), weight: 60 },
          { arbitrary: seedBoundaryContact(anchor), weight: 20 },
          {
            arbitrary: fc.oneof(
              fc.constant(null),
              fc.array(fc.anything(), { maxLength: 2 }),
              fc.string(),
            ),
            weight: 1,
          },
        ),
      ),
    ),
  );
  const pool = new WorkerPool(2);
  let checked = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const items = batch.map(([anchor, shift, c]) => [anchor + shift, c] as const);
        const half = Math.ceil(items.length / 2);
        const replies = await Promise.all([
          pool.run(0, name, items.slice(0, half)),
          pool.run(1, name, items.slice(half)),
        ]);
        for (const r of replies) {
          if (r.error !== undefined) throw new Error(r.error);
          if (r.failure) {
            throw new Error(
              `${name} at ${r.failure.at} disagrees on ${JSON.stringify(r.failure.contact)}: ${r.failure.diff.join('; ')}`,
            );
          }
          checked += r.checked;
        }
      }),
      { numRuns: Math.ceil(CONTACTS_PER_VERSION / BATCH), endOnFailure: true },
    );
  } finally {
    await pool.close();
  }
  return checked;
}

interface WorkerReply {
  id: number;
  checked: number;
  failure: { at: string; contact: unknown; diff: string[] } | null;
  error?: string;
}

/** Two worker threads, each answering one batch at a time. */
class WorkerPool {
  private readonly workers: Worker[];
  private next = 0;
  private readonly pending = new Map<number, (r: WorkerReply) => void>();

  constructor(size: number) {
    const script = join(__dirname, 'policy-differential-worker.js');
    if (!existsSync(join(REPO_ROOT, 'dist', 'policy', 'policy-test-runner.js'))) {
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    }
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(script, {
        workerData: { repoRoot: REPO_ROOT, policiesDir: SHIPPED_POLICIES },
      });
      w.on('message', (r: WorkerReply) => {
        this.pending.get(r.id)?.(r);
        this.pending.delete(r.id);
      });
      w.on('error', (e) => {
        for (const [id, resolve] of this.pending)
          resolve({ id, checked: 0, failure: null, error: e.stack ?? e.message });
        this.pending.clear();
      });
      return w;
    });
  }

  run(index: number, key: string, items: (readonly [number, unknown])[]): Promise<WorkerReply> {
    const id = this.next++;
    const worker = this.workers[index % this.workers.length] as Worker;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, key, items });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
