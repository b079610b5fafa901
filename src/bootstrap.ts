import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppConfig } from './config/app-config';
import { setupOpenApi } from './common/http/openapi';
import { handleHttpError } from './common/http/problem.filter';
import { requestIdMiddleware } from './common/http/request-id';
import { requestLogMiddleware } from './common/http/request-log.middleware';
import { AppLogger } from './common/logging/app-logger';
import { MetricsService } from './metrics/metrics.service';

/**
 * Everything main.ts applies to the Nest application, shared with the e2e
 * test factory (test/support/test-app.ts) so tests exercise the real stack.
 * Order matters: request id first (every later log line and problem carries it),
 * then security headers and the request log, then the JSON body parser whose
 * failures (too large, malformed) are turned into problem documents right after it.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const logger = app.get(AppLogger);
  const metrics = app.get(MetricsService);
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Express would hash every response body for a weak ETag; for 10,000-result validate
  // responses that hash cost as much as evaluating them. Routes that want an ETag
  // (GET /v1/policies/...) set their own.
  express.set('etag', false);
  // Behind a proxy X-Forwarded-For is not trusted: rate limits and the loopback rule use the peer.
  express.set('trust proxy', false);
  express.use(requestIdMiddleware);
  express.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI at /docs needs inline styles and data: images; scripts stay same-origin.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  express.use(
    requestLogMiddleware(logger, (method, route, status, seconds) =>
      metrics.httpDuration.observe({ method, route, status: String(status) }, seconds),
    ),
  );
  express.useBodyParser('json', { limit: config.server.bodyLimit });
  express.use((err: unknown, req: Request, res: Response, _next: NextFunction) =>
    handleHttpError(err, req, res, logger),
  );
  setupOpenApi(app);
}
