import { CATALOG } from '../../rules/index.js';
import {
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
  severityOf,
} from '../alert/config-change-alert.js';
import { digestFacts } from '../alert/digest-facts.js';
import { escapeText } from '../alert/escape.js';
import type { WindowDigest } from '../dedup/window-digest.js';
import type { Severity } from '../engine/severity.js';
import type { Paint, StyleName } from './colour.js';
import { decisionOf, type Replayed, timeOf } from './replay-json.js';

/**
 * Event fields are bounded one by one: a 1 MB event name must not become a 1 MB line. Real
 * values are far shorter (an IPv6 address is 39 characters, an event name rarely 40).
 */
const FIELD_CHARS = 64;
/** A dedup key repeats the rule id, account and source address: room for all three. */
const KEY_CHARS = 160;

const field = (value: string, maxChars = FIELD_CHARS): string => escapeText(value, maxChars);

/** The top rule, with how many more matched: the alert names them all, the line only counts. */
const ruleOf = (replayed: Replayed): string => {
  const [top, ...more] = decisionOf(replayed).matches;
  const id = top === undefined ? '-' : top.rule.id;
  return more.length === 0 ? id : `${id} +${more.length}`;
};

/** Columns wide enough for every value of ours; event values longer than this push the rest. */
const WIDTH = {
  time: '2026-01-01 00:00:00'.length,
  decision: 'allowlisted'.length,
  severity: 'CRITICAL'.length,
  rule: Math.max(CONFIG_CHANGE_RULE_ID.length, ...CATALOG.map((rule) => rule.id.length)),
  account: '111122223333'.length,
  region: 'eu-central-1'.length,
  event: 'DeactivateMFADevice'.length,
  source: '203.0.113.255'.length,
} as const;

const SEVERITY_STYLE: Readonly<Record<Severity, StyleName>> = {
  CRITICAL: 'red',
  HIGH: 'yellow',
  MEDIUM: 'cyan',
  LOW: 'dim',
};

const DECISION_STYLE: Readonly<Record<Replayed['decision'] | 'digest', StyleName>> = {
  alert: 'bold',
  allowlisted: 'green',
  duplicate: 'dim',
  // A digest is sent, as an alert is.
  digest: 'bold',
};

/** What covered the event (allowlisted), or the dedup key it was claimed under. */
const coverOf = (replayed: Replayed): string => {
  if (replayed.decision === 'allowlisted') {
    return `entry ${field(replayed.allowlisted.allowlistEntry)}`;
  }
  const alert = replayed.decision === 'alert' ? replayed.notice.alert : replayed.alert;
  const key = `key ${field(alert.dedupKey, KEY_CHARS)}`;
  // An entry matched but could not silence a rule that is not allowlistable: a reviewer must see it.
  return alert.allowlistEntry === undefined
    ? key
    : `${key}  entry ${field(alert.allowlistEntry)} (cannot silence)`;
};

const COLUMNS = [
  'time',
  'decision',
  'severity',
  'rule',
  'account',
  'region',
  'event',
  'source',
] as const;

const joined = (cells: Readonly<Record<(typeof COLUMNS)[number], string>>, last: string): string =>
  `${COLUMNS.map((column) => cells[column]).join('  ')}  ${last}`;

/** Pads plain text to its column; styling comes after, since escape codes take no width. */
const cell = (text: string, width: number, paint: Paint, style?: StyleName): string => {
  const padded = text.padEnd(width);
  if (style === undefined) return padded;
  return paint(style, text) + padded.slice(text.length);
};

/** `2026-10-01 10:00:00` */
const timeCell = (time: Date | undefined, paint: Paint): string =>
  cell(timeOf(time).replace('T', ' ').replace(/Z$/, ''), WIDTH.time, paint);

/** The column names, printed once above the first event. */
export const headerLine = (paint: Paint): string =>
  `${paint(
    'dim',
    joined(
      {
        time: 'TIME (UTC)'.padEnd(WIDTH.time),
        decision: 'DECISION'.padEnd(WIDTH.decision),
        severity: 'SEVERITY'.padEnd(WIDTH.severity),
        rule: 'RULE'.padEnd(WIDTH.rule),
        account: 'ACCOUNT'.padEnd(WIDTH.account),
        region: 'REGION'.padEnd(WIDTH.region),
        event: 'EVENT'.padEnd(WIDTH.event),
        source: 'SOURCE'.padEnd(WIDTH.source),
      },
      'ALLOWLIST ENTRY / DEDUP KEY',
    ),
  )}\n`;

/**
 * One root-usage event on one line, in fixed columns so a run of them reads as a table. Every
 * event value is escaped (a newline in an event name shows as `\n`, an escape sequence as
 * `\u001b`), so no event can start a line of its own or restyle the terminal.
 */
export const lineFor = (replayed: Replayed, paint: Paint): string => {
  const { event, severity } = decisionOf(replayed);
  return `${joined(
    {
      time: timeCell(event.eventTime, paint),
      decision: cell(replayed.decision, WIDTH.decision, paint, DECISION_STYLE[replayed.decision]),
      severity: cell(severity, WIDTH.severity, paint, SEVERITY_STYLE[severity]),
      rule: cell(ruleOf(replayed), WIDTH.rule, paint),
      account: cell(field(event.accountId), WIDTH.account, paint),
      region: cell(field(event.region), WIDTH.region, paint),
      event: cell(field(event.eventName), WIDTH.event, paint),
      source: cell(field(event.sourceIp), WIDTH.source, paint),
    },
    coverOf(replayed),
  ).trimEnd()}\n`;
};

/**
 * The digest of a closed collapse window, where the window closed: its time, how many events it
 * counted where an event line names the event, and its dedup key. A follow-up digest (events
 * counted after the window's earlier digest) says how many that one reported.
 */
export const digestLineFor = (digest: WindowDigest, paint: Paint): string => {
  const facts = digestFacts(digest);
  const count = digest.events.length;
  const events =
    digest.reportedBefore === 0
      ? `${count} event${count === 1 ? '' : 's'}`
      : `${count} more event${count === 1 ? '' : 's'}`;
  const followUp =
    digest.reportedBefore === 0 ? '' : `  follow-up: ${digest.reportedBefore} reported before`;
  return `${joined(
    {
      time: timeCell(
        Number.isFinite(digest.closesAt) ? new Date(digest.closesAt) : undefined,
        paint,
      ),
      decision: cell('digest', WIDTH.decision, paint, DECISION_STYLE.digest),
      severity: cell(facts.severity, WIDTH.severity, paint, SEVERITY_STYLE[facts.severity]),
      rule: cell(field(facts.ruleId), WIDTH.rule, paint),
      account: cell(field(facts.accountId), WIDTH.account, paint),
      region: cell('-', WIDTH.region, paint),
      event: cell(events, WIDTH.event, paint),
      source: cell(field(facts.sourceIp), WIDTH.source, paint),
    },
    `key ${field(digest.key, KEY_CHARS)}${followUp}`,
  ).trimEnd()}\n`;
};

/** What is known of a change: who made it, and why its diff is not shown when it is not. */
const changeCoverOf = ({ change, outcome }: ConfigChangeNotice): string => {
  const what = `${change.parameters.map((name) => field(name, KEY_CHARS)).join(', ')} by ${field(change.event.identityArn, KEY_CHARS)}`;
  switch (outcome.kind) {
    case 'unknown':
      return `${what}; diff unknown: ${field(outcome.why, KEY_CHARS)}`;
    case 'compared':
      return what;
    default:
      return `${what}; ${outcome.kind}`;
  }
};

/** A change to the configuration parameter, on one line in the same columns as a root event. */
export const changeLineFor = (notice: ConfigChangeNotice, paint: Paint): string => {
  const { event } = notice.change;
  const severity = severityOf(notice.outcome);
  return `${joined(
    {
      time: timeCell(event.eventTime, paint),
      decision: cell('alert', WIDTH.decision, paint, DECISION_STYLE.alert),
      severity: cell(severity, WIDTH.severity, paint, SEVERITY_STYLE[severity]),
      rule: cell(CONFIG_CHANGE_RULE_ID, WIDTH.rule, paint),
      account: cell(field(event.accountId), WIDTH.account, paint),
      region: cell(field(event.region), WIDTH.region, paint),
      event: cell(field(event.eventName), WIDTH.event, paint),
      source: cell(field(event.sourceIp), WIDTH.source, paint),
    },
    changeCoverOf(notice),
  ).trimEnd()}\n`;
};
