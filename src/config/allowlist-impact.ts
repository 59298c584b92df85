import { decide } from '../engine/decide.js';
import type { Decision } from '../engine/decision.js';
import type { Rule, RuleContext } from '../engine/rule.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { Config } from './config.js';

/** An event that one configuration alerts and another allowlists, or judges at another severity. */
export interface DecisionChange {
  event: TrailEvent;
  before: Decision;
  after: Decision;
  /** Whether the change lets it pass silently where it alerted, rather than the other way. */
  silences: boolean;
}

const severityOf = (decision: Decision): string | undefined =>
  decision.kind === 'ignored' ? undefined : decision.severity;

/**
 * Every event whose decision differs between two configurations: alerted by one and allowlisted
 * by the other, or alerted at another severity (a rule override). The same engine the monitor
 * runs, without dedup: what matters is what each event would be, not how many alerts it makes.
 */
export const decisionChanges = (
  events: Iterable<TrailEvent>,
  catalog: readonly Rule[],
  before: Config,
  after: Config,
  context: RuleContext,
  now: Date,
): DecisionChange[] => {
  const changes: DecisionChange[] = [];
  for (const event of events) {
    const was = decide(event, catalog, before, context, now);
    const is = decide(event, catalog, after, context, now);
    if (was.kind === is.kind && severityOf(was) === severityOf(is)) continue;
    changes.push({
      event,
      before: was,
      after: is,
      silences: was.kind === 'alert' && is.kind !== 'alert',
    });
  }
  return changes;
};
