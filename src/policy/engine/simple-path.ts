/**
 * The `path` of a condition, restricted to `$`, `.name` and `[index]` steps.
 * Both evaluation paths resolve it with this one function (it is passed to
 * json-rules-engine as its pathResolver), so they cannot disagree. Only own
 * properties of plain objects and in-range array indexes are followed:
 * `$.constructor` or `$.__proto__` never reach the prototype.
 */
export type PathStep = string | number;

const STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/gy;
const cache = new Map<string, readonly PathStep[] | null>();

/** Parses `$.a.b[0]` into steps; null when the path is not of the simple form. */
export function parseSimplePath(path: string): readonly PathStep[] | null {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  let steps: PathStep[] | null = null;
  if (path.startsWith('$')) {
    steps = [];
    STEP.lastIndex = 1;
    let m: RegExpExecArray | null;
    while (STEP.lastIndex < path.length && (m = STEP.exec(path)) !== null) {
      steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    }
    if (STEP.lastIndex !== path.length && path.length > 1) steps = null;
  }
  if (cache.size < 10_000) cache.set(path, steps);
  return steps;
}

/** Follows parsed steps; undefined as soon as a step does not exist. */
export function walkPath(value: unknown, steps: readonly PathStep[]): unknown {
  let cur = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PathStep;
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return undefined;
      cur = cur[step] as unknown;
    } else {
      if (
        cur === null ||
        typeof cur !== 'object' ||
        Array.isArray(cur) ||
        !Object.hasOwn(cur, step)
      ) {
        return undefined;
      }
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/** json-rules-engine pathResolver signature: (factValue, path) => value. */
export function resolveSimplePath(value: unknown, path: string): unknown {
  const steps = parseSimplePath(path);
  return steps === null ? undefined : walkPath(value, steps);
}
