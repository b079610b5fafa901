import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { GenesysModule } from '../genesys/genesys.module';
import { PolicyModule } from '../policy/policy.module';
import { SyncController } from './sync.controller';
import { SyncInput } from './sync-input';
import { SyncJobsService } from './sync-jobs.service';
import { SyncPreparer } from './sync-preparer';
import { SyncRunner } from './sync-runner';
import { SyncStore } from './sync-store';

/**
 * The sync job: contact file -> policy -> audit -> Genesys contact list.
 * Uses only the PolicyRegistry, AuditLog and GenesysClient ports. Exported: the preparer and
 * runner for the CLI, the jobs service for HTTP.
 */
@Module({
  imports: [PolicyModule, AuditModule, GenesysModule],
  controllers: [SyncController],
  providers: [SyncStore, SyncInput, SyncPreparer, SyncRunner, SyncJobsService],
  exports: [SyncPreparer, SyncRunner, SyncStore],
})
export class SyncModule {}
