import type { FactDefinition, OperatorDefinition } from './catalogue.types';
import { CONSENT_FACTS } from './facts/consent.facts';
import { CONTACT_FACTS } from './facts/contact.facts';
import { SEED_FACTS } from './facts/seed.facts';
import { CORE_OPERATORS } from './operators/core.operators';
import { DOMAIN_OPERATORS } from './operators/domain.operators';

/** Every fact a policy may name. */
export const FACTS: ReadonlyMap<string, FactDefinition> = indexByName([
  ...SEED_FACTS,
  ...CONTACT_FACTS,
  ...CONSENT_FACTS,
]);
/** Every operator a policy may name (json-rules-engine's built-ins are re-exposed through CORE_OPERATORS). */
export const OPERATORS: ReadonlyMap<string, OperatorDefinition> = indexByName([
  ...CORE_OPERATORS,
  ...DOMAIN_OPERATORS,
]);

function indexByName<T extends { name: string }>(defs: T[]): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const d of defs) {
    if (map.has(d.name)) throw new Error(`duplicate catalogue entry ${d.name}`);
    map.set(d.name, d);
  }
  return map;
}
