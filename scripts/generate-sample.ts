/**
 * Writes examples/contacts-sample.ndjson: synthetic contacts across countries,
 * channels and consent states for `consent-gate compare` and the README.
 * Deterministic: the same seed, count and anchor always give the same bytes.
 *
 *   npm run sample                       # the committed corpus
 *   npm run sample -- --count 10000 --seed 7 --anchor 2026-09-01T09:00:00Z --out /tmp/c.ndjson
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  generateContacts,
  SAMPLE_CORPUS as SAMPLE_DEFAULTS,
} from '../test/support/contact-generator';

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(args: readonly string[]): void {
  const seed = Number(option(args, 'seed') ?? SAMPLE_DEFAULTS.seed);
  const count = Number(option(args, 'count') ?? SAMPLE_DEFAULTS.count);
  const anchorText = option(args, 'anchor') ?? SAMPLE_DEFAULTS.anchor;
  const anchor = new Date(anchorText);
  if (
    !Number.isInteger(seed) ||
    !Number.isInteger(count) ||
    count < 1 ||
    Number.isNaN(anchor.getTime())
  ) {
    console.error('usage: generate-sample [--seed N] [--count N] [--anchor RFC3339] [--out FILE]');
    process.exitCode = 2;
    return;
  }
  const out = resolve(option(args, 'out') ?? SAMPLE_DEFAULTS.out);
  const contacts = generateContacts({ seed, count, anchor });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, contacts.map((c) => JSON.stringify(c)).join('\n') + '\n');
  console.log(`wrote ${count} contacts (seed ${seed}, anchor ${anchor.toISOString()}) to ${out}`);
}

// Run only as a script, so tests can import the module's defaults without writing files.
if (require.main === module) main(process.argv.slice(2));
