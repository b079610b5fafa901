import { Module } from '@nestjs/common';

// Placeholder: filled in by the audit work.
@Module({})
export class AuditModule {}
