import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import { ComparisonModule } from '../comparison/comparison.module';
import { ConfigModule } from '../config/config.module';
import { GenesysModule } from '../genesys/genesys.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PolicyModule } from '../policy/policy.module';
import { SyncModule } from '../sync/sync.module';
import { ValidationModule } from '../validation/validation.module';
import { AUDIT_COMMANDS } from './audit.command';
import { CliName } from './cli-name';
import { COMPARE_COMMANDS } from './compare.command';
import { KEYS_COMMANDS } from './keys.command';
import { POLICY_COMMANDS } from './policy.command';
import { SYNC_COMMANDS } from './sync.command';
import { VALIDATE_COMMANDS } from './validate.command';

/** The `consent-gate` CLI: nest-commander commands over the same services; no HTTP server. */
@Module({})
export class CliModule {
  static forRoot(envOverrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot({ POLICY_WATCH: 'false', ...envOverrides }),
        CommonModule,
        MetricsModule,
        PolicyModule,
        AuditModule,
        ValidationModule,
        GenesysModule,
        SyncModule,
        ComparisonModule,
      ],
      providers: [
        CliName,
        ...POLICY_COMMANDS,
        ...VALIDATE_COMMANDS,
        ...KEYS_COMMANDS,
        ...AUDIT_COMMANDS,
        ...SYNC_COMMANDS,
        ...COMPARE_COMMANDS,
      ],
    };
  }
}
