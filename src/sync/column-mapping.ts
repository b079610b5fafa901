import { parse as parseYaml } from 'yaml';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { ContactDataInput } from '../genesys/genesys.types';
import type { ColumnMapping } from './sync.types';

/**
 * Parses and checks a mapping document (YAML or an already parsed object):
 *   columns: { phone_number: HomePhone, email: Email }
 *   ignore: [first_name]
 */
export function parseMapping(doc: unknown, source: string): ColumnMapping {
  const fail = (message: string): never => {
    throw new DomainError(ErrorCode.SYNC_INPUT_INVALID, `Mapping ${source}: ${message}`, {
      errors: [{ path: 'mapping', message }],
    });
  };
  if (doc === null || doc === undefined) return { columns: {}, ignore: [] };
  if (typeof doc !== 'object' || Array.isArray(doc))
    fail('must be an object with `columns` and/or `ignore`');
  const obj = doc as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'columns' && key !== 'ignore')
      fail(`unknown key "${key}" (allowed: columns, ignore)`);
  }
  const columns: Record<string, string> = Object.create(null) as Record<string, string>;
  const rawColumns = obj.columns ?? {};
  if (typeof rawColumns !== 'object' || rawColumns === null || Array.isArray(rawColumns))
    fail('`columns` must map field names to column names');
  for (const [field, column] of Object.entries(rawColumns as Record<string, unknown>)) {
    if (typeof column !== 'string' || column.trim() === '')
      fail(`column for field "${field}" must be a non-empty string`);
    if ((column as string).length > 128)
      fail(`column "${String(column)}" is longer than 128 characters`);
    columns[field] = column as string;
  }
  const rawIgnore = obj.ignore ?? [];
  if (!Array.isArray(rawIgnore) || rawIgnore.some((f) => typeof f !== 'string'))
    fail('`ignore` must be a list of field names');
  const targets = Object.values(columns);
  const dup = targets.find((c, i) => targets.indexOf(c) !== i);
  if (dup !== undefined) fail(`two fields map to column "${dup}"`);
  return { columns, ignore: [...(rawIgnore as string[])] };
}

export function parseMappingYaml(text: string, source: string): ColumnMapping {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new DomainError(
      ErrorCode.SYNC_INPUT_INVALID,
      `Mapping ${source} is not valid YAML: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseMapping(doc, source);
}

/** Columns the list must have for this mapping (besides the consent columns). */
export function mappedColumns(mapping: ColumnMapping | null): string[] {
  return mapping ? [...new Set(Object.values(mapping.columns))] : [];
}

const CONSENT_FIELDS = new Set(['consent_timestamp', 'consent_scope', 'consents']);

/**
 * Turns input contacts into Genesys `data` rows. A field goes to the column the
 * mapping names, else to the same-named column when the list has one; anything
 * else is remembered (by name only) and not sent. Nested objects and arrays
 * (e.g. `consents`) are never sent: Genesys stores strings, and consent records
 * are personal data the dialer does not need.
 */
export class ColumnMapper {
  private readonly listColumns: Set<string>;
  private readonly unmapped = new Set<string>();
  private readonly ignored: Set<string>;

  constructor(
    listColumnNames: readonly string[],
    private readonly mapping: ColumnMapping | null,
    /** Columns the sync itself fills (consent columns); input fields never overwrite them. */
    private readonly reserved: ReadonlySet<string>,
  ) {
    this.listColumns = new Set(listColumnNames);
    this.ignored = new Set(['id', ...(mapping?.ignore ?? [])]);
  }

  columnFor(field: string): string | undefined {
    if (this.ignored.has(field)) return undefined;
    const mapped =
      this.mapping && Object.hasOwn(this.mapping.columns, field)
        ? this.mapping.columns[field]
        : undefined;
    const column = mapped ?? field;
    if (!this.listColumns.has(column) || this.reserved.has(column)) return undefined;
    return column;
  }

  toData(contact: Record<string, unknown>): ContactDataInput {
    const data: ContactDataInput = {};
    for (const [field, value] of Object.entries(contact)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') {
        this.noteUnmapped(field);
        continue;
      }
      const column = this.columnFor(field);
      if (column === undefined) {
        this.noteUnmapped(field);
        continue;
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        data[column] = value;
    }
    return data;
  }

  private noteUnmapped(field: string): void {
    // The consent fields are carried by the consent columns; not worth a warning.
    if (CONSENT_FIELDS.has(field)) return;
    // Bounded: a file with random keys must not grow this set without limit.
    if (!this.ignored.has(field) && this.unmapped.size < 200) this.unmapped.add(field);
  }

  unmappedFields(): string[] {
    return [...this.unmapped].sort();
  }
}
