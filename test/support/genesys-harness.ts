import { Test } from '@nestjs/testing';
import { CommonModule } from '../../src/common/common.module';
import { DomainError } from '../../src/common/domain-error';
import { ConfigModule } from '../../src/config/config.module';
import { GenesysClient } from '../../src/genesys/genesys-client';
import { GenesysModule } from '../../src/genesys/genesys.module';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { MetricsService } from '../../src/metrics/metrics.service';
import type { FakeGenesys } from '../fake-genesys/fake-genesys';

/** Columns of the consent-ready contact list the Genesys specs create on the fake. */
export const CONSENT_COLUMNS = [
  'first_name',
  'phone_number',
  'email',
  'gdpr_consent_flag',
  'gdpr_consent_scope',
  'gdpr_consent_updated',
  'gdpr_policy_version',
];

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
      ConfigModule.forRoot({
        GENESYS_REGION: 'mypurecloud.ie',
        GENESYS_API_BASE_URL: fake.apiBaseUrl,
        GENESYS_LOGIN_BASE_URL: fake.loginBaseUrl,
        GENESYS_CLIENT_ID: 'test-client',
        GENESYS_CLIENT_SECRET: 'test-secret',
        LOG_LEVEL: 'silent',
        ...env,
      }),
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
export function createConsentList(fake: FakeGenesys): string {
  return fake.createContactList({
    name: 'consent test',
    columnNames: CONSENT_COLUMNS,
    phoneColumns: [{ columnName: 'phone_number', type: 'cell' }],
    emailColumns: [{ columnName: 'email', type: 'personal' }],
  }).id;
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
