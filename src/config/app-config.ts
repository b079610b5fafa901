import { resolve } from 'node:path';
import type { AuditFsyncMode, EnvSchema, LogLevel } from './env.schema';
import { ConfigValidationError } from './validate-env';
import { resolveGenesysRegion, validGenesysRegionsText } from './genesys-regions';

export interface ServerConfig {
  port: number;
  host: string;
  bodyLimit: string;
  maxContactsPerRequest: number;
  rateLimitPerMinute: number;
}
export interface AuthConfig {
  /** Lowercase hex SHA-256 hashes of accepted API keys; empty means no key configured. */
  apiKeyHashes: string[];
  /** Key the CLI presents to a running service (CONSENT_GATE_API_KEY). */
  clientApiKey?: string;
}
export interface LoggingConfig {
  level: LogLevel;
  file?: string;
}
export interface PolicyConfig {
  dir: string;
  defaultPolicy: string;
  watch: boolean;
}
export interface AuditConfig {
  dir: string;
  fsync: AuditFsyncMode;
  hmacKey?: string;
  checkpointKey?: string;
  checkpointEvery: number;
  rotateBytes: number;
  retentionDays: number;
  /** Decision log on a worker thread (AUDIT_WORKER). */
  worker: boolean;
  compareLogDir: string;
}
export interface GenesysConfig {
  /** Region domain such as `mypurecloud.ie`; undefined when not configured. */
  region?: string;
  clientId?: string;
  clientSecret?: string;
  apiBaseUrl?: string;
  loginBaseUrl?: string;
  timeoutMs: number;
  maxRetries: number;
  maxRetryTimeMs: number;
  maxRetryAfterS: number;
  concurrency: number;
  tokenMarginS: number;
}
export interface SyncConfig {
  dir: string;
  columns: {
    consentFlag: string;
    consentScope: string;
    consentUpdated: string;
    policyVersion: string;
  };
  dncListId?: string;
}

/**
 * Typed, validated configuration. Built once from the environment at start-up
 * (see config.module.ts); nothing else in the code base reads process.env.
 */
export class AppConfig {
  readonly server: ServerConfig;
  readonly auth: AuthConfig;
  readonly logging: LoggingConfig;
  readonly policy: PolicyConfig;
  readonly audit: AuditConfig;
  readonly genesys: GenesysConfig;
  readonly sync: SyncConfig;

  constructor(env: EnvSchema) {
    let region: string | undefined;
    if (env.GENESYS_REGION !== undefined) {
      region = resolveGenesysRegion(env.GENESYS_REGION);
      if (region === undefined) {
        throw new ConfigValidationError([
          {
            variable: 'GENESYS_REGION',
            message: `unknown region ${JSON.stringify(env.GENESYS_REGION)}; valid: ${validGenesysRegionsText()}`,
          },
        ]);
      }
    }
    this.server = {
      port: env.PORT,
      host: env.HOST,
      bodyLimit: env.BODY_LIMIT,
      maxContactsPerRequest: env.MAX_CONTACTS_PER_REQUEST,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    };
    this.auth = {
      apiKeyHashes: (env.API_KEY_HASHES ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h.length > 0),
      clientApiKey: env.CONSENT_GATE_API_KEY,
    };
    this.logging = { level: env.LOG_LEVEL, file: env.LOG_FILE };
    this.policy = {
      dir: resolve(env.POLICIES_DIR),
      defaultPolicy: env.DEFAULT_POLICY,
      watch: env.POLICY_WATCH,
    };
    this.audit = {
      dir: resolve(env.AUDIT_DIR),
      fsync: env.AUDIT_FSYNC,
      hmacKey: env.AUDIT_HMAC_KEY,
      checkpointKey: env.AUDIT_CHECKPOINT_KEY,
      checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
      rotateBytes: env.AUDIT_ROTATE_BYTES,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      worker: env.AUDIT_WORKER,
      compareLogDir: resolve(env.COMPARE_LOG_DIR),
    };
    this.genesys = {
      region,
      clientId: env.GENESYS_CLIENT_ID,
      clientSecret: env.GENESYS_CLIENT_SECRET,
      apiBaseUrl: env.GENESYS_API_BASE_URL?.replace(/\/+$/, ''),
      loginBaseUrl: env.GENESYS_LOGIN_BASE_URL?.replace(/\/+$/, ''),
      timeoutMs: env.GENESYS_TIMEOUT_MS,
      maxRetries: env.GENESYS_MAX_RETRIES,
      maxRetryTimeMs: env.GENESYS_MAX_RETRY_TIME_MS,
      maxRetryAfterS: env.GENESYS_MAX_RETRY_AFTER_S,
      concurrency: env.GENESYS_CONCURRENCY,
      tokenMarginS: env.GENESYS_TOKEN_MARGIN_S,
    };
    this.sync = {
      dir: resolve(env.SYNC_DIR),
      columns: {
        consentFlag: env.SYNC_COLUMN_CONSENT_FLAG,
        consentScope: env.SYNC_COLUMN_CONSENT_SCOPE,
        consentUpdated: env.SYNC_COLUMN_CONSENT_UPDATED,
        policyVersion: env.SYNC_COLUMN_POLICY_VERSION,
      },
      dncListId: env.SYNC_DNC_LIST_ID,
    };
  }
}
