import type { FactDefinition } from '../catalogue.types';

export const CONSENT_FACTS: FactDefinition[] = [];
