import {
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
  severityOf,
} from '../alert/config-change-alert.js';
import { digestFacts, utcOf } from '../alert/digest-facts.js';
import { escapeJson } from '../alert/escape.js';
import type { AlertNotice } from '../alert/notice.js';
import type { WindowDigest } from '../dedup/window-digest.js';
import type { Alert, Allowlisted } from '../engine/decision.js';
import { throughConsole } from '../engine/root-usage.js';
import { UNKNOWN } from '../intake/trail-event.js';
import type { ReplayFormat } from './replay-format.js';

/** What replay concluded about one root-usage event, once the dedup claim has answered. */
export type Replayed =
  | { decision: 'alert'; notice: AlertNotice }
  | { decision: 'allowlisted'; allowlisted: Allowlisted }
  /** An alert collapsed into an earlier one (same dedup key in its window, or the same eventID). */
  | { decision: 'duplicate'; alert: Alert };

/** `2026-03-14T02:16:48Z`: UTC, in whole seconds as CloudTrail writes it, unless it had more. */
export const timeOf = (time: Date | undefined): string =>
  time === undefined ? UNKNOWN : time.toISOString().replace('.000Z', 'Z');

/** The engine's decision behind a replayed event. */
export const decisionOf = (replayed: Replayed): Alert | Allowlisted => {
  if (replayed.decision === 'alert') return replayed.notice.alert;
  if (replayed.decision === 'allowlisted') return replayed.allowlisted;
  return replayed.alert;
};

/**
 * One line of JSON. Hidden characters that JSON.stringify leaves raw (bidi overrides, C1
 * controls, line separators) are escaped too, so the line is safe to `cat` to a terminal.
 */
export const jsonLineFor = (replayed: Replayed): string => {
  const { event, severity, matches, allowlistEntry } = decisionOf(replayed);
  const line = {
    eventId: event.eventId,
    eventTime: timeOf(event.eventTime),
    eventName: event.eventName,
    eventSource: event.eventSource,
    accountId: event.accountId,
    region: event.region,
    sourceIp: event.sourceIp,
    decision: replayed.decision,
    severity,
    ruleIds: matches.map((match) => match.rule.id),
    ...(allowlistEntry === undefined ? {} : { allowlistEntry }),
    assumedRoot: event.assumedRoot,
    throughConsole: throughConsole(event),
    ...(replayed.decision === 'alert'
      ? { suppressedBefore: replayed.notice.suppressedBefore }
      : {}),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/**
 * A change to the configuration parameter, as the Lambda would announce it: who, and what is
 * known of the change (`outcome`; `unknown`, with `why`, for a write, whose diff replay cannot
 * read).
 */
export const changeJsonLineFor = ({ change, outcome }: ConfigChangeNotice): string => {
  const { event } = change;
  const line = {
    eventId: event.eventId,
    eventTime: timeOf(event.eventTime),
    eventName: event.eventName,
    eventSource: event.eventSource,
    accountId: event.accountId,
    region: event.region,
    sourceIp: event.sourceIp,
    decision: 'alert',
    severity: severityOf(outcome),
    ruleIds: [CONFIG_CHANGE_RULE_ID],
    principalArn: event.identityArn,
    principalType: event.identityType,
    throughConsole: throughConsole(event),
    parameters: change.parameters,
    outcome: outcome.kind,
    ...(outcome.kind === 'unknown' ? { why: outcome.why } : {}),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/**
 * The digest of a closed collapse window: its key, times and counts, and the events that matched
 * no rule. It has no `eventId`: it is not an event, and a program counting events by their ID
 * must not count it as one.
 */
export const digestJsonLineFor = (digest: WindowDigest): string => {
  const facts = digestFacts(digest);
  const line = {
    decision: 'digest',
    dedupKey: digest.key,
    severity: facts.severity,
    ruleIds: [facts.ruleId],
    accountId: facts.accountId,
    sourceIp: facts.sourceIp,
    windowOpenedAt: utcOf(digest.openedAt),
    windowClosesAt: utcOf(digest.closesAt),
    firstEventTime: utcOf(facts.firstAt),
    lastEventTime: utcOf(facts.lastAt),
    events: digest.events.length,
    failed: facts.failedTotal,
    eventNames: Object.fromEntries(facts.byName.map(({ eventName, count }) => [eventName, count])),
    unmatched: facts.unmatched.map((event) => ({
      eventTime: utcOf(event.at),
      eventName: event.eventName,
      eventSource: event.eventSource,
      region: event.region,
      ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode }),
    })),
    reportedBefore: digest.reportedBefore,
    beforeAlert: facts.beforeOpener.count,
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/** `--format json`: one line per root-usage event, change or digest, for jq and other programs. */
export const jsonFormat: ReplayFormat = {
  event: jsonLineFor,
  change: changeJsonLineFor,
  digest: digestJsonLineFor,
  end: () => '',
};
