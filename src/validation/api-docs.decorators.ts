import { applyDecorators } from '@nestjs/common';
import {
  ApiConsumes,
  ApiExtraModels,
  ApiProduces,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ProblemDto } from '../common/http/problem.dto';
import { ErrorCode } from '../common/error-codes';
import { statusForCode, titleForCode, typeForCode } from '../common/http/problem';

/** Documents problem responses (application/problem+json) with one example per code. */
export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) {
    const s = statusForCode(c);
    byStatus.set(s, [...(byStatus.get(s) ?? []), c]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...byStatus.entries()].map(([status, list]) =>
      ApiResponse({
        status,
        description: list.join(', '),
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDto) },
            examples: Object.fromEntries(
              list.map((code) => [
                code,
                {
                  value: {
                    type: typeForCode(code),
                    title: titleForCode(code),
                    status,
                    detail: EXAMPLE_DETAIL[code] ?? titleForCode(code),
                    code,
                    requestId: '5f0c6f1e-3b7a-4d8e-9a51-2f7f0c9d1e22',
                    ...(code === ErrorCode.INVALID_REQUEST
                      ? {
                          errors: [
                            {
                              path: 'evaluatedAt',
                              message: 'evaluatedAt must be an RFC 3339 date-time with an offset',
                            },
                          ],
                        }
                      : {}),
                  },
                },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

/**
 * An NDJSON-in, NDJSON-out streaming endpoint (POST /v1/validate/stream, /v1/compare/stream):
 * media types plus the problems it can answer with before the first result line.
 */
export function ApiNdjsonStream(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiConsumes('application/x-ndjson'),
    ApiProduces('application/x-ndjson'),
    ApiProblems(
      ErrorCode.INVALID_REQUEST,
      ErrorCode.UNAUTHORIZED,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      ErrorCode.POLICY_NOT_FOUND,
      ErrorCode.POLICY_VERSION_NOT_FOUND,
      ErrorCode.NO_VERSION_IN_EFFECT,
      ErrorCode.RATE_LIMITED,
      ErrorCode.AUDIT_UNAVAILABLE,
    ),
  );
}

const EXAMPLE_DETAIL: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.INVALID_REQUEST]: 'The request is invalid; see errors.',
  [ErrorCode.UNAUTHORIZED]: 'Missing or invalid API key.',
  [ErrorCode.RATE_LIMITED]: 'Too many requests for this API key; retry after Retry-After seconds.',
  [ErrorCode.PAYLOAD_TOO_LARGE]:
    'At most 10000 contacts per request; send larger batches to POST /v1/validate/stream as NDJSON.',
  [ErrorCode.POLICY_NOT_FOUND]: 'No policy "gdpr-konsent".',
  [ErrorCode.POLICY_VERSION_NOT_FOUND]: 'Policy gdpr-consent has no version 9.9.9.',
  [ErrorCode.NO_VERSION_IN_EFFECT]:
    'No version of gdpr-consent is in effect at 2019-01-01T00:00:00Z.',
  [ErrorCode.AUDIT_UNAVAILABLE]: 'The decision log cannot be written; no decision was released.',
  [ErrorCode.POLICY_LOAD_FAILED]: 'Policies could not be reloaded; the previous set keeps serving.',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Send the body as application/x-ndjson.',
};
