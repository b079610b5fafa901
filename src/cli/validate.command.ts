import type { Provider } from '@nestjs/common';

// Placeholder: the `consent-gate validate` command(s) are registered here.
export const VALIDATE_COMMANDS: Provider[] = [];
