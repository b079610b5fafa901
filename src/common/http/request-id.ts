import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request with the id assigned by requestIdMiddleware. */
export type RequestWithId = Request & { requestId?: string; apiKeyId?: string };

/** Takes a well-formed X-Request-Id from the caller or assigns a UUID; echoes it on the response. */
export function requestIdMiddleware(req: RequestWithId, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  req.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
}

export function requestIdOf(req: unknown): string {
  const id = (req as RequestWithId | undefined)?.requestId;
  return typeof id === 'string' ? id : 'unknown';
}
