import { Module } from '@nestjs/common';

// Placeholder: filled in by the genesys work.
@Module({})
export class GenesysModule {}
