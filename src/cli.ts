#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigValidationError } from './config/validate-env';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  await CommandFactory.run(CliModule.forRoot(), {
    logger: ['error'],
    errorHandler: (err) => {
      process.stderr.write(`${err.message}\n`);
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
