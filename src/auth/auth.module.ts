import { Module } from '@nestjs/common';

// Placeholder: filled in by the auth work.
@Module({})
export class AuthModule {}
