import { outcomeOf, whenOf } from '../alert/event-facts.js';
import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { emailRow } from '../alert/render/email-row.js';
import { eventExcerpt, eventJsonOf } from '../alert/render/event-json.js';
import { attributeText, filterAttributes } from '../alert/render/filter-attributes.js';
import {
  largestFitting,
  messageByProtocol,
  type SnsPublishRequest,
} from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { chatCode, chatText, chatTrusted } from '../alert/text/chat-escape.js';
import { escapeText } from '../alert/text/escape.js';
import { isAccountId, isRegion } from '../alert/text/shell-safe.js';
import type { ConfigChange, EntryChange, FieldChange } from '../config/compare-documents.js';
import { throughConsole } from '../engine/root-usage.js';
import type { Severity } from '../engine/severity.js';
import { isObject, type TrailEvent } from '../intake/trail-event.js';
import type { ConfigChangeEvent } from './config-change-event.js';

export const CONFIG_CHANGE_RULE_ID = 'config-changed';

/** What could be learned about the document once the call was made. */
export type ChangeOutcome =
  /** The version written and the one before it, read from the parameter's history. */
  | {
      kind: 'compared';
      parameter: string;
      version: number;
      previousVersion: number | undefined;
      diff: ConfigChange;
      /** The version's description: what the writer said about it (`aws ssm put-parameter --description`). */
      reason: string | undefined;
    }
  | { kind: 'deleted'; parameters: readonly string[] }
  /** Labels moved between versions; the monitor reads the newest version, whatever its labels. */
  | { kind: 'relabelled'; parameters: readonly string[] }
  /** AWS refused the call: nothing changed. */
  | { kind: 'refused'; parameters: readonly string[] }
  /** The documents could not be compared (history unreadable, version gone, replay). */
  | { kind: 'unknown'; parameters: readonly string[]; why: string };

/**
 * What the event alone says about a change: a refused call, a deletion and a relabelling need
 * nothing more. A write needs the parameter's history (undefined here) to say what it changed.
 */
export const outcomeFromEvent = (change: ConfigChangeEvent): ChangeOutcome | undefined => {
  const { parameters, event } = change;
  if (event.errorCode !== undefined) return { kind: 'refused', parameters };
  if (change.kind === 'deleted') return { kind: 'deleted', parameters };
  if (change.kind === 'relabelled') return { kind: 'relabelled', parameters };
  return undefined;
};

export interface ConfigChangeNotice {
  change: ConfigChangeEvent;
  outcome: ChangeOutcome;
  /** The monitor reads a path: one document of several changed. */
  path: boolean;
}

/**
 * HIGH when the change widens what is allowlisted, or when it cannot be told that it does not
 * (a deletion, an unknown diff); MEDIUM when it only narrows, or when AWS refused an attempt;
 * LOW when nothing the monitor decides changed (a reworded reason, a label).
 */
export const severityOf = (outcome: ChangeOutcome): Severity => {
  switch (outcome.kind) {
    case 'deleted':
    case 'unknown':
      return 'HIGH';
    case 'refused':
      return 'MEDIUM';
    case 'relabelled':
      return 'LOW';
    case 'compared':
      return outcome.diff.widens ? 'HIGH' : outcome.diff.narrows ? 'MEDIUM' : 'LOW';
  }
};

/** The role behind an assumed-role session, which names whoever holds the role's trust. */
const sessionIssuerOf = (event: TrailEvent): string | undefined => {
  const identity = event.record.userIdentity;
  const context = isObject(identity) ? identity.sessionContext : undefined;
  const issuer = isObject(context) ? context.sessionIssuer : undefined;
  const arn = isObject(issuer) ? issuer.arn : undefined;
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
};

/** The headline: what the change does, in words that fit a subject. */
const verdictOf = (notice: ConfigChangeNotice): string => {
  const { outcome } = notice;
  switch (outcome.kind) {
    case 'deleted':
      return 'configuration deleted';
    case 'refused':
      return 'configuration change refused by AWS';
    case 'relabelled':
      return 'configuration labels changed';
    case 'unknown':
      return 'configuration changed, diff unknown';
    case 'compared':
      if (outcome.diff.after.kind === 'invalid') return 'configuration now invalid';
      return outcome.diff.widens
        ? 'allowlist widened'
        : outcome.diff.narrows
          ? 'allowlist narrowed'
          : 'configuration changed, nothing it allows';
  }
};

/** Its labels are longer than an alert's. */
const LABEL_WIDTH = 22;
const row = (label: string, value: string): string => emailRow(label, value, LABEL_WIDTH);

/**
 * How a medium shows the diff: `value` for what the document says (as attacker-chosen as any
 * event field), `ours` for our own words around it.
 */
interface DiffStyle {
  value: (text: string, maxChars: number) => string;
  ours: (text: string) => string;
}

const EMAIL_STYLE: DiffStyle = { value: escapeText, ours: (text) => text };
const CHAT_STYLE: DiffStyle = { value: chatCode, ours: chatTrusted };

const MARK: Readonly<Record<FieldChange['effect'], string>> = {
  widens: 'WIDENS',
  narrows: 'narrows',
  neutral: 'no effect',
};

const shownValue = (style: DiffStyle, json: string | undefined): string =>
  json === undefined ? style.ours('(absent)') : style.value(json, 300);

const fieldLine = (style: DiffStyle, field: FieldChange): string =>
  `${style.value(field.field, 120)}: ${shownValue(style, field.before)} ${style.ours('->')} ${shownValue(style, field.after)}  ${style.ours(`(${MARK[field.effect]}:`)} ${style.value(field.why, 300)}${style.ours(')')}`;

const entryLines = (style: DiffStyle, entry: EntryChange): string[] => {
  const id = style.value(JSON.stringify(entry.id), 120);
  if (entry.kind === 'added') {
    return [
      `+ allow ${id}: ${style.ours('new entry (WIDENS)')}`,
      ...entry.fields.map((f) => `    ${style.value(f.field, 40)}: ${shownValue(style, f.after)}`),
    ];
  }
  if (entry.kind === 'removed') return [`- allow ${id}: ${style.ours('entry removed (narrows)')}`];
  return [
    `~ allow ${id}: ${style.ours(`(${MARK[entry.effect]})`)}`,
    ...entry.fields.map((f) => `    ${fieldLine(style, f)}`),
  ];
};

/** Every line of the diff, in the order a reviewer reads them: entries, then settings. */
const diffLines = (style: DiffStyle, diff: ConfigChange): string[] => [
  ...diff.entries.flatMap((entry) => entryLines(style, entry)),
  ...diff.settings.map((field) => `~ ${fieldLine(style, field)}`),
];

/** The diff, and the problems of a document that no longer validates. */
const changeLines = (style: DiffStyle, outcome: ChangeOutcome): string[] =>
  outcome.kind === 'compared'
    ? [
        ...diffLines(style, outcome.diff),
        ...(outcome.diff.after.kind === 'invalid'
          ? outcome.diff.after.problems.map((p) => `! ${style.value(p, 500)}`)
          : []),
      ]
    : [];

const parametersText = (parameters: readonly string[]): string =>
  parameters.map((name) => escapeText(name, 300)).join(', ');

/** What the change means for the monitor, in plain sentences. */
const meaningOf = (notice: ConfigChangeNotice): string[] => {
  const { outcome, path } = notice;
  switch (outcome.kind) {
    case 'deleted':
      return path
        ? [
            'A document under the configuration path was deleted, with its history: what it allowed cannot be read back. Its entries no longer allow anything; rule settings it made are back to their defaults.',
          ]
        : [
            'The configuration parameter was deleted, with its history. The function now runs with nothing allowlisted, every rule at its catalog defaults, until a document is pushed again.',
          ];
    case 'refused':
      return ['AWS refused the call, so the document did not change. Someone tried, though.'];
    case 'relabelled':
      return [
        'Only labels moved between versions. root-monitor reads the newest version, whatever its labels, so nothing it allows changed.',
      ];
    case 'unknown':
      return [
        `What the document allowed before and after cannot be compared here: ${escapeText(outcome.why, 300)}. Treat the change as widening until a person has read it.`,
      ];
    case 'compared': {
      const { diff } = outcome;
      const lines: string[] = [];
      if (diff.after.kind === 'invalid') {
        lines.push(
          'The new document does not validate, so root-monitor fails closed: nothing is allowlisted and every rule runs at its catalog defaults until it is fixed.',
        );
      }
      if (diff.before.kind === 'invalid') {
        lines.push('The previous version did not validate (nothing was allowlisted then).');
      }
      lines.push(
        diff.widens
          ? 'The change WIDENS what root-monitor lets pass silently: root activity it alerted on before may now be allowlisted, collapsed or sent at a lower severity.'
          : diff.narrows
            ? 'The change only narrows what is allowlisted.'
            : 'The change alters nothing root-monitor decides.',
      );
      lines.push(
        'The function that received this event already uses the new document; other running copies of it pick it up within CONFIG_MAX_AGE_SECONDS.',
      );
      return lines;
    }
  }
};

const stepsOf = (notice: ConfigChangeNotice): string[] => {
  const parameter = notice.change.parameters[0] ?? 'NAME';
  return [
    'Confirm the change with the person or pipeline named above, through a channel other than this one.',
    `If nobody expected it, read the document: root-monitor config show --parameter ${escapeText(parameter, 300)}`,
    'Restore the last reviewed version: aws ssm get-parameter-history --name NAME lists them all; push the right one back with root-monitor config push --parameter NAME --reason TEXT FILE',
    "Then treat the principal's credentials as compromised until proven otherwise, and review root activity since the change: root-monitor replay on the trail, or aws cloudtrail lookup-events.",
  ];
};

interface Rendered {
  severity: Severity;
  facts: [string, string][];
  diff: string[];
  chatDiff: string[];
  meaning: string[];
  steps: string[];
}

const render = (notice: ConfigChangeNotice): Rendered => {
  const { event } = notice.change;
  const { outcome } = notice;
  const facts: [string, string][] = [
    ['Parameter', parametersText(notice.change.parameters)],
    ['Call', `${escapeText(event.eventName, 80)} (${escapeText(outcomeOf(event).text, 300)})`],
    ['Principal', escapeText(event.identityArn)],
    ['Identity type', escapeText(event.identityType, 80)],
  ];
  const issuer = sessionIssuerOf(event);
  if (issuer !== undefined) facts.push(['Role', escapeText(issuer)]);
  facts.push(
    ['Through the console', throughConsole(event) ? 'yes' : 'no'],
    ['Source IP', escapeText(event.sourceIp)],
    ['User agent', escapeText(event.userAgent)],
    ['Time', whenOf(event)],
    ['Account', escapeText(event.accountId, 80)],
    ['Region', escapeText(event.region, 80)],
    ['Event ID', escapeText(event.eventId, 200)],
  );
  if (outcome.kind === 'compared') {
    facts.push(['Versions', `${outcome.previousVersion ?? '(none)'} -> ${outcome.version}`]);
    facts.push([
      'Reason given',
      outcome.reason === undefined ? '(none)' : escapeText(outcome.reason, 1024),
    ]);
  }
  return {
    severity: severityOf(outcome),
    facts,
    diff: changeLines(EMAIL_STYLE, outcome),
    chatDiff: changeLines(CHAT_STYLE, outcome),
    meaning: meaningOf(notice),
    steps: stepsOf(notice),
  };
};

const omitted = (count: number): string =>
  `[... ${count} more line(s) of the diff not shown: compare the versions with aws ssm get-parameter-history ...]`;

const emailOf = (notice: ConfigChangeNotice, view: Rendered, shown: number): string => {
  const { event } = notice.change;
  const lines = [
    `${view.severity} - root-monitor ${verdictOf(notice)}: ${escapeText(event.identityArn, 200)} called ${escapeText(event.eventName, 80)} on ${parametersText(notice.change.parameters)} at ${whenOf(event)}.`,
    '',
    ...view.meaning,
    '',
    'WHO, WHEN, WHERE',
    ...view.facts.map(([label, text]) => row(label, text)),
  ];
  if (view.diff.length > 0) {
    lines.push('', 'WHAT CHANGED (+ added, - removed, ~ changed)');
    lines.push(...view.diff.slice(0, shown).map((line) => `  ${line}`));
    if (shown < view.diff.length) lines.push(`  ${omitted(view.diff.length - shown)}`);
  }
  lines.push('', 'WHAT TO DO', ...view.steps.map((step, index) => `  ${index + 1}. ${step}`));
  lines.push('', 'CLOUDTRAIL EVENT', eventExcerpt(eventJsonOf(event.record), 20_000), '');
  return lines.join('\n');
};

/** Diff lines in chat at most; the email has every one that fits. */
const CHAT_MAX_LINES = 30;

const chatOf = (notice: ConfigChangeNotice, view: Rendered, shown: number): ChatNotification => {
  const { event } = notice.change;
  const listed = Math.min(shown, CHAT_MAX_LINES);
  const description = [
    ...view.meaning,
    `*Principal:* ${chatCode(event.identityArn)} (${chatText(event.identityType, 80)})`,
    `*From:* ${chatCode(event.sourceIp)}, console: ${throughConsole(event) ? 'yes' : 'no'}, user agent ${chatCode(event.userAgent, 200)}`,
    `*Call:* ${chatText(event.eventName, 80)} on ${notice.change.parameters.map((p) => chatCode(p, 300)).join(', ')} at ${whenOf(event)}`,
  ];
  if (notice.outcome.kind === 'compared' && notice.outcome.reason !== undefined) {
    description.push(`*Reason given:* ${chatText(notice.outcome.reason, 300)}`);
  }
  if (view.chatDiff.length > 0) {
    description.push('*What changed:*', ...view.chatDiff.slice(0, listed));
    if (listed < view.chatDiff.length) description.push(omitted(view.chatDiff.length - listed));
  }
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[view.severity]} *${view.severity}* root-monitor ${verdictOf(notice)}`,
      description: description.join('\n'),
      nextSteps: view.steps,
      keywords: [view.severity, CONFIG_CHANGE_RULE_ID],
    },
    metadata: {
      threadId: 'root-monitor-configuration',
      summary: `root-monitor ${verdictOf(notice)}`,
      eventType: 'ConfigurationChanged',
      additionalContext: {
        severity: view.severity,
        ruleIds: CONFIG_CHANGE_RULE_ID,
        eventId: escapeText(event.eventId, 200),
        eventName: escapeText(event.eventName, 80),
        principalArn: escapeText(event.identityArn, 300),
        principalType: escapeText(event.identityType, 80),
        sourceIp: escapeText(event.sourceIp, 80),
        throughConsole: String(throughConsole(event)),
        parameters: notice.change.parameters.map((p) => escapeText(p, 300)).join(','),
        widens: String(view.severity === 'HIGH'),
      },
    },
  };
};

/**
 * The announcement of a change to the monitor's configuration: who made it, from where, when,
 * and what it opens, entry by entry and field by field. The subject carries no event text; every
 * event field and every document value is escaped, since whoever can write the parameter chose
 * them. When the diff does not fit SNS's limit it is cut with a marker, never the explanation.
 */
export const configChangeAlertFor = (
  notice: ConfigChangeNotice,
  topicArn: string,
): SnsPublishRequest => {
  const { event } = notice.change;
  const view = render(notice);
  const account = isAccountId(event.accountId) ? event.accountId : 'unknown account';
  const region = isRegion(event.region) ? event.region : 'unknown region';
  const MessageAttributes = filterAttributes({
    severity: view.severity,
    eventName: attributeText(event.eventName),
    ruleId: CONFIG_CHANGE_RULE_ID,
    accountId: event.accountId,
  });
  return largestFitting(view.diff.length, (shown) => ({
    TopicArn: topicArn,
    Subject: finishSubject(
      `[${view.severity}] root-monitor ${verdictOf(notice)} - ${account} ${region}`,
    ),
    MessageStructure: 'json',
    Message: messageByProtocol(chatOf(notice, view, shown), emailOf(notice, view, shown)),
    MessageAttributes,
  }));
};
