import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

export const AUDIT_FSYNC_MODES = ['batch', 'always', 'off'] as const;
export type AuditFsyncMode = (typeof AUDIT_FSYNC_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable the service and CLI read, with its default.
 * `.env.example` documents the same list; keep them in step.
 */
export class EnvSchema {
  // --- HTTP server -------------------------------------------------------
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsString() HOST = '127.0.0.1';
  @IsString() BODY_LIMIT = '64mb';
  @Transform(toInt) @IsInt() @Min(1) MAX_CONTACTS_PER_REQUEST = 10000;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 600;
  /** Comma-separated lowercase hex SHA-256 hashes of accepted API keys. */
  @IsOptional()
  @Matches(/^\s*([0-9a-fA-F]{64})(\s*,\s*[0-9a-fA-F]{64})*\s*$/, {
    message: 'API_KEY_HASHES must be a comma-separated list of 64-character hex SHA-256 hashes',
  })
  API_KEY_HASHES?: string;

  /** API key the CLI sends to a running service (`policy reload`); keeps the key out of `ps`. */
  @IsOptional() @IsString() CONSENT_GATE_API_KEY?: string;

  // --- Logging -----------------------------------------------------------
  @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';
  /** Optional file that receives the JSON application log in addition to stdout. */
  @IsOptional() @IsString() LOG_FILE?: string;

  // --- Policies ----------------------------------------------------------
  @IsString() POLICIES_DIR = './policies';
  @Matches(/^[a-z0-9][a-z0-9-]*$/) DEFAULT_POLICY = 'gdpr-consent';
  @Transform(toBool) @IsBoolean() POLICY_WATCH = true;

  // --- Audit -------------------------------------------------------------
  @IsString() AUDIT_DIR = './var/audit';
  @IsIn(AUDIT_FSYNC_MODES) AUDIT_FSYNC: AuditFsyncMode = 'batch';
  /** Key for the HMAC pseudonym of contact addresses; generated into AUDIT_DIR when unset. */
  @IsOptional() @IsString() AUDIT_HMAC_KEY?: string;
  /** Key for signed checkpoints; checkpoints are off when unset. */
  @IsOptional() @IsString() AUDIT_CHECKPOINT_KEY?: string;
  @Transform(toInt) @IsInt() @Min(0) AUDIT_CHECKPOINT_EVERY = 1000;
  @Transform(toInt) @IsInt() @Min(1024) AUDIT_ROTATE_BYTES = 104857600;
  @Transform(toInt) @IsInt() @Min(0) AUDIT_RETENTION_DAYS = 365;
  /** Write the decision log on a worker thread (true) or on the request thread (false). */
  @Transform(toBool) @IsBoolean() AUDIT_WORKER = true;
  @IsString() COMPARE_LOG_DIR = './var/compare';

  // --- Genesys Cloud -----------------------------------------------------
  @IsOptional() @IsString() GENESYS_REGION?: string;
  @IsOptional() @IsString() GENESYS_CLIENT_ID?: string;
  @IsOptional() @IsString() GENESYS_CLIENT_SECRET?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  GENESYS_API_BASE_URL?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  GENESYS_LOGIN_BASE_URL?: string;
  @Transform(toInt) @IsInt() @Min(100) GENESYS_TIMEOUT_MS = 16000;
  @Transform(toInt) @IsInt() @Min(0) @Max(20) GENESYS_MAX_RETRIES = 5;
  @Transform(toInt) @IsInt() @Min(0) GENESYS_MAX_RETRY_TIME_MS = 300000;
  @Transform(toInt) @IsInt() @Min(0) GENESYS_MAX_RETRY_AFTER_S = 180;
  @Transform(toInt) @IsInt() @Min(1) @Max(64) GENESYS_CONCURRENCY = 4;
  @Transform(toInt) @IsInt() @Min(0) GENESYS_TOKEN_MARGIN_S = 60;

  // --- Sync --------------------------------------------------------------
  @IsString() SYNC_DIR = './var/sync';
  @IsString() SYNC_COLUMN_CONSENT_FLAG = 'gdpr_consent_flag';
  @IsString() SYNC_COLUMN_CONSENT_SCOPE = 'gdpr_consent_scope';
  @IsString() SYNC_COLUMN_CONSENT_UPDATED = 'gdpr_consent_updated';
  @IsString() SYNC_COLUMN_POLICY_VERSION = 'gdpr_policy_version';
  /** Internal DNC list that `--on-reject mark-uncallable` also adds rejected addresses to. */
  @IsOptional() @IsString() SYNC_DNC_LIST_ID?: string;
}
