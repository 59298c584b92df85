import { emailFor } from '../alert/email.js';
import { escapeJson, escapeText } from '../alert/escape.js';
import type { AlertNotice } from '../alert/notice.js';
import { subjectFor } from '../alert/subject.js';
import type { Alert, Allowlisted } from '../engine/decision.js';
import { UNKNOWN } from '../intake/trail-event.js';

/** What replay concluded about one root-usage event, once the dedup claim has answered. */
export type Replayed =
  | { decision: 'alert'; notice: AlertNotice }
  | { decision: 'allowlisted'; allowlisted: Allowlisted }
  /** An alert collapsed into an earlier one (same dedup key in its window, or the same eventID). */
  | { decision: 'duplicate'; alert: Alert };

export type Format = 'text' | 'json';

export const FORMATS: readonly Format[] = ['text', 'json'];

const decided = (replayed: Replayed): Alert | Allowlisted => {
  if (replayed.decision === 'alert') return replayed.notice.alert;
  if (replayed.decision === 'allowlisted') return replayed.allowlisted;
  return replayed.alert;
};

/**
 * One line of JSON. Hidden characters that JSON.stringify leaves raw (bidi overrides, C1
 * controls, line separators) are escaped too, so the line is safe to `cat` to a terminal.
 */
export const jsonLineFor = (replayed: Replayed): string => {
  const { event, severity, matches, allowlistEntry } = decided(replayed);
  const line = {
    eventId: event.eventId,
    eventTime: event.eventTime?.toISOString() ?? UNKNOWN,
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
    ...(replayed.decision === 'alert'
      ? { suppressedBefore: replayed.notice.suppressedBefore }
      : {}),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

const RULE = '='.repeat(78);

/**
 * As a person would read it: an alert as its subject line and email body between rulers; an
 * allowlisted or duplicate event as one line.
 */
export const textFor = (replayed: Replayed): string => {
  if (replayed.decision === 'alert') {
    const { notice } = replayed;
    return `${RULE}\nSubject: ${subjectFor(notice)}\n${RULE}\n${emailFor(notice)}\n`;
  }
  const { event, matches } = decided(replayed);
  const field = (value: string): string => escapeText(value, 80);
  const why =
    replayed.decision === 'allowlisted'
      ? `allowlist entry "${field(replayed.allowlisted.allowlistEntry)}"`
      : 'collapsed into an earlier alert';
  return `${replayed.decision.padEnd(11)} ${event.eventTime?.toISOString() ?? UNKNOWN}  ${field(event.eventName)} (${field(event.eventSource)})  ${field(event.accountId)} ${field(event.region)}  from ${field(event.sourceIp)}  [${matches.map((match) => match.rule.id).join(', ')}]  ${why}\n`;
};
