import type { GenesysConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';

/** Where and as whom the client talks to Genesys Cloud, once fully configured. */
export interface GenesysEndpoints {
  apiBaseUrl: string;
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Names the target in error messages: the region domain, else the login base URL. */
  target: string;
}

/**
 * Resolves base URLs from the region (https://api.{region}, https://login.{region})
 * unless overridden. Returns the names of missing variables when incomplete.
 */
export function resolveEndpoints(
  config: GenesysConfig,
): { ok: true; endpoints: GenesysEndpoints } | { ok: false; missing: string[] } {
  const apiBaseUrl =
    config.apiBaseUrl ?? (config.region ? `https://api.${config.region}` : undefined);
  const loginBaseUrl =
    config.loginBaseUrl ?? (config.region ? `https://login.${config.region}` : undefined);
  const missing: string[] = [];
  if (!apiBaseUrl || !loginBaseUrl) missing.push('GENESYS_REGION');
  if (!config.clientId) missing.push('GENESYS_CLIENT_ID');
  if (!config.clientSecret) missing.push('GENESYS_CLIENT_SECRET');
  if (!apiBaseUrl || !loginBaseUrl || !config.clientId || !config.clientSecret) {
    return { ok: false, missing };
  }
  const target = config.region
    ? `region ${config.region}${config.loginBaseUrl ? ` (login ${config.loginBaseUrl})` : ''}`
    : `login ${loginBaseUrl}`;
  return {
    ok: true,
    endpoints: {
      apiBaseUrl,
      loginBaseUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      target,
    },
  };
}

/** The resolved endpoints; throws GENESYS_NOT_CONFIGURED naming the missing variables. */
export function requireEndpoints(config: GenesysConfig): GenesysEndpoints {
  const resolved = resolveEndpoints(config);
  if (!resolved.ok) {
    throw new DomainError(
      ErrorCode.GENESYS_NOT_CONFIGURED,
      notConfiguredMessage(resolved.missing),
      {
        extra: { missing: resolved.missing },
      },
    );
  }
  return resolved.endpoints;
}

function notConfiguredMessage(missing: string[]): string {
  return (
    `Genesys Cloud is not configured (missing ${missing.join(', ')}). Set GENESYS_REGION ` +
    '(e.g. mypurecloud.ie or eu_west_1), GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET; ' +
    'see docs/genesys-setup.md.'
  );
}
