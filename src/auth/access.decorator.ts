import { SetMetadata } from '@nestjs/common';

export const ACCESS_METADATA = 'consent-gate:access';

/** Who may call a route: `key` (default), `public` (health) or `loopback-or-key` (metrics). */
export type AccessRule = 'key' | 'public' | 'loopback-or-key';

/** No API key needed (health probes). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, 'public' satisfies AccessRule);

/** Open to callers on this machine; everyone else needs an API key (Prometheus scrape). */
export const LoopbackOrKey = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, 'loopback-or-key' satisfies AccessRule);
