/**
 * `npm run fake-genesys [-- --api-port 5510 --login-port 5511 --rate-limit 300]`
 * Starts the fake Genesys Cloud with a demo contact list (consent columns
 * included), a demo DNC list and a demo OAuth client, and prints the
 * GENESYS_* variables that point consent-gate at it.
 */
import { parseArgs } from 'node:util';
import { DEMO_CLIENT, demoBanner, demoEnv, startDemo } from './demo-setup';
import type { RecordedRequest } from './fake-genesys.types';

const USAGE = `Usage: npm run fake-genesys -- [options]
  --host <addr>            interface to listen on (default 127.0.0.1)
  --api-port <n>           API host port (default 5510; 0 = any free port)
  --login-port <n>         login host port (default 5511; 0 = any free port)
  --client-id <id>         OAuth client id (default demo-client)
  --client-secret <s>      OAuth client secret (default demo-secret)
  --token-ttl <seconds>    token lifetime (default 86400)
  --rate-limit <n>         API requests per window per token (default: unlimited)
  --rate-window-ms <ms>    rate-limit window (default 60000)
  --quiet                  do not print one line per request
  --help`;

function intOption(
  value: string | undefined,
  name: string,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  }
  return n;
}

function describe(r: RecordedRequest): string {
  const size = Array.isArray(r.body) ? ` [${r.body.length} items]` : '';
  const status = r.status === 0 ? 'dropped' : String(r.status);
  // Method, path and status only: bodies and headers hold personal data and credentials.
  return `${r.server.padEnd(5)} ${r.method} ${r.path}${size} -> ${status}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      'api-port': { type: 'string' },
      'login-port': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-ttl': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-window-ms': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const client = {
    id: values['client-id'] ?? DEMO_CLIENT.id,
    secret: values['client-secret'] ?? DEMO_CLIENT.secret,
  };
  const quiet = values.quiet ?? false;
  const fake = await startDemo({
    host: values.host ?? '127.0.0.1',
    apiPort: intOption(values['api-port'], 'api-port', 5510),
    loginPort: intOption(values['login-port'], 'login-port', 5511),
    clientId: client.id,
    clientSecret: client.secret,
    tokenTtlSeconds: intOption(values['token-ttl'], 'token-ttl', 86_400),
    rateLimitPerMinute: intOption(values['rate-limit'], 'rate-limit', undefined),
    rateLimitWindowMs: intOption(values['rate-window-ms'], 'rate-window-ms', 60_000),
    onResponse: quiet ? undefined : (r) => console.log(describe(r)),
  });
  console.log(demoBanner(fake, demoEnv(fake, client)));

  const shutdown = (): void => {
    fake.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
