import { decide } from '../engine/decide.js';
import type { Decision } from '../engine/decision.js';
import type { Rule, RuleContext } from '../engine/rule.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { sessionOpenedBy } from '../root-sessions/root-session.js';
import { joinSession, sessionAccessKeyOf } from '../root-sessions/session-join.js';
import { MemoryRootSessions } from '../root-sessions/session-store.js';
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
 * A root session's calls are joined with the sts:AssumeRoot among the events that opened it,
 * which therefore come in event-time order.
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
  const sessions = new MemoryRootSessions();
  for (const event of events) {
    const opened = sessionOpenedBy(event, now);
    if (opened !== undefined) sessions.add(opened);
    const key = sessionAccessKeyOf(event);
    const rootSession = joinSession(event, key === undefined ? undefined : sessions.get(key));
    const joined = rootSession === undefined ? context : { ...context, rootSession };
    const was = decide(event, catalog, before, joined, now);
    const is = decide(event, catalog, after, joined, now);
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
