import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppLogger } from '../logging/app-logger';
import type { RequestWithId } from './request-id';

export type LatencyObserver = (
  method: string,
  route: string,
  status: number,
  seconds: number,
) => void;

/**
 * One log line per request (method, route template, status, ms, requestId) and the
 * latency histogram. The route template (`/v1/policies/:id/...`) is logged, never the
 * raw URL, so ids and query strings stay out of logs and metric labels stay bounded.
 */
export function requestLogMiddleware(logger: AppLogger, observe: LatencyObserver): RequestHandler {
  const log = logger.child('http');
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      const status = res.headersSent ? res.statusCode : 499;
      observe(req.method, route, status, seconds);
      log.info('request', {
        method: req.method,
        route,
        status,
        ms: Math.round(seconds * 1000 * 10) / 10,
        requestId: (req as RequestWithId).requestId,
        apiKeyId: (req as RequestWithId).apiKeyId,
        aborted: !res.writableFinished || undefined,
      });
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
}

function routeOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.path === '/docs' || req.path.startsWith('/docs/') || req.path === '/docs-json')
    return '/docs';
  return 'unmatched';
}
