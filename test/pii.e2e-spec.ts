import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { generateApiKey } from '../src/auth/api-key';
import { createTestApp, PINNED, REPO_ROOT, SHIPPED_POLICIES } from './support/test-app';

/** Personal data and secrets that must never reach a log or audit file. */
const PHONES = ['+4915123456701', '+33612345602', '+447700900903'];
const EMAILS = ['erika.mustermann@example.de', 'jean.dupont@example.fr'];
const NAMES = ['Erika Mustermann', 'Jean-Baptiste Dupont'];
const BIRTH_DATES = ['1987-04-12', '1990-11-30'];
const key = generateApiKey();
const wrongKey = generateApiKey().key;

function contact(i: number): Record<string, unknown> {
  return {
    id: `pii-${i}`,
    name: NAMES[i % NAMES.length],
    first_name: NAMES[i % NAMES.length]?.split(' ')[0],
    phone_number: PHONES[i % PHONES.length],
    email: EMAILS[i % EMAILS.length],
    birth_date: BIRTH_DATES[i % BIRTH_DATES.length],
    consent_timestamp: i % 2 === 0 ? '2024-06-01T10:00:00Z' : 'not a date',
    consent_scope: 'cold_call',
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Needles in the forms they could appear: as sent, digits only, JSON-escaped. */
function needles(): string[] {
  const out = new Set<string>();
  for (const p of PHONES) {
    out.add(p);
    out.add(p.replace(/^\+/, ''));
  }
  for (const e of [...EMAILS, ...NAMES]) out.add(e);
  for (const n of NAMES) for (const part of n.split(/[ -]/)) if (part.length > 3) out.add(part);
  for (const b of BIRTH_DATES) out.add(b);
  out.add(key.key);
  out.add(wrongKey);
  return [...out];
}

describe('no personal data or secrets in logs and audit files', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'consent-gate-pii-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('greps every log and audit file written by HTTP requests and a CLI run', async () => {
    const logFile = join(root, 'logs', 'app.log');
    const t = await createTestApp(
      {
        API_KEY_HASHES: key.hash,
        LOG_FILE: logFile,
        LOG_LEVEL: 'trace',
        AUDIT_CHECKPOINT_KEY: 'c'.repeat(32),
      },
      { keepDir: true },
    );
    const http = t.app.getHttpServer() as App;
    const auth = { Authorization: `Bearer ${key.key}` };
    const contacts = Array.from({ length: 12 }, (_, i) => contact(i));
    try {
      await request(http)
        .post('/v1/validate')
        .set(auth)
        .send({ ...PINNED, contacts })
        .expect(200);
      await request(http)
        .post('/v1/validate')
        .set('X-API-Key', key.key)
        .send({ ...PINNED, explain: true, contacts: contacts.slice(0, 3) })
        .expect(200);
      await request(http)
        .post('/v1/validate/stream?version=1.0.0')
        .set(auth)
        .set('Content-Type', 'application/x-ndjson')
        .send(
          contacts.map((c) => JSON.stringify(c)).join('\n') +
            `\n{"phone_number":"${PHONES[0] ?? ''}", "email": "${EMAILS[0] ?? ''}"\n`,
        )
        .expect(200);
      // Failures: wrong key, invalid envelope carrying personal data, malformed JSON, bad query.
      await request(http)
        .post('/v1/validate')
        .set('Authorization', `Bearer ${wrongKey}`)
        .send({ contacts })
        .expect(401);
      await request(http).get('/v1/policies').set('X-API-Key', wrongKey).expect(401);
      await request(http)
        .post('/v1/validate')
        .set(auth)
        .send({ contacts: [], email: EMAILS[0], phone: PHONES[1], name: NAMES[0] })
        .expect(400);
      await request(http)
        .post('/v1/validate')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(`{"contacts":[{"phone_number":"${PHONES[2] ?? ''}","email":"${EMAILS[1] ?? ''}"`)
        .expect(400);
      await request(http)
        .post(`/v1/validate/stream?evaluatedAt=${encodeURIComponent(BIRTH_DATES[0] ?? '')}`)
        .set(auth)
        .set('Content-Type', 'application/x-ndjson')
        .send('{}\n')
        .expect(400);
      await request(http)
        .get(`/v1/policies/${encodeURIComponent(EMAILS[0] ?? '')}/versions/1.0.0`)
        .set(auth)
        .expect(400);
      await request(http).get('/metrics').expect(200);
    } finally {
      await t.close();
    }

    // The CLI twin, with its own LOG_FILE, into the same audit directory.
    const input = join(root, 'contacts.json');
    writeFileSync(input, JSON.stringify(contacts));
    const cliLog = join(root, 'logs', 'cli.log');
    const cliRun = await new Promise<{ stdout: string; stderr: string; code: number }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            join(REPO_ROOT, 'dist', 'cli.js'),
            'validate',
            '--input',
            input,
            '--version',
            '1.0.0',
            '--evaluated-at',
            PINNED.evaluatedAt,
            '--output',
            join(root, 'results.ndjson'),
          ],
          {
            env: {
              PATH: process.env.PATH ?? '',
              POLICIES_DIR: SHIPPED_POLICIES,
              AUDIT_DIR: join(t.dir, 'audit'),
              COMPARE_LOG_DIR: join(t.dir, 'compare'),
              LOG_FILE: cliLog,
              LOG_LEVEL: 'trace',
            },
          },
          (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? 1 : 0 }),
        );
      },
    );
    expect(cliRun.code).toBe(0);

    const files = [...filesUnder(t.dir), logFile, cliLog];
    const auditFiles = files.filter((f) => /decisions-.*\.jsonl$/.test(f));
    expect(auditFiles.length).toBeGreaterThan(0);
    expect(readFileSync(logFile, 'utf8')).toContain('"route":"/v1/validate"');
    const texts = files.map((f) => [f, readFileSync(f, 'latin1')] as const);
    texts.push(['cli stderr', cliRun.stderr]);
    const found: string[] = [];
    for (const [file, text] of texts) {
      for (const n of needles()) if (text.includes(n)) found.push(`${n} in ${file}`);
    }
    expect(found).toEqual([]);
    rmSync(t.dir, { recursive: true, force: true });
  });
});
