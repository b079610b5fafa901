import { Body, Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '../common/error-codes';
import { requestIdOf } from '../common/http/request-id';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { problemFromException } from '../common/http/problem.filter';
import { ClientGoneError, HttpNdjsonSink } from '../validation/http-ndjson.sink';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readContacts } from '../contacts/contact-reader';
import type { CompareResult, ContactChange } from './comparison.types';
import { ComparisonService, type CompareRequest } from './comparison.service';
import { COMPARE_BODY_EXAMPLES, COMPARE_RESPONSE_EXAMPLE } from './comparison.examples';
import { CompareRequestDto } from './dto/compare-request.dto';
import { CompareStreamQueryDto } from './dto/compare-stream-query.dto';
import { parseRfc3339 } from './dto/rfc3339';
import { DigestingStream } from './input-digest';
import { ApiNdjsonStream, ApiProblems } from '../validation/api-docs.decorators';
import { ndjsonRequestEncoding } from '../common/http/ndjson-request';

/** Converts a validated RFC 3339 string (or nothing) to a Date. */
function instant(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : parseRfc3339(value);
}

@ApiTags('compare')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller('v1/compare')
export class ComparisonController {
  private readonly log: ContextLogger;

  constructor(
    private readonly comparison: ComparisonService,
    logger: AppLogger,
  ) {
    this.log = logger.child('ComparisonController');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Compare outcomes of contacts under two policy versions (or one version at two instants)',
    description:
      'Evaluates every contact under the baseline and the candidate and reports, per contact, both outcomes and the change kind, plus a summary. Not written to the decision audit log; recorded in the comparison log.',
  })
  @ApiBody({ type: CompareRequestDto, examples: COMPARE_BODY_EXAMPLES })
  @ApiOkResponse({
    description: 'Comparison result',
    schema: { example: COMPARE_RESPONSE_EXAMPLE },
  })
  @ApiProblems(
    ErrorCode.INVALID_REQUEST,
    ErrorCode.COMPARE_INVALID,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.POLICY_NOT_FOUND,
    ErrorCode.POLICY_VERSION_NOT_FOUND,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.NO_VERSION_IN_EFFECT,
    ErrorCode.RATE_LIMITED,
    ErrorCode.AUDIT_UNAVAILABLE,
  )
  async compare(
    @Body() body: CompareRequestDto,
    @Req() req: Request,
  ): Promise<CompareResult & { requestId: string }> {
    const requestId = requestIdOf(req);
    const request: CompareRequest = {
      policy: body.policy,
      baseline: {
        version: body.baseline.version,
        evaluatedAt: instant(body.baseline.evaluatedAt),
      },
      candidate: {
        version: body.candidate.version,
        evaluatedAt: instant(body.candidate.evaluatedAt),
      },
      evaluatedAt: instant(body.evaluatedAt),
    };
    const result = await this.comparison.compareContacts(
      request,
      body.contacts,
      body.include ?? 'changed',
      { requestId, source: 'http' },
    );
    return { requestId, ...result };
  }

  @Post('stream')
  @ApiOperation({
    summary: 'Compare an NDJSON stream of contacts (unbounded input, flat memory)',
    description:
      'Body: one contact per line. Response: NDJSON, one line per contact (changed ones by default, every one with include=all) in input order, then one line `{"summary": ..., "baseline": ..., "candidate": ..., "inputDigest": ...}`. A malformed line is compared as INPUT_MALFORMED on both sides.',
  })
  @ApiNdjsonStream()
  @ApiBody({
    schema: { type: 'string', format: 'binary' },
    examples: {
      twoContacts: {
        summary: 'Two contacts',
        value:
          '{"id":"c-1","phone_number":"+4915550000001","consent_timestamp":"2025-11-02T09:30:00Z","consent_scope":"cold_call"}\n{"id":"c-2","email":"contact.2@example.com"}\n',
      },
    },
  })
  @ApiOkResponse({ description: 'NDJSON: changes, then a summary line' })
  async stream(
    @Query() query: CompareStreamQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const requestId = requestIdOf(req);
    const encoding = ndjsonRequestEncoding(req);
    // Policy and instant errors surface here, before any byte of the response.
    const prepared = await this.comparison.prepare({
      policy: query.policy,
      baseline: { version: query.baseline, evaluatedAt: instant(query.baselineEvaluatedAt) },
      candidate: { version: query.candidate, evaluatedAt: instant(query.candidateEvaluatedAt) },
      evaluatedAt: instant(query.evaluatedAt),
    });

    // The input digest covers the NDJSON bytes as sent (after gzip decoding, if any).
    const digesting = new DigestingStream();
    if (encoding === 'gzip') pipeline(req, createGunzip(), digesting, () => undefined);
    else pipeline(req, digesting, () => undefined);

    const sink = new HttpNdjsonSink(res);
    let buffered = '';
    const flush = async (): Promise<void> => {
      if (buffered === '') return;
      const text = buffered;
      buffered = '';
      await sink.write(text);
    };
    try {
      const summary = await this.comparison.compareStream(
        prepared,
        readContacts(digesting, 'ndjson'),
        query.include ?? 'changed',
        (change: ContactChange) => {
          buffered += `${JSON.stringify(change)}\n`;
          // Batch small lines into ~64 KB writes; awaiting the sink applies backpressure.
          return buffered.length >= 65536 ? flush() : undefined;
        },
      );
      await flush();
      const inputDigest = digesting.digest();
      await this.comparison.record(prepared, summary, inputDigest, { requestId, source: 'http' });
      await sink.write(
        `${JSON.stringify({
          summary,
          baseline: prepared.baseline.info,
          candidate: prepared.candidate.info,
          inputDigest,
          requestId,
        })}\n`,
      );
      res.end();
    } catch (err) {
      // Nothing written yet: the problem filter answers with the right status.
      if (!res.headersSent) throw err;
      if (err instanceof ClientGoneError || sink.closed) {
        this.log.warn('compare stream ended early: client went away', { requestId });
        return;
      }
      const doc = problemFromException(err, requestId);
      this.log.error('compare stream aborted after lines were sent', { requestId, code: doc.code });
      // The status line is long gone: an error line replaces the summary line, so a client
      // never mistakes a truncated stream for a complete one.
      res.end(`${JSON.stringify({ error: doc })}\n`);
    }
  }
}
