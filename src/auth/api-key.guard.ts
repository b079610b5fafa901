import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { RequestWithId } from '../common/http/request-id';
import { ACCESS_METADATA, type AccessRule } from './access.decorator';
import { isLoopbackAddress } from './api-key';
import { ApiKeyService } from './api-key.service';

/**
 * Global guard (APP_GUARD): every route needs a valid key in `Authorization: Bearer`
 * or `X-API-Key`, unless marked @Public() or @LoopbackOrKey(). The 401 is the same
 * for a missing and a wrong key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const rule =
      this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'key';
    // Without configured keys the service is bound to loopback only (checked at start-up).
    if (rule === 'public' || !this.keys.enabled) return true;
    const req = context.switchToHttp().getRequest<RequestWithId>();
    const presented = presentedKey(req);
    const id = presented === undefined ? undefined : this.keys.match(presented);
    if (id !== undefined) {
      req.apiKeyId = id;
      return true;
    }
    if (rule === 'loopback-or-key' && isDirectLoopback(req)) return true;
    throw new DomainError(ErrorCode.UNAUTHORIZED, 'Missing or invalid API key.');
  }
}

function presentedKey(req: Request): string | undefined {
  const auth = req.header('authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m?.[1] ?? '';
  }
  const header = req.header('x-api-key');
  return header === undefined ? undefined : header.trim();
}

/**
 * A loopback peer that is not a reverse proxy: a forwarded request from a proxy on
 * this host would otherwise inherit loopback trust for the whole internet.
 */
function isDirectLoopback(req: Request): boolean {
  if (req.header('x-forwarded-for') !== undefined || req.header('forwarded') !== undefined)
    return false;
  return isLoopbackAddress(req.socket.remoteAddress);
}
