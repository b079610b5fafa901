import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../auth/access.decorator';
import { AuditLog } from '../audit/audit.types';
import { PolicyRegistry } from '../policy/policy-registry';

// Probes stay open and unthrottled: orchestrators call them without keys, often.
@Public()
@SkipThrottle()
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly policies: PolicyRegistry,
    private readonly audit: AuditLog,
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up.' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('readyz')
  @ApiOperation({
    summary:
      'Readiness: a good policy set is loaded, and the audit log can be written (after a failed write: once a probe write in AUDIT_DIR succeeds).',
  })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.readiness);
    } catch (e) {
      // Terminus throws its 503 (ServiceUnavailableException, from its own copy of
      // @nestjs/common) with the check result as body: answer that body with 503 here.
      const body = checkResultOf(e);
      if (body === undefined) throw e;
      res.status(503);
      return body;
    }
  }

  /** Terminus takes a returned status "down" as a failed check; a thrown error would be a 500. */
  private readonly readiness = [
    (): HealthIndicatorResult => ({
      policies: { status: this.policies.isReady() ? 'up' : 'down' },
    }),
    async (): Promise<HealthIndicatorResult> => {
      const h = await this.audit.health();
      return { audit: h.up ? { status: 'up' } : { status: 'down', error: h.error } };
    },
  ];
}

function checkResultOf(e: unknown): HealthCheckResult | undefined {
  if (e === null || typeof e !== 'object') return undefined;
  const getResponse = (e as { getResponse?: unknown }).getResponse;
  if (typeof getResponse !== 'function') return undefined;
  const body: unknown = getResponse.call(e);
  return body !== null && typeof body === 'object' && 'status' in body && 'details' in body
    ? (body as HealthCheckResult)
    : undefined;
}
