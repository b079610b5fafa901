import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from './app-config';
import { validateEnv } from './validate-env';

/**
 * Global configuration. `forRoot()` reads process.env once (the only place in
 * the code base that does); tests pass explicit overrides instead.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    const config = loadAppConfig(overrides);
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/** Builds the validated config from process.env plus overrides (overrides win). */
export function loadAppConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return new AppConfig(validateEnv({ ...process.env, ...overrides }));
}
