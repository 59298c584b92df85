import type { Severity } from '../engine/severity.js';
import { type FirstSeenFields, firstSeenFields } from '../first-seen/first-seen-text.js';
import { type SessionFields, sessionLogFields } from '../root-sessions/session-text.js';
import type { AlertNotice } from './alert-notice.js';
import { escapeText } from './text/escape.js';

/**
 * Log values are bounded tighter than email: a log line is searched and counted, not read, and
 * one oversized field must not push the rest of the line out of view.
 */
export const LOG_FIELD_MAX_CHARS = 256;

/**
 * The keys of the CRITICAL `ROOT_ACCOUNT_USAGE` log line; for a member account's root call made
 * in a centralized-root session, also what is known of the session (see `SessionFields`); for a
 * source root had not used, the mark (see `FirstSeenFields`).
 */
export interface AlertFields extends Partial<SessionFields>, FirstSeenFields {
  severity: Severity;
  ruleIds: string[];
  eventName: string;
  eventSource: string;
  eventTime: string;
  sourceIp: string;
  userAgent: string;
  /** Who made the call: root's ARN, or the principal of a call that judges every identity. */
  principalArn: string;
  accountId: string;
  region: string;
  eventId: string;
  assumedRoot: boolean;
  suppressed: number;
  allowlistEntry?: string;
  dedupKey: string;
  /** Set when the event came from a trail file, not from real-time delivery. */
  trailFile?: string;
  lateSeconds?: number;
  /** Set while the configuration is stale: when the documents in force were read. */
  configReadAt?: string;
}

/**
 * The flat fields logged for an alert. Event values are escaped and bounded: JSON logging
 * already escapes line breaks, but not bidi or zero-width characters, and a terminal or log
 * viewer showing the raw value must not be forged or flooded.
 */
export const alertFields = (notice: AlertNotice): AlertFields => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const text = (value: string): string => escapeText(value, LOG_FIELD_MAX_CHARS);
  return {
    severity: alert.severity,
    ruleIds: alert.matches.map((match) => match.rule.id),
    eventName: text(event.eventName),
    eventSource: text(event.eventSource),
    eventTime: event.eventTime === undefined ? 'Unknown' : event.eventTime.toISOString(),
    sourceIp: text(event.sourceIp),
    ...firstSeenFields(alert, notice.firstSeen),
    userAgent: text(event.userAgent),
    principalArn: text(event.identityArn),
    accountId: text(event.accountId),
    region: text(event.region),
    eventId: text(event.eventId),
    assumedRoot: event.assumedRoot,
    suppressed: suppressedBefore,
    ...(alert.allowlistEntry === undefined ? {} : { allowlistEntry: text(alert.allowlistEntry) }),
    ...sessionLogFields(alert.rootSession, text),
    dedupKey: text(alert.dedupKey),
    ...(notice.fromTrailFile === undefined
      ? {}
      : {
          trailFile: text(notice.fromTrailFile.file),
          ...(notice.fromTrailFile.lateSeconds === undefined
            ? {}
            : { lateSeconds: notice.fromTrailFile.lateSeconds }),
        }),
    ...(notice.configReadAt === undefined
      ? {}
      : { configReadAt: notice.configReadAt.toISOString() }),
  };
};
