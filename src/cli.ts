#!/usr/bin/env node
import 'reflect-metadata';
import { tuneHeap } from './common/heap-tuning';
import { existsSync } from 'node:fs';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigValidationError } from './config/validate-env';

/** Commander "errors" that are really help or version output: exit 0, print nothing more. */
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

async function main(): Promise<void> {
  tuneHeap();
  if (existsSync('.env')) process.loadEnvFile('.env');
  await CommandFactory.run(CliModule.forRoot(), {
    logger: ['error'],
    errorHandler: (err: Error & { code?: string }) => {
      if (err.code !== undefined && INFORMATIONAL.has(err.code)) {
        process.exitCode = 0;
        return;
      }
      // Commander has already printed the usage error itself.
      process.exitCode = process.exitCode || 2;
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    err instanceof ConfigValidationError
      ? `${err.message}\n`
      : `consent-gate: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(2);
});
