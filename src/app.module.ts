import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ComparisonModule } from './comparison/comparison.module';
import { ConfigModule } from './config/config.module';
import { GenesysModule } from './genesys/genesys.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PolicyModule } from './policy/policy.module';
import { SyncModule } from './sync/sync.module';
import { ValidationModule } from './validation/validation.module';

/** The HTTP service. `envOverrides` lets tests configure it without touching process.env. */
@Module({})
export class AppModule {
  static forRoot(envOverrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(envOverrides),
        CommonModule,
        MetricsModule,
        AuthModule,
        PolicyModule,
        AuditModule,
        ValidationModule,
        GenesysModule,
        SyncModule,
        ComparisonModule,
        HealthModule,
      ],
    };
  }
}
