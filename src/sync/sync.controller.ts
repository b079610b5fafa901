import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { requestIdOf } from '../common/http/request-id';
import { toFieldErrors } from '../common/http/validation.pipe';
import { parseMapping } from './column-mapping';
import {
  CreateSyncJobDto,
  SyncJobQueryDto,
  type SyncJobParamsDto,
} from './dto/create-sync-job.dto';
import { SyncJobsService, type SyncJobView, type UploadSource } from './sync-jobs.service';

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/** The 202 body of a started or resumed job; its Location header is `links.self`. */
type JobAccepted = { jobId: string; status: string; links: { self: string } };

const JOB_ACCEPTED_EXAMPLE: JobAccepted = {
  jobId: '2026-12-04T201500Z-ab12cd',
  status: 'running',
  links: { self: '/v1/sync-jobs/2026-12-04T201500Z-ab12cd' },
};

@ApiTags('sync')
@Controller('v1/sync-jobs')
export class SyncController {
  constructor(
    private readonly jobs: SyncJobsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a sync job: validate, audit and upsert approved contacts into a Genesys contact list',
    description:
      'JSON body with `contactListId`, `contacts` and the other parameters; or a JSON array of contacts, or an NDJSON body (application/x-ndjson, one contact per line), with the parameters in the query string. ' +
      'The list columns and the policy are checked before 202; the job then runs in the background. One job at a time per list.',
  })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiBody({ type: CreateSyncJobDto })
  @ApiQuery({
    type: SyncJobQueryDto,
    required: false,
    description: 'Parameters for NDJSON uploads and JSON-array bodies',
  })
  @ApiAcceptedResponse({
    description: 'Job started',
    schema: { example: JOB_ACCEPTED_EXAMPLE },
  })
  @ApiResponse({ status: 400, description: 'INVALID_REQUEST / SYNC_INPUT_INVALID (problem+json)' })
  @ApiResponse({ status: 404, description: 'GENESYS_NOT_FOUND (no such contact list) / POLICY_*' })
  @ApiResponse({
    status: 409,
    description: 'SYNC_JOB_CONFLICT: a job is already running for this list',
  })
  @ApiResponse({
    status: 422,
    description: 'SYNC_COLUMNS_MISSING: the list lacks columns; nothing was sent',
  })
  @ApiResponse({ status: 503, description: 'GENESYS_NOT_CONFIGURED' })
  async create(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobAccepted> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let params: SyncJobParamsDto;
    let mapping: unknown;
    let source: UploadSource;
    if (NDJSON_TYPES.includes(type)) {
      ({ params, mapping } = await fromQuery(req.query));
      source = { kind: 'stream', stream: req };
    } else if (type === 'application/json') {
      const body: unknown = req.body;
      let contacts: unknown[];
      if (Array.isArray(body)) {
        // A contacts.json file posted as is, parameters as for an NDJSON upload.
        ({ params, mapping } = await fromQuery(req.query));
        contacts = body;
      } else {
        if (body === null || typeof body !== 'object')
          throw invalid(
            '',
            'body must be a JSON object with contactListId and contacts, or a JSON array of contacts with the parameters in the query string',
          );
        const raw = body as Record<string, unknown>;
        // Validate a shallow stand-in: the contacts are free-form and never copied.
        const dto = await check(CreateSyncJobDto, {
          ...raw,
          contacts: Array.isArray(raw.contacts) ? [] : raw.contacts,
        });
        params = dto;
        mapping = dto.mapping;
        contacts = raw.contacts as unknown[];
      }
      if (contacts.length > this.config.server.maxContactsPerRequest)
        throw new DomainError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `At most ${this.config.server.maxContactsPerRequest} contacts in a JSON body; send larger files as NDJSON (Content-Type: application/x-ndjson).`,
        );
      source = { kind: 'contacts', contacts };
    } else {
      throw new DomainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send application/json ({contactListId, contacts, ...}) or application/x-ndjson with query parameters.',
      );
    }
    const started = await this.jobs.start(
      {
        contactListId: params.contactListId,
        policy: params.policy,
        version: params.version,
        evaluatedAt: params.evaluatedAt,
        onReject: params.onReject,
        dryRun: params.dryRun,
        concurrency: params.concurrency,
        mapping: mapping === undefined ? null : parseMapping(mapping, 'in the request'),
        mappingSource: mapping === undefined ? null : 'request',
        requestId: requestIdOf(req),
      },
      source,
    );
    return accepted(res, started);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Status, progress counts and (when finished) the summary of a sync job',
  })
  @ApiOkResponse({
    description: 'The job',
    schema: {
      example: {
        jobId: '2026-12-04T201500Z-ab12cd',
        status: 'completed',
        contactListId: 'b6a8c2e0-3f1d-4c55-9a0e-7d1f2c3b4a59',
        progress: {
          read: 3,
          validated: 3,
          approved: 2,
          rejected: 1,
          sent: 2,
          imported: 2,
          failed: 0,
          skipped: 0,
          updatedUncallable: 0,
        },
        summary: {
          reconciliation:
            '3 read = 2 imported + 0 updated-uncallable + 1 rejected + 0 skipped + 0 failed',
        },
        links: { self: '/v1/sync-jobs/2026-12-04T201500Z-ab12cd' },
      },
    },
  })
  @ApiParam({ name: 'id', example: '2026-12-04T201500Z-ab12cd' })
  @ApiResponse({ status: 404, description: 'SYNC_JOB_NOT_FOUND' })
  get(@Param('id') id: string): Promise<SyncJobView> {
    // Any id that is not a job of ours is "not found": SyncStore.paths refuses ids that are
    // not of the generated form (SYNC_JOB_NOT_FOUND) before touching the file system.
    return this.jobs.get(id);
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Resume an interrupted or stopped sync job (the twin of `consent-gate sync --resume`)',
    description:
      'Same spooled input (its sha256 is checked), same policy version and evaluation instant; contacts the job journal shows as finished are not sent again. ' +
      '409 SYNC_JOB_CONFLICT while the job or another job for its list runs; 409 SYNC_RESUME_MISMATCH when the input or the policy file changed; a dry run cannot be resumed (400).',
  })
  @ApiParam({ name: 'id', example: '2026-12-04T201500Z-ab12cd' })
  @ApiAcceptedResponse({
    description: 'Job resumed',
    schema: { example: JOB_ACCEPTED_EXAMPLE },
  })
  @ApiResponse({ status: 404, description: 'SYNC_JOB_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'SYNC_JOB_CONFLICT or SYNC_RESUME_MISMATCH' })
  async resume(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobAccepted> {
    return accepted(res, await this.jobs.resume(id));
  }
}

/** Points the Location header at the job and answers its id, status and link. */
function accepted(res: Response, job: { jobId: string; status: string }): JobAccepted {
  const self = `/v1/sync-jobs/${job.jobId}`;
  res.setHeader('Location', self);
  return { jobId: job.jobId, status: job.status, links: { self } };
}

/** NDJSON uploads and JSON-array bodies carry the parameters in the query string. */
async function fromQuery(query: unknown): Promise<{ params: SyncJobParamsDto; mapping: unknown }> {
  const params = await check(SyncJobQueryDto, query);
  return {
    params,
    mapping: params.mapping === undefined ? undefined : parseJson(params.mapping),
  };
}

async function check<T extends object>(cls: new () => T, plain: unknown): Promise<T> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw new DomainError(ErrorCode.INVALID_REQUEST, 'The request is invalid; see errors.', {
      errors: toFieldErrors(errors),
    });
  return dto;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('mapping', 'must be JSON');
  }
}

function invalid(path: string, message: string): DomainError {
  return new DomainError(
    ErrorCode.INVALID_REQUEST,
    `The request is invalid: ${path || 'body'} ${message}.`,
    {
      errors: [{ path, message }],
    },
  );
}
