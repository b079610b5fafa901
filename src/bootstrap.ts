import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from './config/app-config';
import { requestIdMiddleware } from './common/http/request-id';

/**
 * Everything main.ts applies to the Nest application, shared with the e2e
 * test factory (test/support/test-app.ts) so tests exercise the real stack.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(requestIdMiddleware);
  express.useBodyParser('json', { limit: config.server.bodyLimit });
}
