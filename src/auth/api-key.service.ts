import { Injectable, type OnModuleInit } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { ConfigValidationError } from '../config/validate-env';
import { AppLogger } from '../common/logging/app-logger';
import { hashApiKey, isLoopbackHost, keyIdOf } from './api-key';

/**
 * Checks presented API keys against the configured SHA-256 hashes. The presented key
 * is hashed and compared with every configured hash using timingSafeEqual, so neither
 * the response time nor an early exit reveals how much of a key was right or which
 * configured key was closest.
 */
@Injectable()
export class ApiKeyService implements OnModuleInit {
  private readonly hashes: Buffer[];

  constructor(
    private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {
    this.hashes = config.auth.apiKeyHashes.map((h) => Buffer.from(h, 'hex'));
  }

  /** True when at least one key is configured, i.e. requests must carry a key. */
  get enabled(): boolean {
    return this.hashes.length > 0;
  }

  /** The key's id (for logs and rate limiting) when it is valid, else undefined. */
  match(presented: string): string | undefined {
    const hex = hashApiKey(presented);
    const candidate = Buffer.from(hex, 'hex');
    let ok = false;
    for (const h of this.hashes) {
      // No short-circuit: every configured hash is compared every time.
      ok = timingSafeEqual(candidate, h) || ok;
    }
    return ok ? keyIdOf(hex) : undefined;
  }

  /**
   * Refuses to start an unauthenticated service on a reachable interface, and says
   * loudly when running without keys on loopback.
   */
  onModuleInit(): void {
    if (this.enabled) return;
    const host = this.config.server.host;
    if (!isLoopbackHost(host)) {
      throw new ConfigValidationError([
        {
          variable: 'API_KEY_HASHES',
          message:
            `no API key is configured but HOST=${host} is not a loopback address; ` +
            'create one with `consent-gate keys new` and set API_KEY_HASHES, or bind HOST=127.0.0.1',
        },
      ]);
    }
    this.logger.warn(
      '!!! NO API KEYS CONFIGURED: every request is accepted without authentication. ' +
        `This is only allowed because HOST=${host} is loopback. ` +
        'Run `consent-gate keys new` and set API_KEY_HASHES before exposing the service. !!!',
      'Auth',
    );
  }
}
