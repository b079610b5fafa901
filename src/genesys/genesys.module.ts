import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { GenesysClient } from './genesys-client';
import { GenesysContactListClient } from './genesys-contact-list.client';
import { GenesysHttpClient } from './genesys-http.client';
import { GenesysTiming, SystemGenesysTiming } from './genesys-timing';
import { GenesysTokenProvider } from './genesys-token.provider';
import { GenesysTransport } from './genesys-transport';

/**
 * Genesys Cloud Outbound: OAuth tokens, resilient HTTP, contact-list
 * operations. Exports only the GenesysClient port (never HttpModule). Needs
 * AppConfig, AppLogger (CommonModule) and MetricsService (MetricsModule),
 * which are global. Starts without credentials; operations then fail with
 * GENESYS_NOT_CONFIGURED.
 */
@Module({
  imports: [HttpModule.register({})],
  providers: [
    { provide: GenesysTiming, useClass: SystemGenesysTiming },
    GenesysTransport,
    GenesysTokenProvider,
    GenesysHttpClient,
    { provide: GenesysClient, useClass: GenesysContactListClient },
  ],
  exports: [GenesysClient],
})
export class GenesysModule {}
