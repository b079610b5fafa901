import type { FactDefinition } from '../catalogue.types';

export const SEED_FACTS: FactDefinition[] = [];
