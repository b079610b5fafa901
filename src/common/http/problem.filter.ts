import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainError, type FieldError } from '../domain-error';
import { ErrorCode } from '../error-codes';
import { AppLogger } from '../logging/app-logger';
import { scrubText } from '../logging/redact';
import { requestIdOf } from './request-id';
import { statusForCode, titleForCode, typeForCode, type ProblemDocument } from './problem';

/**
 * The one place where failures become HTTP responses: RFC 9457 problem
 * details with a machine code and the request id. Unknown errors are logged
 * and answered with a generic 500 that echoes nothing.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    handleHttpError(exception, ctx.getRequest<Request>(), ctx.getResponse<Response>(), this.logger);
  }
}

/**
 * Answers a failed request with a problem document. Shared by the Nest filter and the
 * Express error handler that catches body-parser failures before Nest routing.
 */
export function handleHttpError(
  exception: unknown,
  req: Request,
  res: Response,
  logger: AppLogger,
): void {
  const requestId = requestIdOf(req);
  const doc = problemFromException(exception, requestId);
  if (doc.status >= 500) {
    logger.error(
      {
        msg: 'request failed',
        requestId,
        code: doc.code,
        method: req.method,
        path: req.path,
        error: exception,
      },
      'ProblemFilter',
    );
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  sendProblem(res, doc);
}

function sendProblem(res: Response, doc: ProblemDocument): void {
  if (doc.code === ErrorCode.RATE_LIMITED && !res.getHeader('Retry-After'))
    res.setHeader('Retry-After', '60');
  if (doc.code === ErrorCode.UNAUTHORIZED)
    res.setHeader('WWW-Authenticate', 'Bearer realm="consent-gate"');
  res.status(doc.status).type('application/problem+json').send(JSON.stringify(doc));
}

export function problemFromException(exception: unknown, requestId: string): ProblemDocument {
  if (exception instanceof DomainError) {
    return problem(
      exception.code,
      exception.message,
      requestId,
      exception.details.errors,
      exception.details.extra,
    );
  }
  if (exception instanceof ThrottlerException) {
    return problem(
      ErrorCode.RATE_LIMITED,
      'Too many requests for this API key; retry after the number of seconds in Retry-After.',
      requestId,
    );
  }
  if (exception instanceof HttpException) {
    const status: number = exception.getStatus();
    const body = exception.getResponse();
    const message: unknown =
      typeof body === 'string'
        ? body
        : ((body as { message?: unknown }).message ?? exception.message);
    const detail = scrubText(
      Array.isArray(message)
        ? message.map(String).join('; ')
        : typeof message === 'string'
          ? message
          : exception.message,
    );
    if (status === 413)
      return problem(
        ErrorCode.PAYLOAD_TOO_LARGE,
        'Request body exceeds the size limit (BODY_LIMIT).',
        requestId,
      );
    if (status === 404) return problem(ErrorCode.NOT_FOUND, detail, requestId);
    if (status === 401)
      return problem(ErrorCode.UNAUTHORIZED, 'Missing or invalid API key.', requestId);
    if (status === 429)
      return problem(ErrorCode.RATE_LIMITED, 'Too many requests; retry later.', requestId);
    if (status === 415) return problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail, requestId);
    if (status >= 400 && status < 500)
      return problem(ErrorCode.INVALID_REQUEST, detail, requestId, [{ path: '', message: detail }]);
  }
  // Express/body-parser errors carry a `type` and `status`.
  const raw = exception as { type?: unknown; status?: unknown } | null;
  if (raw && typeof raw === 'object') {
    if (raw.type === 'entity.too.large') {
      return problem(
        ErrorCode.PAYLOAD_TOO_LARGE,
        'Request body exceeds the size limit (BODY_LIMIT); send large batches to POST /v1/validate/stream as NDJSON.',
        requestId,
      );
    }
    if (raw.type === 'entity.parse.failed') {
      return problem(ErrorCode.INVALID_REQUEST, 'Request body is not valid JSON.', requestId, [
        { path: '', message: 'malformed JSON body' },
      ]);
    }
    if (raw.status === 415) {
      return problem(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Unsupported request body encoding or charset.',
        requestId,
      );
    }
    if (typeof raw.status === 'number' && raw.status >= 400 && raw.status < 500) {
      return problem(ErrorCode.INVALID_REQUEST, 'The request could not be read.', requestId, [
        { path: '', message: 'unreadable request body' },
      ]);
    }
  }
  return problem(
    ErrorCode.INTERNAL,
    'An unexpected error occurred; quote the requestId when reporting it.',
    requestId,
  );
}

export function problem(
  code: ErrorCode,
  detail: string,
  requestId: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
): ProblemDocument {
  const status = statusForCode(code);
  const doc: ProblemDocument = {
    ...(extra ?? {}),
    type: typeForCode(code),
    title: titleForCode(code),
    status,
    detail,
    code,
    requestId,
  };
  if (errors && errors.length > 0) doc.errors = errors;
  else if (code === ErrorCode.INVALID_REQUEST) doc.errors = [];
  return doc;
}
