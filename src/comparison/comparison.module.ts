import { Module } from '@nestjs/common';

// Placeholder: filled in by the comparison work.
@Module({})
export class ComparisonModule {}
