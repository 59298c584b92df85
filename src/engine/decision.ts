import type { TrailEvent } from '../intake/trail-event.js';
import type { RootSessionJoin } from '../root-sessions/session-join.js';
import type { Rule } from './rule.js';
import type { Severity } from './severity.js';

/** A rule that matched, with the severity the configuration gives it. */
export interface RuleMatch {
  rule: Rule;
  severity: Severity;
}

/** Not root usage: another identity, or root acting through an AWS service. */
export interface Ignored {
  kind: 'ignored';
  event: TrailEvent;
  reason: string;
}

/** Root usage that an allowlist entry covers, and every matching rule is allowlistable. */
export interface Allowlisted {
  kind: 'allowlisted';
  event: TrailEvent;
  matches: readonly RuleMatch[];
  severity: Severity;
  allowlistEntry: string;
  /** The centralized-root session the event belongs to, when it is one (see `joinSession`). */
  rootSession?: RootSessionJoin | undefined;
}

/** Root usage that must reach a person, unless the dedup claim says it already has. */
export interface Alert {
  kind: 'alert';
  event: TrailEvent;
  /** Every matching rule, most severe first; the first one's runbook is the alert's. */
  matches: readonly [RuleMatch, ...RuleMatch[]];
  severity: Severity;
  /** An allowlist entry that matched but could not silence a rule that is not allowlistable. */
  allowlistEntry: string | undefined;
  /** Events sharing this key within the window give one alert. */
  dedupKey: string;
  dedupMinutes: number;
  /** The centralized-root session the event belongs to, when it is one (see `joinSession`). */
  rootSession?: RootSessionJoin | undefined;
}

export type Decision = Ignored | Allowlisted | Alert;
