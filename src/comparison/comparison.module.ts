import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { CompareFileRunner } from './compare-file.runner';
import { CompareFiles } from './compare-files';
import { CommittedPolicyReader } from './committed-policy.reader';
import { ComparisonController } from './comparison.controller';
import { ComparisonService } from './comparison.service';

/**
 * Outcomes of one input under two policy versions (issue 6). Uses the policy
 * registry and the comparison log; never the decision audit log.
 */
@Module({
  imports: [PolicyModule, AuditModule],
  controllers: [ComparisonController],
  providers: [ComparisonService, CompareFiles, CompareFileRunner, CommittedPolicyReader],
  exports: [ComparisonService, CompareFileRunner],
})
export class ComparisonModule {}
