import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { PoliciesController } from './policies.controller';
import { ValidationController } from './validation.controller';
import { ValidationService } from './validation.service';

/**
 * Validation: the HTTP API over policies and decisions, and ValidationService (evaluate
 * -> audit -> results) which the CLI and the sync job reuse.
 */
@Module({
  imports: [PolicyModule, AuditModule],
  controllers: [PoliciesController, ValidationController],
  providers: [ValidationService],
  exports: [ValidationService],
})
export class ValidationModule {}
