import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genesysEnv } from '../test/fake-genesys/demo-setup';
import { FakeGenesys } from '../test/fake-genesys/fake-genesys';
import { nowMs } from './lib/stats';

export interface SyncResult {
  contacts: number;
  rateLimitPerMinute: number;
  contactPosts: number;
  apiRequests: number;
  throttled: number;
  seconds: number;
  /** Rate-limit window of the fake (fixed windows, as Genesys' per-minute budget). */
  windowMs: number;
  /** API requests per minute over the job's sending phase (first to last request). */
  requestsPerMinute: number;
  /** Requests in each complete window, in order. */
  windowCounts: number[];
  /** Mean requests per complete window / the window's budget: the target's measure. */
  utilisation: number;
  exitCode: number | null;
}

const COLUMNS = [
  'first_name',
  'phone_number',
  'email',
  'consent_timestamp',
  'consent_scope',
  'gdpr_consent_flag',
  'gdpr_consent_scope',
  'gdpr_consent_updated',
  'gdpr_policy_version',
];

/**
 * Runs `consent-gate sync` against the fake Genesys with a rate limit of R
 * requests/minute and measures the job's request rate against R. All contacts
 * are approvable so every batch is a full 1000-contact POST.
 */
export async function benchSync(
  repo: string,
  at: Date,
  rateLimitPerMinute = 120,
  contacts = 150_000,
  windowMs = 10_000,
): Promise<SyncResult> {
  const dir = mkdtempSync(join(tmpdir(), 'consent-gate-bench-sync-'));
  // R per minute as a budget per fixed window; short windows put several of them
  // inside one run, so the rate is measured over complete windows, not one boundary.
  const budget = Math.round((rateLimitPerMinute * windowMs) / 60_000);
  const fake = await FakeGenesys.start({ rateLimitPerMinute: budget, rateLimitWindowMs: windowMs });
  try {
    const list = fake.createContactList({
      id: 'bench-list',
      name: 'bench',
      columnNames: COLUMNS,
      phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
      emailColumns: [{ columnName: 'email', type: 'personal' }],
    });
    const input = join(dir, 'contacts.ndjson');
    const recent = new Date(at.getTime() - 30 * 86400000).toISOString();
    const lines: string[] = [];
    for (let i = 0; i < contacts; i++) {
      lines.push(
        JSON.stringify({
          id: `b${i}`,
          first_name: 'Bench',
          phone_number: `+4915550${String(i).padStart(6, '0')}`,
          consent_timestamp: recent,
          consent_scope: 'cold_call',
        }),
      );
    }
    writeFileSync(input, lines.join('\n') + '\n', { mode: 0o600 });
    const start = nowMs();
    const exitCode = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(repo, 'dist', 'cli.js'),
          'sync',
          '--input',
          input,
          '--contact-list',
          list.id,
          '--version',
          '1.0.0',
          '--evaluated-at',
          at.toISOString(),
        ],
        {
          cwd: repo,
          env: {
            PATH: process.env.PATH ?? '',
            POLICIES_DIR: join(repo, 'policies'),
            AUDIT_DIR: join(dir, 'audit'),
            SYNC_DIR: join(dir, 'sync'),
            COMPARE_LOG_DIR: join(dir, 'compare'),
            LOG_LEVEL: 'warn',
            ...genesysEnv(fake),
          },
          stdio: ['ignore', 'ignore', 'ignore'],
        },
      );
      child.on('exit', (code) => resolve(code));
    });
    const seconds = (nowMs() - start) / 1000;
    const api = fake.requests.filter((r) => r.server === 'api');
    const posts = api.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/contacts') && r.status === 200,
    );
    const throttled = api.filter((r) => r.status === 429).length;
    // Rate over the sending phase: first to last API request.
    const first = api[0]?.at ?? 0;
    const last = api[api.length - 1]?.at ?? 0;
    const spanMin = Math.max(1e-9, (last - first) / 60000);
    const requestsPerMinute = api.length > 1 ? (api.length - 1) / spanMin : 0;
    const windowCounts = completeWindows(
      api.map((r) => r.at),
      windowMs,
    );
    const mean =
      windowCounts.length === 0 ? 0 : windowCounts.reduce((a, b) => a + b, 0) / windowCounts.length;
    return {
      contacts,
      rateLimitPerMinute,
      windowMs,
      windowCounts,
      contactPosts: posts.length,
      apiRequests: api.length,
      throttled,
      seconds,
      requestsPerMinute,
      utilisation: mean / budget,
      exitCode,
    };
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Request counts per fixed window, reconstructed as the fake counts them: a window
 * opens with the first request after the previous one closed. The last window is
 * dropped when the job ended inside it (it is partial by construction).
 */
export function completeWindows(times: number[], windowMs: number): number[] {
  const counts: number[] = [];
  let start: number | undefined;
  let count = 0;
  for (const t of times) {
    if (start === undefined || t >= start + windowMs) {
      if (start !== undefined) counts.push(count);
      start = t;
      count = 0;
    }
    count++;
  }
  return counts;
}
