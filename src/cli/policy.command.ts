import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate policy` command(s) are registered here.
export const POLICY_COMMANDS: Provider[] = [];
