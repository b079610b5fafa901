import type { Request } from 'express';
import { DomainError } from '../domain-error';
import { ErrorCode } from '../error-codes';

/** Media types read as NDJSON by the streaming endpoints (/v1/validate/stream, /v1/compare/stream). */
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  // Raw bodies sent without a proper type (curl --data-binary and superagent default to
  // form-urlencoded, many clients send none): nothing else parses them, so read them as
  // NDJSON rather than refuse. JSON (consumed by the JSON parser) and the rest stay 415.
  '',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
]);

/**
 * Checks that a streaming request carries NDJSON (see NDJSON_TYPES) with an
 * encoding we can read, before any byte of the response. Returns the encoding.
 */
export function ndjsonRequestEncoding(req: Request): 'gzip' | 'identity' {
  const mime = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!NDJSON_TYPES.has(mime)) {
    throw new DomainError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'Send the body as application/x-ndjson: one JSON contact per line.',
    );
  }
  const encoding = (req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new DomainError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'Content-Encoding must be gzip or identity.',
    );
  }
  return encoding;
}
