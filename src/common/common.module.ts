import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { Clock, SystemClock } from './clock';
import { ProblemFilter } from './http/problem.filter';
import { AppValidationPipe } from './http/validation.pipe';
import { AppLogger } from './logging/app-logger';

/**
 * Cross-cutting services every module may use: the clock and the logger. The problem
 * filter and validation pipe are registered globally here (not in main.ts) so that
 * tests built with Test.createTestingModule get exactly the same behaviour.
 */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    AppLogger,
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
  ],
  exports: [Clock, AppLogger],
})
export class CommonModule {}
