import { escapeJson } from '../../../alert/text/escape.js';
import { utcText } from '../../../alert/text/times.js';
import {
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
  severityOf,
} from '../../../config-watch/config-change-alert.js';
import { digestRecordOf } from '../../../digests/digest-record.js';
import type { WindowDigest } from '../../../digests/window-digest.js';
import type { Ignored } from '../../../engine/decision.js';
import { throughConsole } from '../../../engine/root-usage.js';
import { firstSeenFields } from '../../../first-seen/first-seen-text.js';
import type { TrailEvent } from '../../../intake/trail-event.js';
import { sessionLogFields } from '../../../root-sessions/session-text.js';
import { decisionOf, type RootUsage } from '../replayed.js';
import type { FormatOptions, Origin, ReplayFormat } from './format.js';

/** What every line says of its event, in this order. */
const eventFields = (event: TrailEvent) => ({
  eventId: event.eventId,
  eventTime: utcText(event.eventTime, { fraction: 'kept' }),
  eventName: event.eventName,
  eventSource: event.eventSource,
  accountId: event.accountId,
  region: event.region,
  sourceIp: event.sourceIp,
});

/**
 * One line of JSON. Hidden characters that JSON.stringify leaves raw (bidi overrides, C1
 * controls, line separators) are escaped too, so the line is safe to `cat` to a terminal.
 */
export const jsonLineFor = (replayed: RootUsage, file?: string): string => {
  const { event, severity, matches, allowlistEntry, rootSession } = decisionOf(replayed);
  const line = {
    ...eventFields(event),
    decision: replayed.decision,
    severity,
    ruleIds: matches.map((match) => match.rule.id),
    ...(allowlistEntry === undefined ? {} : { allowlistEntry }),
    assumedRoot: event.assumedRoot,
    throughConsole: throughConsole(event),
    // Raw, as every value of the line: escapeJson below makes the whole line safe.
    ...sessionLogFields(rootSession, (value) => value),
    ...(replayed.decision === 'alert'
      ? {
          suppressedBefore: replayed.notice.suppressedBefore,
          ...firstSeenFields(replayed.notice.alert, replayed.notice.firstSeen),
        }
      : {}),
    ...(replayed.decision === 'duplicate' && replayed.countedBy !== undefined
      ? { countedBy: replayed.countedBy }
      : {}),
    ...(file === undefined ? {} : { file }),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/** An event the engine ignored, and why: not root usage, so no severity and no rule. */
export const ignoredJsonLineFor = ({ event, reason }: Ignored, file?: string): string => {
  const line = {
    ...eventFields(event),
    decision: 'ignored',
    reason,
    ...(file === undefined ? {} : { file }),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/**
 * A change to the configuration parameter, as the Lambda would announce it: who, and what is
 * known of the change (`outcome`; `unknown`, with `why`, for a write, whose diff replay cannot
 * read).
 */
export const changeJsonLineFor = (
  { change, outcome }: ConfigChangeNotice,
  file?: string,
): string => {
  const { event } = change;
  const line = {
    ...eventFields(event),
    decision: 'alert',
    severity: severityOf(outcome),
    ruleIds: [CONFIG_CHANGE_RULE_ID],
    principalArn: event.identityArn,
    principalType: event.identityType,
    throughConsole: throughConsole(event),
    parameters: change.parameters,
    outcome: outcome.kind,
    ...(outcome.kind === 'unknown' ? { why: outcome.why } : {}),
    ...(file === undefined ? {} : { file }),
  };
  return `${escapeJson(JSON.stringify(line))}\n`;
};

/** The digest of a closed collapse window, as one line (see `digestRecordOf`). */
export const digestJsonLineFor = (digest: WindowDigest): string =>
  `${escapeJson(JSON.stringify(digestRecordOf(digest)))}\n`;

/**
 * `--format json`: one line per root-usage event, change or digest, for jq and other programs,
 * written as the archive is read (file order), so that memory stays flat on any archive.
 */
export const jsonFormat = ({ showFiles, showIgnored }: FormatOptions): ReplayFormat => {
  const fileOf = ({ file }: Origin): string | undefined => (showFiles ? file : undefined);
  return {
    event: (replayed, origin) => {
      if (replayed.decision !== 'ignored') return jsonLineFor(replayed, fileOf(origin));
      return showIgnored ? ignoredJsonLineFor(replayed.ignored, fileOf(origin)) : '';
    },
    change: (notice, origin) => changeJsonLineFor(notice, fileOf(origin)),
    digest: digestJsonLineFor,
    end: () => '',
  };
};
