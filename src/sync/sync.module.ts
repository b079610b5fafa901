import { Module } from '@nestjs/common';

// Placeholder: filled in by the sync work.
@Module({})
export class SyncModule {}
