import type { DecisionKind } from '../policy/policy.types';

/** How one contact's outcome moved from the baseline side to the candidate side. */
export const CHANGE_KINDS = [
  'unchanged',
  'newly-rejected',
  'newly-approved',
  'reason-changed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Which contacts a compare response lists: only those whose outcome moved, or every one. */
export const INCLUDE_MODES = ['changed', 'all'] as const;
export type IncludeMode = (typeof INCLUDE_MODES)[number];

/** One side's outcome for one contact: the same three fields POST /v1/validate returns. */
export interface SideOutcome {
  decision: DecisionKind;
  code: string;
  codes: string[];
}

export interface ContactChange {
  /** 0-based position in the input. */
  index: number;
  /** The contact's `id` as /v1/validate reports it (numbers as decimal strings), null when absent. */
  contactId: string | null;
  baseline: SideOutcome;
  candidate: SideOutcome;
  change: ChangeKind;
}

/** Identity of one side of a comparison. */
export interface CompareSideInfo {
  id: string;
  version: string;
  digest: string;
  /** RFC 3339 instant this side was evaluated at. */
  evaluatedAt: string;
}

/** Per-rule effect of the candidate. */
export interface RuleImpact {
  code: string;
  /**
   * Contacts approved under the baseline and rejected under the candidate whose
   * candidate `codes` contain this code.
   */
  newlyRejected: number;
  /** Of those, contacts for which this code is the only candidate reject code. */
  soleReason: number;
}

export type RuleChangeStatus = 'added' | 'removed' | 'modified';

/** A rule whose definition differs between the two policy sources. */
export interface RuleChange {
  /** Rule name (its `name` in the YAML, or its code when unnamed): several rules may share a code. */
  rule: string;
  code: string;
  status: RuleChangeStatus;
  /** Fields that differ, for `modified` (when, severity, order, effectiveFrom, ...). */
  fields: string[];
  /** Contacts this rule fires for (reject or warn, by its violations) under the candidate but not the baseline. */
  firedGained: number;
  /** Contacts this rule fired for under the baseline but not under the candidate. */
  firedLost: number;
}

/** A rule change that moved no contact: worth knowing before it ships. */
export interface DeadChange {
  rule: string;
  code: string;
  reason: 'modified-without-effect' | 'added-never-fires';
  fields: string[];
}

export interface CompareSummary {
  total: number;
  changed: number;
  byChange: Record<ChangeKind, number>;
  /** Primary code transitions over every contact: baseline code -> candidate code -> contacts. */
  transitions: Record<string, Record<string, number>>;
  /** Per code: contacts whose candidate codes contain it and whose baseline codes do not. */
  codesGained: Record<string, number>;
  /** Per code: contacts whose baseline codes contain it and whose candidate codes do not. */
  codesLost: Record<string, number>;
  /** Candidate reject rules that newly reject contacts, most contacts first. */
  newlyRejectedByRule: RuleImpact[];
  /** Rules whose definition differs between the two sources (empty when both sides use one source). */
  ruleChanges: RuleChange[];
  deadChanges: DeadChange[];
}

export interface CompareResult {
  baseline: CompareSideInfo;
  candidate: CompareSideInfo;
  /** sha256 of the input (file or body bytes, or canonical JSON of a contacts array). */
  inputDigest: string;
  include: IncludeMode;
  summary: CompareSummary;
  changes: ContactChange[];
}
