import { escapeText } from '../../alert/text/escape.js';
import { utcText } from '../../alert/text/times.js';
import {
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
  severityOf,
} from '../../config-watch/config-change-alert.js';
import { digestFacts } from '../../digests/digest-facts.js';
import type { WindowDigest } from '../../digests/window-digest.js';
import type { Ignored } from '../../engine/decision.js';
import type { Severity } from '../../engine/severity.js';
import { firstSeenLabel } from '../../first-seen/first-seen-text.js';
import { type TrailEvent, UNKNOWN } from '../../intake/trail-event.js';
import { sessionNote } from '../../root-sessions/session-text.js';
import type { StyleName } from '../colour.js';
import type { Column } from '../text-table.js';
import type { Origin } from './formats/format.js';
import { decisionOf, type RootUsage } from './replayed.js';

const SEVERITY_STYLE: Readonly<Record<Severity, StyleName>> = {
  CRITICAL: 'red',
  HIGH: 'yellow',
  MEDIUM: 'cyan',
  LOW: 'dim',
};

const DECISION_STYLE: Readonly<Record<RootUsage['decision'] | 'digest' | 'ignored', StyleName>> = {
  alert: 'bold',
  allowlisted: 'green',
  duplicate: 'dim',
  // A digest is sent, as an alert is.
  digest: 'bold',
  ignored: 'dim',
};

/** A style of ours, looked up by the text a cell shows; none for any other text. */
const styleIn =
  (styles: Readonly<Record<string, StyleName>>) =>
  (text: string): StyleName | undefined =>
    Object.hasOwn(styles, text) ? styles[text] : undefined;

/**
 * The table's columns. Each is as wide as its widest value, up to its limit, past which a value
 * is cut with an ellipsis: honest values fit (an IPv6 address is at most 45 characters, an event
 * id 36, an event name rarely 40), and a hostile one cannot push the columns after it.
 */
export const COLUMNS = [
  { heading: 'TIME (UTC)', maxWidth: '2026-01-01 00:00:00'.length },
  { heading: 'DECISION', maxWidth: 'allowlisted'.length, styleOf: styleIn(DECISION_STYLE) },
  { heading: 'SEVERITY', maxWidth: 'CRITICAL'.length, styleOf: styleIn(SEVERITY_STYLE) },
  { heading: 'RULE', maxWidth: 40 },
  { heading: 'ACCOUNT', maxWidth: '111122223333'.length },
  { heading: 'REGION', maxWidth: 16 },
  { heading: 'EVENT', maxWidth: 40 },
  { heading: 'SOURCE', maxWidth: 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255'.length },
  { heading: 'EVENT ID', maxWidth: 40 },
] as const satisfies readonly Column[];

/** With `--show-files`: the file an event came from, its end kept when the path is long. */
export const FILE_COLUMN: Column = { heading: 'FILE', maxWidth: 60, keepEnd: true };

/** The free last column: what covered the event, counted it, or why it was ignored. */
export const NOTE_HEADING = 'NOTE';

/** One line of the table, before widths are known. */
export interface Row {
  /** Event time (a digest: when its window closed), epoch ms; undefined sorts last. */
  at: number | undefined;
  /** A digest goes before the events of its closing instant, as the Lambda's schedule sends it. */
  isDigest: boolean;
  /** One value per {@link COLUMNS} entry, as the event gives it: the table escapes and fits it. */
  cells: string[];
  /** The file, for `--show-files`; none for a digest, which no file holds. */
  file: string | undefined;
  /** Already escaped. */
  note: string;
  /**
   * For an alert first seen in the archive, its source (with the account) and the words the note
   * says it in: the table keeps them on the earliest such alert of each source only.
   */
  firstSeen?: { source: string; note: string };
}

/** A note quotes event values: bounded one by one, so a 1 MB field cannot make a 1 MB line. */
const NOTE_FIELD_CHARS = 160;

const field = (value: string): string => escapeText(value, NOTE_FIELD_CHARS);

/** `-` where CloudTrail gave no value: `Unknown` would read as if it were one. */
const known = (value: string): string => (value === UNKNOWN || value === '' ? '-' : value);

/** The top rule, with how many more matched: the alert names them all, the line only counts. */
const ruleOf = (replayed: RootUsage): string => {
  const [top, ...more] = decisionOf(replayed).matches;
  const id = top === undefined ? '-' : top.rule.id;
  return more.length === 0 ? id : `${id} +${more.length}`;
};

/** `2026-10-01 10:00:00`, or `-` */
const timeText = (time: Date | undefined): string =>
  time === undefined
    ? '-'
    : utcText(time, { fraction: 'kept' }).replace('T', ' ').replace(/Z$/, '');

/** The cells every line shows of its event, after the decision, severity and rule. */
const eventCells = (event: TrailEvent): string[] => [
  known(event.accountId),
  known(event.region),
  known(event.eventName),
  known(event.sourceIp),
  known(event.eventId),
];

/**
 * What covered the event, or what counted it: the allowlist entry, the alert whose window
 * counted a duplicate (when replay knows it), an entry that could not silence a locked rule.
 */
const noteOf = (replayed: RootUsage): string => {
  const { rootSession } = decisionOf(replayed);
  const session = rootSession === undefined ? '' : sessionNote(rootSession, field);
  if (replayed.decision === 'allowlisted') {
    return [`entry ${field(replayed.allowlisted.allowlistEntry)}`, session]
      .filter((part) => part !== '')
      .join('  ');
  }
  const counted =
    replayed.decision === 'duplicate' && replayed.countedBy !== undefined
      ? `counted by ${field(replayed.countedBy)}`
      : '';
  const { allowlistEntry } = decisionOf(replayed);
  // An entry matched but could not silence a rule that is not allowlistable: a reviewer must see it.
  const entry =
    allowlistEntry === undefined ? '' : `entry ${field(allowlistEntry)} (cannot silence)`;
  return [counted, entry, session].filter((part) => part !== '').join('  ');
};

/** A root-usage event. Every event value is escaped where the table shows it. */
export const eventRow = (replayed: RootUsage, { file }: Origin): Row => {
  const { event, severity } = decisionOf(replayed);
  return {
    at: event.eventTime?.getTime(),
    isDigest: false,
    cells: [
      timeText(event.eventTime),
      replayed.decision,
      severity,
      ruleOf(replayed),
      ...eventCells(event),
    ],
    file,
    note: noteOf(replayed),
    ...firstSeenOf(replayed, event),
  };
};

/** The mark of an alert first seen in the archive, keyed by account and source. */
const firstSeenOf = (replayed: RootUsage, event: TrailEvent): Pick<Row, 'firstSeen'> => {
  const mark = replayed.decision === 'alert' ? replayed.notice.firstSeen : undefined;
  return mark === undefined
    ? {}
    : { firstSeen: { source: `${event.accountId}#${mark.source}`, note: firstSeenLabel(mark) } };
};

/** An event the engine ignored: not root usage, so no severity and no rule; the reason why. */
export const ignoredRow = ({ event, reason }: Ignored, { file }: Origin): Row => ({
  at: event.eventTime?.getTime(),
  isDigest: false,
  cells: [timeText(event.eventTime), 'ignored', '-', '-', ...eventCells(event)],
  file,
  note: field(reason),
});

/**
 * The digest of a closed collapse window, where the window closed: its time, how many events it
 * counted where an event line names the event, and the alert that opened it. A follow-up digest
 * (events counted after the window's earlier digest) says how many that one reported.
 */
export const digestRow = (digest: WindowDigest): Row => {
  const facts = digestFacts(digest);
  const count = digest.events.length;
  const events =
    digest.reportedBefore === 0
      ? `${count} event${count === 1 ? '' : 's'}`
      : `${count} more event${count === 1 ? '' : 's'}`;
  const followUp =
    digest.reportedBefore === 0 ? '' : `  follow-up: ${digest.reportedBefore} reported before`;
  const closes = Number.isFinite(digest.closesAt) ? new Date(digest.closesAt) : undefined;
  return {
    at: closes?.getTime(),
    isDigest: true,
    cells: [
      timeText(closes),
      'digest',
      facts.severity,
      facts.ruleId,
      known(facts.accountId),
      '-',
      events,
      known(facts.sourceIp),
      // Not an event: the alert that opened the window has the id.
      '-',
    ],
    file: undefined,
    note: `window opened by ${field(digest.openerId)}${followUp}`,
  };
};

/** What is known of a change: who made it, and why its diff is not shown when it is not. */
const changeNoteOf = ({ change, outcome }: ConfigChangeNotice): string => {
  const what = `${change.parameters.map(field).join(', ')} by ${field(change.event.identityArn)}`;
  switch (outcome.kind) {
    case 'unknown':
      return `${what}; diff unknown: ${field(outcome.why)}`;
    case 'compared':
      return what;
    default:
      return `${what}; ${outcome.kind}`;
  }
};

/** A change to the configuration parameter, in the same columns as a root event. */
export const changeRow = (notice: ConfigChangeNotice, { file }: Origin): Row => {
  const { event } = notice.change;
  const severity = severityOf(notice.outcome);
  return {
    at: event.eventTime?.getTime(),
    isDigest: false,
    cells: [
      timeText(event.eventTime),
      'alert',
      severity,
      CONFIG_CHANGE_RULE_ID,
      ...eventCells(event),
    ],
    file,
    note: changeNoteOf(notice),
  };
};
