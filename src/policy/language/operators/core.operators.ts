import type { OperatorDefinition } from '../catalogue.types';

export const CORE_OPERATORS: OperatorDefinition[] = [];
