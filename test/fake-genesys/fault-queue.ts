import type { Fault, FaultMatch, ServerKind } from './fake-genesys.types';

interface Entry {
  match: FaultMatch;
  faults: Fault[];
}

/**
 * Faults waiting for matching requests. Each matching request consumes one
 * fault, in order; entries are tried in the order they were injected.
 */
export class FaultQueue {
  private entries: Entry[] = [];

  add(match: FaultMatch, faults: Fault[]): void {
    for (const fault of faults) validateFault(fault);
    if (faults.length > 0) this.entries.push({ match, faults: [...faults] });
  }

  /** `url` is the request target (path and query) that `pathIncludes` is matched against. */
  take(server: ServerKind, method: string, url: string): Fault | undefined {
    const entry = this.entries.find((e) => matches(e.match, server, method, url));
    if (!entry) return undefined;
    const fault = entry.faults.shift();
    if (entry.faults.length === 0) this.entries = this.entries.filter((e) => e !== entry);
    return fault;
  }

  pending(): number {
    return this.entries.reduce((n, e) => n + e.faults.length, 0);
  }

  clear(): void {
    this.entries = [];
  }
}

function matches(match: FaultMatch, server: ServerKind, method: string, url: string): boolean {
  if (match.server !== undefined && match.server !== server) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  return match.pathIncludes === undefined || url.includes(match.pathIncludes);
}

function validateFault(fault: Fault): void {
  switch (fault.kind) {
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
        throw new Error(`fault status must be an HTTP status, got ${fault.status}`);
      }
      return;
    case 'delay':
      if (!(fault.ms >= 0)) throw new Error(`fault delay must be >= 0 ms, got ${fault.ms}`);
      return;
    case 'drop':
      return;
  }
}
