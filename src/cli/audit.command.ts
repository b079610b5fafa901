import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate audit` command(s) are registered here.
export const AUDIT_COMMANDS: Provider[] = [];
