import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate keys` command(s) are registered here.
export const KEYS_COMMANDS: Provider[] = [];
