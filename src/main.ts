import 'reflect-metadata';
import { tuneHeap } from './common/heap-tuning';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/validate-env';
import { AppLogger } from './common/logging/app-logger';
import { AuditLog } from './audit/audit.types';

async function main(): Promise<void> {
  tuneHeap();
  if (existsSync('.env')) process.loadEnvFile('.env');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  configureApp(app);
  const config = app.get(AppConfig);
  // Repair a tail torn by a crash now, not on the first request. A log that cannot be
  // opened does not stop the start: every validation then fails 503 AUDIT_UNAVAILABLE.
  await app
    .get(AuditLog)
    .open()
    .catch((err: unknown) =>
      logger.error(
        { msg: 'audit log cannot be opened; validation requests will fail with 503', error: err },
        'Main',
      ),
    );
  await app.listen(config.server.port, config.server.host);
  logger.log(
    `consent-gate listening on http://${config.server.host}:${config.server.port}`,
    'Main',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigValidationError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `consent-gate failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
