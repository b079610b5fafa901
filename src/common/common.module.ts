import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { AppLogger } from './logging/app-logger';

/** Cross-cutting services every module may use: the clock and the logger. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, AppLogger],
  exports: [Clock, AppLogger],
})
export class CommonModule {}
