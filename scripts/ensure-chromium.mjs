// Installs Debian's chromium for the browser tests when it is missing (CI runs as root).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
if (process.platform !== 'linux' || typeof process.getuid !== 'function') {
  console.warn(
    'chromium not found and cannot be installed automatically on this platform; browser tests will fail',
  );
  process.exit(0);
}
const sudo = process.getuid() === 0 ? '' : 'sudo ';
console.log('Installing Debian chromium for the browser tests...');
execSync(
  `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`,
  {
    stdio: 'inherit',
  },
);
