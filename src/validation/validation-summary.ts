import type { ContactResult, ValidationSummary } from './validation.types';

/** Running totals over result chunks; counts by primary code in a null-prototype map. */
export class SummaryBuilder {
  private total = 0;
  private approved = 0;
  private readonly byCode = new Map<string, number>();

  add(results: readonly ContactResult[]): void {
    for (const r of results) {
      this.total++;
      if (r.decision === 'APPROVED') this.approved++;
      this.byCode.set(r.code, (this.byCode.get(r.code) ?? 0) + 1);
    }
  }

  build(): ValidationSummary {
    const byCode: Record<string, number> = {};
    for (const [code, n] of [...this.byCode.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      // defineProperty: policy codes are ours, but never let a key reach a prototype setter.
      Object.defineProperty(byCode, code, { value: n, enumerable: true, writable: true });
    }
    return {
      total: this.total,
      approved: this.approved,
      rejected: this.total - this.approved,
      byCode,
    };
  }
}
