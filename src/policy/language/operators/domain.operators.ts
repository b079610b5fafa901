import type { OperatorDefinition } from '../catalogue.types';

export const DOMAIN_OPERATORS: OperatorDefinition[] = [];
