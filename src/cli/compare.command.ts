import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate compare` command(s) are registered here.
export const COMPARE_COMMANDS: Provider[] = [];
