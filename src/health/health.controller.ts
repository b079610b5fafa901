import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/access.decorator';
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
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up.' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: a good policy set is loaded.' })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      (): HealthIndicatorResult => {
        const ready = this.policies.isReady();
        const result: HealthIndicatorResult = { policies: { status: ready ? 'up' : 'down' } };
        if (!ready) throw new PoliciesNotReady(result);
        return result;
      },
    ]);
  }
}

// Terminus reports an indicator as down when it throws an error carrying `causes`.
class PoliciesNotReady extends Error {
  constructor(readonly causes: HealthIndicatorResult) {
    super('policies not loaded');
  }
}
