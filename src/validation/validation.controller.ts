import { Body, Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { problemFromException } from '../common/http/problem.filter';
import { requestIdOf, type RequestWithId } from '../common/http/request-id';
import { readContactBatches } from '../contacts/contact-reader';
import { ApiNdjsonStream, ApiProblems } from './api-docs.decorators';
import { ValidateRequestDto, ValidateStreamQueryDto } from './dto/validate-request.dto';
import { ValidateResponseDto } from './dto/responses.dto';
import { ClientGoneError, HttpNdjsonSink } from './http-ndjson.sink';
import { withResults } from './result-json';
import { ndjsonRequestEncoding } from '../common/http/ndjson-request';
import { STREAM_CHUNK_SIZE, ValidationService } from './validation.service';

@ApiTags('validation')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller('v1/validate')
export class ValidationController {
  private readonly log: ContextLogger;

  constructor(
    private readonly validation: ValidationService,
    private readonly config: AppConfig,
    logger: AppLogger,
  ) {
    this.log = logger.child('ValidationController');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Validate up to MAX_CONTACTS_PER_REQUEST contacts against one policy version.',
    description:
      'Every decision is written to the audit log before the response is sent; if the log cannot be written the request fails with 503 AUDIT_UNAVAILABLE.',
  })
  @ApiBody({
    type: ValidateRequestDto,
    examples: {
      minimal: {
        summary: 'One contact, defaults for policy, version and time',
        value: {
          contacts: [
            {
              id: 'crm-1001',
              phone_number: '+4915112345678',
              consent_timestamp: '2025-11-02T10:15:00+01:00',
              consent_scope: 'cold_call',
            },
          ],
        },
      },
      pinned: {
        summary: 'Pinned policy version and evaluation time, with explain',
        value: {
          contacts: [{ id: 7, email: 'jane@example.org', consent_scope: 'marketing_email' }],
          policy: 'gdpr-consent',
          version: '1.0.0',
          evaluatedAt: '2026-03-01T09:00:00Z',
          explain: true,
        },
      },
    },
  })
  @ApiOkResponse({ type: ValidateResponseDto })
  @ApiProblems(
    ErrorCode.INVALID_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.POLICY_NOT_FOUND,
    ErrorCode.POLICY_VERSION_NOT_FOUND,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.NO_VERSION_IN_EFFECT,
    ErrorCode.RATE_LIMITED,
    ErrorCode.AUDIT_UNAVAILABLE,
  )
  async validate(
    @Body() body: ValidateRequestDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const max = this.config.server.maxContactsPerRequest;
    if (body.contacts.length > max) {
      throw new DomainError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `At most ${max} contacts per request (got ${body.contacts.length}); send larger batches to POST /v1/validate/stream as NDJSON.`,
        { extra: { maxContacts: max, streamEndpoint: '/v1/validate/stream' } },
      );
    }
    const requestId = requestIdOf(req);
    const resolved = this.validation.resolve(body.policy, body.version, body.evaluatedAt);
    const results = await this.validation.validateContacts(resolved, body.contacts, {
      source: 'http',
      requestId,
      explain: body.explain === true,
    });
    const { id, version, digest } = resolved.policy.ref;
    const head: Omit<ValidateResponseDto, 'results'> = {
      policy: { id, version, digest },
      evaluatedAt: resolved.evaluatedAtText,
      requestId,
      summary: this.validation.summarize(results),
    };
    // The ValidateResponseDto, serialised by withResults: the same JSON as res.json()
    // would send, with each shared decision's part encoded once (result-json.ts).
    const json = withResults(head, results);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', json.byteLength);
    res.end(json);
  }

  @Post('stream')
  @ApiOperation({
    summary:
      'Validate an unbounded NDJSON stream: one result line per input line, then a summary line.',
    description:
      'Results are written in input order in chunks of 1000, each chunk audited before it is written. ' +
      'A malformed line yields an INPUT_MALFORMED result. If the audit log fails after results were ' +
      'sent, the stream ends with an {"error": <problem>} line instead of the summary line. ' +
      'The body may be gzip-compressed (Content-Encoding: gzip).',
  })
  @ApiNdjsonStream()
  @ApiBody({
    schema: { type: 'string' },
    examples: {
      twoContacts: {
        value:
          '{"id":"a1","phone_number":"+4915112345678","consent_timestamp":"2025-11-02T10:15:00+01:00","consent_scope":"cold_call"}\n{"id":"a2"}\n',
      },
    },
  })
  @ApiOkResponse({
    description:
      'NDJSON: result lines, then {"summary":…,"policy":…,"evaluatedAt":…,"requestId":…}',
    content: {
      'application/x-ndjson': {
        schema: { type: 'string' },
        example:
          '{"index":0,"contactId":"a1","decision":"APPROVED","code":"VALIDATION_PASSED","codes":[],"warnings":[],"violations":[]}\n' +
          '{"summary":{"total":1,"approved":1,"rejected":0,"byCode":{"VALIDATION_PASSED":1}},"policy":{"id":"gdpr-consent","version":"1.0.0","digest":"sha256:…"},"evaluatedAt":"2026-03-01T09:00:00.000Z","requestId":"…"}\n',
      },
    },
  })
  async stream(
    @Query() query: ValidateStreamQueryDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const encoding = ndjsonRequestEncoding(req);
    const requestId = requestIdOf(req);
    // Policy and time errors surface here, before any byte of the response.
    const resolved = this.validation.resolve(query.policy, query.version, query.evaluatedAt);
    const sink = new HttpNdjsonSink(res);
    try {
      await this.validation.validateStream(
        readContactBatches(req, 'ndjson', {
          gzip: encoding === 'gzip',
          batchSize: STREAM_CHUNK_SIZE,
        }),
        resolved,
        { source: 'http', requestId },
        sink,
      );
      res.end();
    } catch (e) {
      // Nothing written yet: the problem filter answers with the right status (e.g. 503).
      if (!res.headersSent) throw e;
      if (e instanceof ClientGoneError || sink.closed) {
        this.log.warn('stream ended early: client went away', { requestId });
        return;
      }
      const doc = problemFromException(e, requestId);
      this.log.error('stream aborted after results were sent', { requestId, code: doc.code });
      // The status line is long gone; the error line replaces the summary line.
      res.end(JSON.stringify({ error: doc }) + '\n');
    }
  }
}
