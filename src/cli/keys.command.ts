import type { Provider } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { generateApiKey } from '../auth/api-key';

interface NewKeyOptions {
  json?: boolean;
}

/**
 * `consent-gate keys new`: a random API key (32 bytes, base64url) and its SHA-256
 * hash. Only the hash goes into the service's configuration; the key is shown once
 * and stored nowhere, so a leaked config does not leak a usable key.
 */
@SubCommand({ name: 'new', description: 'Create a new random API key and print its hash' })
export class KeysNewCommand extends CommandRunner {
  run(_params: string[], options: NewKeyOptions = {}): Promise<void> {
    const { key, hash } = generateApiKey();
    if (options.json) {
      process.stdout.write(JSON.stringify({ key, hash, env: `API_KEY_HASHES=${hash}` }) + '\n');
    } else {
      process.stdout.write(
        [
          'New API key (give it to the client; it is shown once and stored nowhere):',
          `  ${key}`,
          'Its SHA-256 hash:',
          `  ${hash}`,
          'Service configuration (comma-separate several hashes to accept several keys):',
          `API_KEY_HASHES=${hash}`,
          'Clients send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
          '',
        ].join('\n'),
      );
    }
    return Promise.resolve();
  }

  @Option({ flags: '--json', description: 'print {key, hash, env} as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'keys', description: 'API key tools', subCommands: [KeysNewCommand] })
export class KeysCommand extends CommandRunner {
  run(): Promise<void> {
    this.command.help();
  }
}

export const KEYS_COMMANDS: Provider[] = [KeysCommand, KeysNewCommand];
