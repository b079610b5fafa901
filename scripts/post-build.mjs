// Makes the CLI executable after `tsc` (the shebang is kept by the compiler).
import { chmodSync, existsSync } from 'node:fs';
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
