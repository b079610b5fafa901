import { Injectable } from '@nestjs/common';
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** One entry of a policy directory listing. */
export interface PolicyDirListing {
  /** Policy files: <dir>/<policy-id>/<version>.yaml (or .yml). */
  files: string[];
  /** YAML files in places the loader does not read (reported as errors). */
  misplaced: string[];
  exists: boolean;
}

/**
 * File-system access for policies, behind an injectable class so the loader
 * and registry stay pure and tests can substitute it.
 */
@Injectable()
export class PolicySource {
  /** Lists policy files. `tests/` folders and non-YAML files (policy.schema.json, docs) are skipped. */
  list(dir: string): PolicyDirListing {
    if (!isDirectory(dir)) return { files: [], misplaced: [], exists: false };
    const files: string[] = [];
    const misplaced: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
      const full = join(dir, entry.name);
      if (entry.isFile() && isYaml(entry.name)) misplaced.push(full);
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      for (const inner of readdirSync(full, { withFileTypes: true }).sort(byName)) {
        if (inner.isFile() && isYaml(inner.name)) files.push(join(full, inner.name));
      }
    }
    return { files, misplaced, exists: true };
  }

  /** Names of the sub-directories of `dir` (empty when it does not exist or is not a directory). */
  listDirs(dir: string): string[] {
    if (!isDirectory(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  /** Names of the files directly in `dir` (empty when it does not exist). */
  listFiles(dir: string): string[] {
    if (!isDirectory(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  }

  read(file: string): Buffer {
    return readFileSync(file);
  }

  /** Watches `dir` recursively; the listener gets the changed path (relative to dir) when known. */
  watch(dir: string, listener: (file: string | null) => void): FSWatcher {
    return watch(dir, { recursive: true, persistent: false }, (_event, name) => listener(name));
  }
}

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** True when `dir` exists and is a directory (false for a file, or on any error). */
function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
