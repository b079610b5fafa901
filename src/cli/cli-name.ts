import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** Makes usage lines say `consent-gate` whatever the script file is called (dist/cli.js). */
@Injectable()
export class CliName {
  constructor(@InjectCommander() commander: { name(name: string): unknown }) {
    commander.name('consent-gate');
  }
}
