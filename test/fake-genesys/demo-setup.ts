/**
 * The demo world `npm run fake-genesys` starts: a contact list with the
 * consent columns, a DNC list and an OAuth client, plus the GENESYS_* lines
 * that point consent-gate at it. Kept apart from main.ts so it is tested.
 */
import { DEFAULT_CLIENT, FakeGenesys } from './fake-genesys';
import type { FakeGenesysOptions } from './fake-genesys.types';

export const DEMO_LIST_ID = 'demo-consent-list';
export const DEMO_DNC_ID = 'demo-dnc-list';
export const DEMO_CLIENT = { id: 'demo-client', secret: 'demo-secret' } as const;

export const DEMO_COLUMNS = [
  'first_name',
  'last_name',
  'phone_number',
  'email',
  'gdpr_consent_flag',
  'gdpr_consent_scope',
  'gdpr_consent_updated',
  'gdpr_policy_version',
] as const;

export async function startDemo(
  options: FakeGenesysOptions & { clientId?: string; clientSecret?: string } = {},
): Promise<FakeGenesys> {
  const { clientId = DEMO_CLIENT.id, clientSecret = DEMO_CLIENT.secret, ...rest } = options;
  const fake = await FakeGenesys.start({
    ...rest,
    clients: [{ id: clientId, secret: clientSecret }],
  });
  fake.createContactList({
    id: DEMO_LIST_ID,
    name: 'Consent Gate demo list',
    columnNames: [...DEMO_COLUMNS],
    phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
    emailColumns: [{ columnName: 'email', type: 'personal' }],
  });
  fake.createDncList({ id: DEMO_DNC_ID, name: 'Consent Gate demo DNC list' });
  return fake;
}

/** The GENESYS_* variables that point consent-gate at `fake` as `client`. */
export function genesysEnv(
  fake: FakeGenesys,
  client: { id: string; secret: string } = DEFAULT_CLIENT,
): Record<string, string> {
  return {
    GENESYS_REGION: 'mypurecloud.ie',
    GENESYS_API_BASE_URL: fake.apiBaseUrl,
    GENESYS_LOGIN_BASE_URL: fake.loginBaseUrl,
    GENESYS_CLIENT_ID: client.id,
    GENESYS_CLIENT_SECRET: client.secret,
  };
}

/** The variables a newcomer exports to run consent-gate against the fake. */
export function demoEnv(
  fake: FakeGenesys,
  client: { id: string; secret: string } = DEMO_CLIENT,
): Record<string, string> {
  return { ...genesysEnv(fake, client), SYNC_DNC_LIST_ID: DEMO_DNC_ID };
}

export function demoBanner(fake: FakeGenesys, env: Record<string, string>): string {
  const exportLines = Object.entries(env)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
  return `Fake Genesys Cloud is running.
  API host:     ${fake.apiBaseUrl}
  Login host:   ${fake.loginBaseUrl}
  Contact list: ${DEMO_LIST_ID} (columns ${DEMO_COLUMNS.join(', ')})
  DNC list:     ${DEMO_DNC_ID}

Point consent-gate at it (demo credentials, not secrets):
${exportLines}

then e.g.: node dist/cli.js sync --input contacts.json --contact-list ${DEMO_LIST_ID}
See what landed: curl ${fake.apiBaseUrl}/__fake/contactlists/${DEMO_LIST_ID}/contacts
Ctrl-C stops the server (state is in memory only).`;
}
