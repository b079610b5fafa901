import { Test } from '@nestjs/testing';
import { CommonModule } from '../../src/common/common.module';
import { DomainError } from '../../src/common/domain-error';
import { ConfigModule } from '../../src/config/config.module';
import { GenesysClient } from '../../src/genesys/genesys-client';
import { GenesysModule } from '../../src/genesys/genesys.module';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { MetricsService } from '../../src/metrics/metrics.service';
import { genesysEnv } from '../fake-genesys/demo-setup';
import { FakeGenesys } from '../fake-genesys/fake-genesys';
import { SYNC_LIST_COLUMNS } from '../fixtures/sync-contacts';

export interface BootedGenesys {
  client: GenesysClient;
  metrics: MetricsService;
  close(): Promise<void>;
}

/** The real GenesysModule (with config, logging and metrics) pointed at the fake. */
export async function bootGenesys(
  fake: FakeGenesys,
  env: Record<string, string> = {},
): Promise<BootedGenesys> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ ...genesysEnv(fake), LOG_LEVEL: 'silent', ...env }),
      CommonModule,
      MetricsModule,
      GenesysModule,
    ],
  }).compile();
  return {
    client: moduleRef.get(GenesysClient),
    metrics: moduleRef.get(MetricsService),
    close: () => moduleRef.close(),
  };
}

/** A contact list with the consent columns, phone and email columns. */
export function createConsentList(fake: FakeGenesys, name = 'consent test'): string {
  return fake.createContactList({
    name,
    columnNames: SYNC_LIST_COLUMNS,
    phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
    emailColumns: [{ columnName: 'email', type: 'personal' }],
  }).id;
}

/** bootGenesys with the three retries the Genesys e2e specs run under. */
export const bootWithRetries = (
  fake: FakeGenesys,
  env: Record<string, string> = {},
): Promise<BootedGenesys> => bootGenesys(fake, { GENESYS_MAX_RETRIES: '3', ...env });

export interface ConsentGenesys {
  fake: FakeGenesys;
  app: BootedGenesys;
  listId: string;
}

/** Per-test set-up: a fresh fake holding the consent list, and the module booted against it. */
export async function startConsentGenesys(): Promise<ConsentGenesys> {
  const fake = await FakeGenesys.start();
  const listId = createConsentList(fake);
  const app = await bootWithRetries(fake);
  return { fake, app, listId };
}

export async function stopConsentGenesys({
  fake,
  app,
}: Pick<ConsentGenesys, 'fake' | 'app'>): Promise<void> {
  await app.close();
  await fake.stop();
}

/** The DomainError a call fails with; fails the test if it succeeds or throws something else. */
export async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
