import type { RuleCase, RuleContext } from '../src/engine/rule.js';
import type { CloudTrailRecord } from '../src/intake/trail-event.js';

/**
 * A rule's inline cases as a table: each case's name, then its record. The names are the keys,
 * so two cases cannot share one.
 */
export type CaseTable = Readonly<Record<string, CloudTrailRecord>>;

const casesOf = (expected: boolean, table: CaseTable, context?: RuleContext): RuleCase[] =>
  Object.entries(table).map(([name, record]) => ({
    name,
    record,
    expected,
    ...(context && { context }),
  }));

/**
 * Cases the rule must match. `context` names the monitor's resources for these cases alone,
 * where they differ from the ones every other case names (`defaultContext`).
 */
export const matches = (table: CaseTable, context?: RuleContext): RuleCase[] =>
  casesOf(true, table, context);

/** Cases the rule must not match; `context` as for {@link matches}. */
export const ignores = (table: CaseTable, context?: RuleContext): RuleCase[] =>
  casesOf(false, table, context);
