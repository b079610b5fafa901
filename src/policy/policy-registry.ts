import type { CompiledPolicy, PolicyLoadError, PolicyRef, PolicySummary } from './policy.types';

export interface ReloadResult {
  ok: boolean;
  /** Every problem found; when non-empty the previous good set keeps serving. */
  errors: PolicyLoadError[];
  /** Versions now serving. */
  loaded: PolicyRef[];
}

/**
 * The port the policy module exports. Implemented by PolicyRegistryService.
 * All lookups throw DomainError (POLICY_NOT_FOUND, POLICY_VERSION_NOT_FOUND,
 * NO_VERSION_IN_EFFECT, POLICIES_NOT_READY); none pick an HTTP status.
 */
export abstract class PolicyRegistry {
  /** True once a good policy set has been loaded. */
  abstract isReady(): boolean;
  /** Every policy id with its versions and the version in effect at `now`. */
  abstract list(now: Date): PolicySummary[];
  /** One exact version. */
  abstract get(id: string, version: string): CompiledPolicy;
  /**
   * The version to evaluate with: `version` when given, otherwise the one in effect at `at`
   * (latest effectiveFrom <= at, and at < effectiveTo when set). `id` defaults to DEFAULT_POLICY.
   */
  abstract resolve(id: string | undefined, version: string | undefined, at: Date): CompiledPolicy;
  /** Re-reads POLICIES_DIR; on any error keeps the last good set and reports the errors. */
  abstract reload(): Promise<ReloadResult>;
  /** Loads and compiles a single file outside the registry (compare --candidate-file). Throws POLICY_LOAD_FAILED listing errors. */
  abstract compileFile(path: string): Promise<CompiledPolicy>;
}
