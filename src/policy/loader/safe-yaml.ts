import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
} from 'yaml';
import type { PolicyLoadError } from '../policy.types';

/** Bounds alias expansion: a policy has no reason to reuse more than a handful of anchors. */
export const MAX_ALIAS_COUNT = 100;

// Explicit tags allowed in a policy file: the YAML 1.2 core schema's own.
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

const MAX_SYNTAX_ERRORS = 5;

export type PathSegment = string | number;

/** A parsed YAML file that can point errors at the node behind a data path. */
export interface ParsedYaml {
  /** Plain JSON-compatible data; undefined when the file could not be parsed. */
  value: unknown;
  errors: PolicyLoadError[];
  /** Line/column (1-based) of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PathSegment[], target?: 'value' | 'key'): { line: number; column: number };
}

/**
 * Parses one YAML document safely: YAML 1.2 core schema (no timestamps, no
 * merge keys), duplicate keys rejected, no custom tags, alias expansion
 * bounded (billion-laughs), a single document only. Every problem carries the
 * file, line and column.
 */
export function parseYamlSafe(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const errors: PolicyLoadError[] = [];
  const pos = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    version: '1.2',
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const reportedTags = new Set<string>();
  const problems = [...doc.errors, ...doc.warnings];
  // One syntax slip cascades into dozens of follow-up errors; the first few locate it.
  for (const e of problems.slice(0, MAX_SYNTAX_ERRORS)) {
    let message = firstLine(e.message);
    const tag = /^Unresolved tag: (.+)$/.exec(message)?.[1];
    if (e.code === 'TAG_RESOLVE_FAILED' && tag !== undefined) {
      reportedTags.add(tag);
      message = `YAML tag ${tag} is not allowed in policy files`;
    } else if (e.code === 'MULTIPLE_DOCS') {
      // The library's text points developers at parseAllDocuments(); an analyst needs the fix.
      message = 'a policy file holds exactly one YAML document: remove the "---" separator';
    } else if (e.code === 'DUPLICATE_KEY') {
      // The error range covers only the key's first character; read the key to the colon.
      const key = (/^[^:\n#]*/.exec(text.slice(e.pos[0]))?.[0] ?? '').trim();
      message = `duplicate key${key === '' ? '' : ` "${key}"`}: a field may appear only once`;
    }
    errors.push({ file, ...pos(e.pos[0]), message });
  }
  if (problems.length > MAX_SYNTAX_ERRORS) {
    const last = problems[MAX_SYNTAX_ERRORS];
    errors.push({
      file,
      ...pos(last?.pos[0] ?? 0),
      message: `${problems.length - MAX_SYNTAX_ERRORS} more YAML error(s) follow from the ones above`,
    });
  }
  // Where an alias expansion error is reported: the first alias, the start of the expansion.
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      firstAlias ??= node.range?.[0];
    },
    Node(_key, node) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag) && !reportedTags.has(node.tag)) {
        errors.push({
          file,
          ...pos(node.range?.[0] ?? 0),
          message: `YAML tag ${node.tag} is not allowed in policy files`,
        });
      }
    },
  });
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      errors.push({
        file,
        ...pos(firstAlias ?? 0),
        message: `YAML could not be expanded: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  return {
    value,
    errors,
    locate: (path, target = 'value') => pos(locateOffset(doc, path, target)),
  };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // yaml appends " at line X, column Y" when prettyErrors is on; keep the bare text.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function nodeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function locateOffset(
  doc: Document,
  path: readonly PathSegment[],
  target: 'value' | 'key',
): number {
  let node: unknown = doc.contents;
  let best = nodeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (pair === undefined) return best;
      const keyStart = nodeStart(pair.key);
      if (last && target === 'key' && keyStart !== undefined) return keyStart;
      node = pair.value;
      best = nodeStart(node) ?? keyStart ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) return best;
      best = nodeStart(node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}
