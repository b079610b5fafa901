import { Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import type { CompiledPolicyImpl } from './engine/compiled-policy';
import { compareSemver } from './loader/semver';
import {
  displayPath,
  formatLoadError,
  loadPolicyDirectory,
  loadPolicyFile,
} from './loader/policy-loader';
import { PolicySource } from './loader/policy-source';
import { PolicyRegistry, type ReloadResult } from './policy-registry';
import type { CompiledPolicy, PolicyLoadError, PolicySummary } from './policy.types';

/** Waits for a burst of editor writes (save = truncate + write + rename) to settle. */
export const WATCH_DEBOUNCE_MS = 250;

/** Throws POLICY_LOAD_FAILED whose message lists every `file:line:col message`. */
export function policyLoadFailed(errors: PolicyLoadError[]): DomainError {
  return new DomainError(
    ErrorCode.POLICY_LOAD_FAILED,
    `Policy loading failed with ${errors.length} error(s):\n${errors.map((e) => `  ${formatLoadError(e)}`).join('\n')}`,
    { extra: { errors } },
  );
}

/**
 * The loaded policy set. In the HTTP service it loads at module init (a
 * broken directory fails the start) and, with POLICY_WATCH, reloads on file
 * changes; in the CLI (no HTTP adapter) it loads lazily on first use, so
 * `policy lint` can inspect a broken directory. A failed reload never
 * replaces the last good set.
 */
@Injectable()
export class PolicyRegistryService extends PolicyRegistry implements OnModuleInit, OnModuleDestroy {
  private byId = new Map<string, CompiledPolicyImpl[]>();
  private ready = false;
  /** Errors of the most recent failed load or reload (empty after a success). */
  private lastErrors: PolicyLoadError[] = [];
  private attempted = false;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private reloading: Promise<ReloadResult> | undefined;
  private readonly log: ContextLogger;

  constructor(
    private readonly config: AppConfig,
    private readonly source: PolicySource,
    logger: AppLogger,
    @Optional() private readonly metrics?: MetricsService,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
    this.log = logger.child('PolicyRegistry');
  }

  onModuleInit(): void {
    // Only the HTTP service has an adapter; the CLI and plain contexts stay lazy.
    if (!this.adapterHost?.httpAdapter) return;
    this.loadInitial();
    if (this.config.policy.watch) this.startWatching();
  }

  onModuleDestroy(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  isReady(): boolean {
    this.ensureLoaded(false);
    return this.ready;
  }

  list(now: Date): PolicySummary[] {
    this.ensureLoaded(true);
    const at = now.getTime();
    return [...this.byId.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, versions]) => ({
        id,
        versions: versions.map((p) => ({
          version: p.ref.version,
          effectiveFrom: p.effectiveFrom,
          effectiveTo: p.effectiveTo,
          digest: p.ref.digest,
          description: p.description,
        })),
        active: activeVersion(versions, at)?.ref.version ?? null,
      }));
  }

  get(id: string, version: string): CompiledPolicy {
    this.ensureLoaded(true);
    const versions = this.versionsOf(id);
    const p = versions.find((v) => v.ref.version === version);
    if (p === undefined) {
      throw new DomainError(
        ErrorCode.POLICY_VERSION_NOT_FOUND,
        `Policy ${id} has no version ${version} (available: ${versions.map((v) => v.ref.version).join(', ')})`,
        { extra: { policy: id, version } },
      );
    }
    return p;
  }

  resolve(id: string | undefined, version: string | undefined, at: Date): CompiledPolicy {
    const policyId = id ?? this.config.policy.defaultPolicy;
    if (version !== undefined) return this.get(policyId, version);
    this.ensureLoaded(true);
    const p = activeVersion(this.versionsOf(policyId), at.getTime());
    if (p === undefined) {
      throw new DomainError(
        ErrorCode.NO_VERSION_IN_EFFECT,
        `No version of policy ${policyId} is in effect at ${at.toISOString()}`,
        { extra: { policy: policyId, at: at.toISOString() } },
      );
    }
    return p;
  }

  reload(): Promise<ReloadResult> {
    // Concurrent triggers (HTTP + watcher) share one reload.
    this.reloading ??= Promise.resolve()
      .then(() => this.reloadNow())
      .finally(() => {
        this.reloading = undefined;
      });
    return this.reloading;
  }

  compileFile(path: string): Promise<CompiledPolicy> {
    const outcome = loadPolicyFile(this.source, resolve(path));
    if (outcome.policy === undefined) return Promise.reject(policyLoadFailed(outcome.errors));
    return Promise.resolve(outcome.policy);
  }

  private versionsOf(id: string): CompiledPolicyImpl[] {
    const versions = this.byId.get(id);
    if (versions === undefined) {
      throw new DomainError(ErrorCode.POLICY_NOT_FOUND, `Unknown policy ${id}`, {
        extra: { policy: id },
      });
    }
    return versions;
  }

  /** Lazy first load. With `strict`, a failed load throws (POLICIES_NOT_READY / POLICY_LOAD_FAILED). */
  private ensureLoaded(strict: boolean): void {
    if (!this.attempted) {
      try {
        this.loadInitial();
      } catch (e) {
        if (strict) throw e;
        return;
      }
    }
    if (strict && !this.ready) {
      if (this.lastErrors.length > 0) throw policyLoadFailed(this.lastErrors);
      throw new DomainError(ErrorCode.POLICIES_NOT_READY, 'No valid policy set is loaded');
    }
  }

  private loadInitial(): void {
    this.attempted = true;
    const { policies, errors } = loadPolicyDirectory(this.source, this.config.policy.dir);
    this.lastErrors = errors;
    if (errors.length > 0) {
      this.log.error('policy load failed', {
        dir: displayPath(this.config.policy.dir),
        errors: errors.map(formatLoadError),
      });
      this.metrics?.policyReloads.inc({ outcome: 'failed' });
      throw policyLoadFailed(errors);
    }
    this.install(policies);
    this.log.info('policies loaded', {
      versions: policies.map((p) => `${p.ref.id}@${p.ref.version}`),
    });
  }

  private reloadNow(): ReloadResult {
    this.attempted = true;
    const { policies, errors } = loadPolicyDirectory(this.source, this.config.policy.dir);
    this.lastErrors = errors;
    if (errors.length > 0) {
      this.metrics?.policyReloads.inc({ outcome: 'failed' });
      this.log.error('policy reload failed; the last good set keeps serving', {
        errors: errors.map(formatLoadError),
        serving: this.refs().map((r) => `${r.id}@${r.version}`),
      });
      return { ok: false, errors, loaded: this.refs() };
    }
    this.install(policies);
    this.metrics?.policyReloads.inc({ outcome: 'ok' });
    this.log.info('policies reloaded', {
      versions: policies.map((p) => `${p.ref.id}@${p.ref.version} ${p.ref.digest}`),
    });
    return { ok: true, errors: [], loaded: this.refs() };
  }

  private install(policies: CompiledPolicyImpl[]): void {
    // loadPolicyDirectory returns the versions sorted by id, then semantic version.
    const byId = new Map<string, CompiledPolicyImpl[]>();
    for (const p of policies) {
      const list = byId.get(p.ref.id);
      if (list === undefined) byId.set(p.ref.id, [p]);
      else list.push(p);
    }
    this.byId = byId; // one assignment: readers see the old or the new set, never a mix
    this.ready = true;
  }

  private refs(): { id: string; version: string; digest: string }[] {
    return [...this.byId.values()].flat().map((p) => p.ref);
  }

  private startWatching(): void {
    try {
      this.watcher = this.source.watch(this.config.policy.dir, () => {
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          this.debounce = undefined;
          this.reload().catch((e: unknown) =>
            this.log.error('policy reload crashed', { error: e }),
          );
        }, WATCH_DEBOUNCE_MS);
      });
      this.watcher.on('error', (e) => this.log.warn('policy watcher error', { error: e }));
    } catch (e) {
      this.log.warn('cannot watch the policy directory; hot reload is off', { error: e });
    }
  }
}

/** The version in effect at `at`: latest effectiveFrom <= at < effectiveTo (ties: higher version). */
export function activeVersion(
  versions: readonly CompiledPolicyImpl[],
  at: number,
): CompiledPolicyImpl | undefined {
  let best: CompiledPolicyImpl | undefined;
  for (const v of versions) {
    if (!v.isInEffect(at)) continue;
    if (
      best === undefined ||
      v.effectiveFromMs > best.effectiveFromMs ||
      (v.effectiveFromMs === best.effectiveFromMs &&
        compareSemver(v.ref.version, best.ref.version) > 0)
    ) {
      best = v;
    }
  }
  return best;
}
