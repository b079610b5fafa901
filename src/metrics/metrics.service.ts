import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics shared by every module (exposed at GET /metrics). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly decisions = new Counter({
    name: 'consent_gate_decisions_total',
    help: 'Decisions by policy, version, decision and primary code',
    labelNames: ['policy', 'version', 'decision', 'code', 'source'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'consent_gate_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly auditWriteDuration = new Histogram({
    name: 'consent_gate_audit_write_duration_seconds',
    help: 'Audit batch write latency including fsync',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly auditWriteFailures = new Counter({
    name: 'consent_gate_audit_write_failures_total',
    help: 'Audit batches that could not be written',
    registers: [this.registry],
  });
  readonly auditLines = new Counter({
    name: 'consent_gate_audit_lines_total',
    help: 'Audit lines written',
    labelNames: ['log'] as const,
    registers: [this.registry],
  });
  readonly genesysRequests = new Counter({
    name: 'consent_gate_genesys_requests_total',
    help: 'Requests sent to Genesys Cloud by operation and outcome status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly genesysRetries = new Counter({
    name: 'consent_gate_genesys_retries_total',
    help: 'Genesys Cloud request retries by reason',
    labelNames: ['operation', 'reason'] as const,
    registers: [this.registry],
  });
  readonly policyReloads = new Counter({
    name: 'consent_gate_policy_reloads_total',
    help: 'Policy reloads by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts a batch of decisions: one increment per (decision, code) rather than per
   * contact, so a 1000-contact chunk costs a handful of label lookups.
   */
  countDecisions(
    policy: { id: string; version: string },
    source: string,
    decisions: Iterable<{ decision: string; code: string }>,
  ): void {
    // Decisions of the fast path are shared objects: count per object first (an
    // identity lookup), then merge by label, so no key string is built per contact.
    const perObject = new Map<{ decision: string; code: string }, number>();
    for (const d of decisions) perObject.set(d, (perObject.get(d) ?? 0) + 1);
    const counts = new Map<string, { decision: string; code: string; n: number }>();
    for (const [d, n] of perObject) {
      const key = `${d.decision}\u0000${d.code}`;
      const c = counts.get(key);
      if (c) c.n += n;
      else counts.set(key, { decision: d.decision, code: d.code, n });
    }
    for (const c of counts.values()) {
      this.decisions.inc(
        { policy: policy.id, version: policy.version, decision: c.decision, code: c.code, source },
        c.n,
      );
    }
  }
}
