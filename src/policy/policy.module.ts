import { Module } from '@nestjs/common';
import { PolicySource } from './loader/policy-source';
import { PolicyRegistry } from './policy-registry';
import { PolicyRegistryService } from './policy-registry.service';

/** Loads, validates and compiles policies; exports only the PolicyRegistry port. */
@Module({
  providers: [PolicySource, { provide: PolicyRegistry, useClass: PolicyRegistryService }],
  exports: [PolicyRegistry],
})
export class PolicyModule {}
