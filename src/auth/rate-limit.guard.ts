import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { RequestWithId } from '../common/http/request-id';

/**
 * Rate limit per API key (RATE_LIMIT_PER_MINUTE). Runs after ApiKeyGuard, which puts
 * the key id on the request; callers without a key (loopback-only mode) are counted
 * per IP address.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as RequestWithId;
    return Promise.resolve(r.apiKeyId ?? `ip:${r.ip ?? 'unknown'}`);
  }
}
