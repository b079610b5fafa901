import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { LoopbackOrKey } from '../auth/access.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @LoopbackOrKey()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics. Open to direct loopback callers; anyone else needs an API key.',
  })
  @ApiOkResponse({
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# TYPE consent_gate_decisions_total counter\nconsent_gate_decisions_total{policy="gdpr-consent",version="1.0.0",decision="APPROVED",code="VALIDATION_PASSED",source="http"} 1\n',
      },
    },
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
