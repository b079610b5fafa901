import type { FactDefinition } from '../catalogue.types';

export const CONTACT_FACTS: FactDefinition[] = [];
