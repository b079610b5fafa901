import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * "consent-gate/<version> json-rules-engine/<version>", written into every
 * decision line so an auditor can reproduce a decision with the same engine.
 * Read once at load: both package.json files are static metadata.
 */
export const ENGINE_VERSION = `consent-gate/${packageVersion(join(__dirname, '..', '..', 'package.json'))} json-rules-engine/${packageVersion(resolvePackageJson('json-rules-engine'))}`;

function resolvePackageJson(name: string): string | undefined {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
}

function packageVersion(path: string | undefined): string {
  if (path === undefined) return 'unknown';
  try {
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
