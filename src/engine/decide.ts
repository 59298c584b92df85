import type { Config } from '../config/config.js';
import { eventKeyOf, REDELIVERY_MINUTES } from '../dedup/claim-for.js';
import { eventClock, type TrailEvent } from '../intake/trail-event.js';
import { findEntry } from './allowlist.js';
import type { Decision, RuleMatch } from './decision.js';
import { rootUsage } from './root-usage.js';
import { FALLBACK_RULE_ID, type Rule, type RuleContext } from './rule.js';
import { bySeverity } from './severity.js';

/**
 * A rule that throws counts as matching: if it guarded a rule no allowlist may silence, a
 * crafted event that made it throw would otherwise slip through an allowlist entry.
 */
const matchesSafely = (rule: Rule, event: TrailEvent, context: RuleContext): boolean => {
  try {
    return rule.match(event, context);
  } catch {
    return true;
  }
};

const matchingRules = (
  event: TrailEvent,
  config: Config,
  context: RuleContext,
  catalog: readonly Rule[],
): RuleMatch[] => {
  const enabled = catalog.flatMap((rule) => {
    const settings = config.rules.get(rule.id);
    return settings === undefined || settings.enabled ? [{ rule, settings }] : [];
  });
  const specific = enabled.filter(
    ({ rule }) => rule.id !== FALLBACK_RULE_ID && matchesSafely(rule, event, context),
  );
  const chosen =
    specific.length > 0 ? specific : enabled.filter(({ rule }) => rule.id === FALLBACK_RULE_ID);
  // A stable sort keeps catalog order among equal severities, so the top rule is predictable.
  return chosen
    .map(({ rule, settings }) => ({ rule, severity: settings?.severity ?? rule.severity }))
    .sort((a, b) => bySeverity(a.severity, b.severity));
};

/**
 * A collapsing rule's key is its account and source address, for its window's minutes; a rule
 * that alerts per event, or a window of 0 minutes (no collapsing), keys the event itself.
 */
const dedupFor = (
  top: RuleMatch,
  event: TrailEvent,
  config: Config,
): { dedupKey: string; dedupMinutes: number } => {
  const { rule } = top;
  const minutes = config.rules.get(rule.id)?.dedupMinutes ?? config.dedupMinutes;
  if (rule.dedupBy === 'event' || minutes === 0) {
    return { dedupKey: eventKeyOf(event.eventId), dedupMinutes: REDELIVERY_MINUTES };
  }
  const who = rule.dedupBy === 'account-and-principal' ? event.identityArn : event.sourceIp;
  return {
    dedupKey: `${rule.dedupGroup ?? rule.id}#${event.accountId}#${who}`,
    dedupMinutes: minutes,
  };
};

/**
 * Turns one CloudTrail event into a decision: ignored (not root usage), allowlisted, or an
 * alert naming every matching rule. Pure: the dedup claim that may turn an alert into a
 * duplicate happens around it.
 *
 * @param now stands in for the time of an event that has no valid eventTime, and bounds a
 *   future one
 * @param catalog the rules, in priority order: the composition point gives the project's, tests
 *   their own to pin how rules combine
 * @param context the monitor's resources and, for a member account's root event, the session
 *   the pipeline joined it with: rules and allowlist entries read both
 */
export const decide = (
  event: TrailEvent,
  catalog: readonly Rule[],
  config: Config,
  context: RuleContext,
  now: Date = new Date(),
): Decision => {
  const usage = rootUsage(event);
  // Not root usage: only the rules that judge every identity's calls look at it.
  const matches = usage.root
    ? matchingRules(event, config, context, catalog)
    : matchingRules(
        event,
        config,
        context,
        catalog.filter((rule) => rule.identities === 'any'),
      ).filter(({ rule }) => rule.id !== FALLBACK_RULE_ID);
  if (!usage.root && matches.length === 0) return { kind: 'ignored', event, reason: usage.reason };
  const [top] = matches;
  if (top === undefined) {
    // Unreachable while the fallback cannot be disabled; kept so a catalog change fails loud.
    throw new Error(`no enabled rule matched root usage ${event.eventId}`);
  }
  // Judged at the event's own time, never later than now: a misdated or forged future eventTime
  // must not reach an entry's notBefore or a window that has not come yet.
  const entry = findEntry(
    config.allow,
    event,
    new Date(Math.min(eventClock(event, now), now.getTime())),
    context.rootSession,
  );
  const session = context.rootSession === undefined ? {} : { rootSession: context.rootSession };
  if (entry !== undefined && matches.every(({ rule }) => rule.allowlistable)) {
    return {
      kind: 'allowlisted',
      event,
      matches,
      severity: top.severity,
      allowlistEntry: entry.id,
      ...session,
    };
  }
  return {
    kind: 'alert',
    event,
    matches: [top, ...matches.slice(1)],
    severity: top.severity,
    allowlistEntry: entry?.id,
    ...dedupFor(top, event, config),
    ...session,
  };
};
