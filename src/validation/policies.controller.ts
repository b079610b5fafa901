import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { PolicyRegistry, type ReloadResult } from '../policy/policy-registry';
import { ApiProblems } from './api-docs.decorators';
import { PolicyVersionParamsDto, PolicyVersionQueryDto } from './dto/policy-params.dto';
import { PolicyListDto, PolicyVersionDto, ReloadResultDto } from './dto/responses.dto';

@ApiTags('policies')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@ApiProblems(ErrorCode.UNAUTHORIZED, ErrorCode.RATE_LIMITED)
@Controller('v1/policies')
export class PoliciesController {
  constructor(
    private readonly registry: PolicyRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every policy with its versions and the version active now.' })
  @ApiOkResponse({ type: PolicyListDto })
  list(): PolicyListDto {
    const now = this.clock.now();
    return {
      policies: this.registry.list(now),
      defaultPolicy: this.config.policy.defaultPolicy,
      asOf: now.toISOString(),
    };
  }

  @Get(':id/versions/:version')
  @ApiOperation({
    summary: 'One policy version, parsed; ?format=yaml returns the source file.',
  })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({
    type: PolicyVersionDto,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/PolicyVersionDto' } },
      'application/yaml': {
        schema: { type: 'string' },
        example: 'id: gdpr-consent\nversion: 1.0.0\neffective_from: 2024-01-01T00:00:00Z\n…',
      },
    },
  })
  @ApiProblems(
    ErrorCode.POLICY_NOT_FOUND,
    ErrorCode.POLICY_VERSION_NOT_FOUND,
    ErrorCode.INVALID_REQUEST,
  )
  getVersion(
    @Param() params: PolicyVersionParamsDto,
    @Query() query: PolicyVersionQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): PolicyVersionDto | string {
    const p = this.registry.get(params.id, params.version);
    // The digest identifies the exact bytes, so it is a strong validator for caches.
    res.setHeader('ETag', `"${p.ref.digest}"`);
    if (query.format === 'yaml') {
      res.type('application/yaml; charset=utf-8');
      return p.source;
    }
    return {
      id: p.ref.id,
      version: p.ref.version,
      digest: p.ref.digest,
      effectiveFrom: p.effectiveFrom,
      effectiveTo: p.effectiveTo,
      description: p.description,
      rules: p.rules.map((r) => ({ ...r })),
      document: p.document,
    };
  }

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Re-read POLICIES_DIR. On any error nothing changes: the last good set keeps serving and a 422 lists the errors.',
  })
  @ApiOkResponse({ type: ReloadResultDto })
  @ApiProblems(ErrorCode.POLICY_LOAD_FAILED)
  async reload(): Promise<ReloadResult> {
    const result = await this.registry.reload();
    // consent_gate_policy_reloads_total is counted by the registry itself.
    if (!result.ok) {
      throw new DomainError(
        ErrorCode.POLICY_LOAD_FAILED,
        `Policies could not be reloaded (${result.errors.length} error(s)); the previous set keeps serving.`,
        {
          errors: result.errors.map((e) => ({
            path: `${e.file}:${e.line}:${e.column}`,
            message: e.message,
          })),
          extra: { loadErrors: result.errors, serving: result.loaded },
        },
      );
    }
    return { ok: result.ok, loaded: result.loaded, errors: result.errors };
  }
}
