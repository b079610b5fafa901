import { Module } from '@nestjs/common';
import { AuditVerifier } from './audit-verifier';
import { AuditLog } from './audit.types';
import { ComparisonLog } from './comparison-log';
import { JsonlAuditLog } from './jsonl-audit-log';
import { JsonlComparisonLog } from './jsonl-comparison-log';
import { Pseudonymiser } from './pseudonymiser';

/**
 * The decision log (AuditLog), the comparison log (ComparisonLog) and the chain
 * verifier (AuditVerifier, used by `consent-gate audit verify`). Writers are
 * lazy: nothing is opened or created on disk until the first append.
 */
@Module({
  providers: [
    Pseudonymiser,
    AuditVerifier,
    { provide: AuditLog, useClass: JsonlAuditLog },
    { provide: ComparisonLog, useClass: JsonlComparisonLog },
  ],
  exports: [AuditLog, ComparisonLog, AuditVerifier],
})
export class AuditModule {}
