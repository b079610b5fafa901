import { Module } from '@nestjs/common';

// Placeholder: filled in by the policy work.
@Module({})
export class PolicyModule {}
