import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate sync` command(s) are registered here.
export const SYNC_COMMANDS: Provider[] = [];
