import { Module } from '@nestjs/common';

// Placeholder: filled in by the validation work.
@Module({})
export class ValidationModule {}
