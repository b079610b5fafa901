import { describeDifferential } from './support/policy-differential';

// Fast path vs json-rules-engine for every shipped version 2.x.y (see support/policy-differential.ts).
describeDifferential('2');
