import { createHash } from 'node:crypto';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { CompiledPolicyImpl } from '../engine/compiled-policy';
import type { PolicyLoadError } from '../policy.types';
import { compareSemver } from './semver';
import { parseYamlSafe, type ParsedYaml } from './safe-yaml';
import { validatePolicy, type ExpectedIdentity } from './policy-validator';
import type { PolicySource } from './policy-source';

export interface LoadResult {
  /** Compiled versions, sorted by policy id then semantic version. Empty when any error occurred. */
  policies: CompiledPolicyImpl[];
  errors: PolicyLoadError[];
}

/** Paths in messages: relative to the working directory when inside it (what editors and terminals link). */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function formatLoadError(e: PolicyLoadError): string {
  return `${e.file}:${e.line}:${e.column} ${e.message}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface FileOutcome {
  policy?: CompiledPolicyImpl;
  parsed?: ParsedYaml;
  errors: PolicyLoadError[];
}

/**
 * Loads, validates and compiles one file. `expected` (derived from the
 * <id>/<version>.yaml location) is checked against the document when given.
 */
export function loadPolicyFile(
  source: PolicySource,
  absFile: string,
  expected?: ExpectedIdentity,
): FileOutcome {
  const file = displayPath(absFile);
  let bytes: Buffer;
  try {
    bytes = source.read(absFile);
  } catch (e) {
    return { errors: [{ file, line: 1, column: 1, message: `cannot read file: ${errorText(e)}` }] };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { errors: [{ file, line: 1, column: 1, message: 'file is not valid UTF-8' }] };
  }
  const parsed = parseYamlSafe(file, text);
  if (parsed.errors.length > 0) return { parsed, errors: parsed.errors };
  const { policy, errors } = validatePolicy(file, parsed, expected);
  if (policy === undefined || errors.length > 0) return { parsed, errors };
  try {
    const compiled = new CompiledPolicyImpl(policy, {
      file: resolve(absFile),
      source: text,
      document: parsed.value,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    });
    return { policy: compiled, parsed, errors: [] };
  } catch (e) {
    return {
      parsed,
      errors: [{ file, line: 1, column: 1, message: `cannot compile: ${errorText(e)}` }],
    };
  }
}

/** Loads every <dir>/<id>/<version>.yaml; any error anywhere fails the whole set. */
export function loadPolicyDirectory(source: PolicySource, dir: string): LoadResult {
  const absDir = resolve(dir);
  const listing = source.list(absDir);
  const errors: PolicyLoadError[] = [];
  if (!listing.exists) {
    return {
      policies: [],
      errors: [
        {
          file: displayPath(absDir),
          line: 1,
          column: 1,
          message: 'policy directory does not exist',
        },
      ],
    };
  }
  for (const f of listing.misplaced) {
    errors.push({
      file: displayPath(f),
      line: 1,
      column: 1,
      message: 'not loaded: policy files live in <policies-dir>/<policy-id>/<version>.yaml',
    });
  }
  const policies: CompiledPolicyImpl[] = [];
  const seen = new Map<string, string>();
  for (const f of listing.files) {
    const expected: ExpectedIdentity = {
      id: basename(dirname(f)),
      version: basename(f).replace(/\.ya?ml$/, ''),
    };
    const outcome = loadPolicyFile(source, f, expected);
    errors.push(...outcome.errors);
    if (outcome.policy === undefined) continue;
    const key = `${outcome.policy.ref.id}@${outcome.policy.ref.version}`;
    const first = seen.get(key);
    if (first !== undefined && outcome.parsed !== undefined) {
      const at = outcome.parsed.locate(['version']);
      errors.push({
        file: displayPath(f),
        ...at,
        message: `policy ${outcome.policy.ref.id} version ${outcome.policy.ref.version} is also defined in ${first}`,
      });
      continue;
    }
    seen.set(key, displayPath(f));
    policies.push(outcome.policy);
  }
  if (listing.files.length === 0 && errors.length === 0) {
    errors.push({
      file: displayPath(absDir),
      line: 1,
      column: 1,
      message: 'no policy files found (expected <policy-id>/<version>.yaml)',
    });
  }
  if (errors.length > 0) return { policies: [], errors: sortErrors(errors) };
  policies.sort((a, b) =>
    a.ref.id === b.ref.id
      ? compareSemver(a.ref.version, b.ref.version)
      : a.ref.id < b.ref.id
        ? -1
        : 1,
  );
  return { policies, errors };
}

/** Per file, top to bottom: the order an analyst fixes them in. Files keep their listing order. */
function sortErrors(errors: PolicyLoadError[]): PolicyLoadError[] {
  const fileOrder = new Map<string, number>();
  for (const e of errors) if (!fileOrder.has(e.file)) fileOrder.set(e.file, fileOrder.size);
  return [...errors].sort(
    (a, b) =>
      (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
