import { windowLookupCommands } from '../alert/lookup-command.js';
import { threadIdOf } from '../alert/render/chat.js';
import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { emailRow } from '../alert/render/email-row.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import {
  fitsSns,
  largestFitting,
  messageByProtocol,
  type SnsPublishRequest,
} from '../alert/render/sns-request.js';
import { finishSubject, SUBJECT_MAX_CHARS } from '../alert/render/subject.js';
import { chatCode, chatText, chatTrusted } from '../alert/text/chat-escape.js';
import { durationText } from '../alert/text/durations.js';
import { escapeText } from '../alert/text/escape.js';
import { accountOrPlaceholder, isAccountId, isIpAddress } from '../alert/text/shell-safe.js';
import { utcText } from '../alert/text/times.js';
import type { CountedEvent } from '../dedup/counted-event.js';
import { type DigestFacts, digestFacts } from './digest-facts.js';
import type { WindowDigest } from './window-digest.js';

/** The `event_name` attribute and chat event type of every digest. */
export const DIGEST_EVENT_NAME = 'WindowDigest';

/** An event name or source is an API's name; anything longer is not honest, and is cut. */
const NAME_CHARS = 128;
/** A key repeats the rule id, account and source address: room for all three. */
const KEY_CHARS = 256;
/** Events listed in chat at most, and event names and failures named: a card is read on a phone. */
const CHAT_MAX_EVENTS = 20;
const CHAT_MAX_COUNTS = 10;
const CHAT_FIELD_CHARS = 128;

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** How much of the digest's long lists a request carries; SNS's size limit decides. */
interface Shown {
  /** Events that matched no rule, listed one by one. */
  events: number;
  /** Rows of the counts by event name and of the failed calls; cut only when no event fits. */
  counts: number;
}

const notShownLine = (omitted: number, what: string): string =>
  `[... ${omitted} more ${what} not shown: list them with the commands below ...]`;

const resultOf = (event: CountedEvent): string =>
  event.errorCode === undefined ? 'succeeded' : `failed: ${event.errorCode}`;

/** Our own words for what a digest is: the opening alert, its window, and what it held back. */
const whatThisIs = (digest: WindowDigest, facts: DigestFacts, text: Text): string =>
  `The alert for event ${text.value(digest.openerId)} at ${utcText(digest.openedAt)} (UTC) opened a ${durationText(digest.closesAt - digest.openedAt)} collapse window for rule ${text.value(facts.ruleId)}: ${facts.principal === undefined ? `root events from account ${text.value(facts.accountId)} and source address ${text.value(facts.sourceIp)}` : `calls by ${text.value(facts.principal, KEY_CHARS)} in account ${text.value(facts.accountId)}`} within it were counted instead of alerting one by one. The window closed at ${utcText(digest.closesAt)} (UTC); this digest reports what it counted.`;

/** Our own words for counted events older than the opener; undefined when there are none. */
const beforeOpenerText = (digest: WindowDigest, facts: DigestFacts): string | undefined => {
  const { count, earliestAt } = facts.beforeOpener;
  if (count === 0) return undefined;
  return `${plural(count, 'event')} happened before the opening alert's event and arrived after it (concurrent deliveries, or a CloudTrail log file); the earliest at ${utcText(earliestAt)} (UTC), ${durationText(digest.openedAt - earliestAt)} before it. They are counted here, not alerted one by one.`;
};

/** Our own words for counted events read from trail files; undefined when there are none. */
const fromTrailFilesText = (facts: DigestFacts): string | undefined => {
  const { count, longestWaitMs } = facts.fromTrailFiles;
  if (count === 0) return undefined;
  return `${plural(count, 'event')} came from CloudTrail log files, not in real time: EventBridge did not deliver ${count === 1 ? 'it' : 'them'}, and the latest was counted ${durationText(longestWaitMs)} after it happened. Check that the root-usage rule and its forwarders are enabled (root-monitor doctor).`;
};

const followUpOf = (digest: WindowDigest): string | undefined =>
  digest.reportedBefore === 0
    ? undefined
    : `this window's earlier digest reported ${plural(digest.reportedBefore, 'event')}. The ${plural(digest.events.length, 'event')} below ${digest.events.length === 1 ? 'was' : 'were'} counted after it was sent (delivered late, for example by a CloudTrail log file or a redrive), so ${digest.events.length === 1 ? 'it is' : 'they are'} reported now; the window counted ${digest.reportedBefore + digest.events.length} in all.`;

/** What the person on call does with a digest, in order. */
const STEPS = [
  'Compare every call above with the task root was used for when the first alert was answered: the same person, the same work, the same address. Calls that matched no rule are the ones no rule judged: read each one.',
  'Failed calls were refused by AWS, so someone tried them: a run of AccessDenied or failed sign-ins from one address is probing, not a task.',
  'If any call is unexplained, escalate as for the opening alert and follow its runbook: treat the root credentials as compromised (change the password, remove root access keys, check the MFA device), and review what the calls created or changed.',
];

/** How a medium writes event text (escaped) and our own text. */
interface Text {
  value(value: string, maxChars?: number): string;
}

const EMAIL_TEXT: Text = { value: (value, maxChars = NAME_CHARS) => escapeText(value, maxChars) };

const countRows = (facts: DigestFacts, shown: number): { names: number; failed: number } => {
  const names = Math.min(shown, facts.byName.length);
  return { names, failed: Math.min(shown - names, facts.failed.length) };
};

const emailOf = (digest: WindowDigest, facts: DigestFacts, shown: Shown): string => {
  const text = EMAIL_TEXT;
  const count = digest.events.length;
  const rows = countRows(facts, shown.counts);
  const lines = [
    `${facts.severity} - Root window digest: ${plural(count, 'more root event')} from ${text.value(facts.sourceIp)} in AWS account ${text.value(facts.accountId)} followed the alert for event ${text.value(digest.openerId)} at ${utcText(digest.openedAt)} (UTC), and ${count === 1 ? 'was' : 'were'} counted in its collapse window instead of alerting one by one.`,
    '',
  ];
  const followUp = followUpOf(digest);
  if (followUp !== undefined) lines.push(`FOLLOW-UP: ${followUp}`, '');
  lines.push(
    'WHAT THIS IS',
    `  ${whatThisIs(digest, facts, text)}`,
    ...[beforeOpenerText(digest, facts), fromTrailFilesText(facts)].flatMap((line) =>
      line === undefined ? [] : [`  ${line}`],
    ),
    '',
    'WINDOW',
    emailRow('Severity', `${facts.severity} (the most severe of its events, never below MEDIUM)`),
    emailRow('Rule', text.value(facts.ruleId)),
    emailRow('Account', text.value(facts.accountId)),
    emailRow('Source IP', text.value(facts.sourceIp)),
    emailRow('Opened by', `the alert for event ${text.value(digest.openerId)}`),
    emailRow('Window opened', `${utcText(digest.openedAt)} (UTC)`),
    emailRow('Window closed', `${utcText(digest.closesAt)} (UTC)`),
    emailRow(
      'Events',
      digest.reportedBefore === 0
        ? String(count)
        : `${count} in this digest, ${digest.reportedBefore} reported before, ${digest.reportedBefore + count} in all`,
    ),
    emailRow('First event', `${utcText(facts.firstAt)} (UTC)`),
    emailRow('Last event', `${utcText(facts.lastAt)} (UTC)`),
    emailRow('Before the alert', String(facts.beforeOpener.count)),
    emailRow('From trail files', String(facts.fromTrailFiles.count)),
    emailRow('Failed calls', String(facts.failedTotal)),
    emailRow('Matched no rule', String(facts.unmatched.length)),
    emailRow('Dedup key', text.value(digest.key, KEY_CHARS)),
    '',
    `EVENTS BY NAME (${plural(count, 'event')}, most first)`,
    ...facts.byName
      .slice(0, rows.names)
      .map(({ eventName, count }) => `  ${String(count).padStart(7)}  ${text.value(eventName)}`),
  );
  if (rows.names < facts.byName.length) {
    lines.push(`  ${notShownLine(facts.byName.length - rows.names, 'event name(s)')}`);
  }
  lines.push('', `FAILED CALLS (${facts.failedTotal})`);
  if (facts.failedTotal === 0) lines.push('  none: every call succeeded');
  lines.push(
    ...facts.failed
      .slice(0, rows.failed)
      .map(
        ({ errorCode, eventName, count }) =>
          `  ${String(count).padStart(7)}  ${text.value(errorCode)} on ${text.value(eventName)}`,
      ),
  );
  if (rows.failed < facts.failed.length) {
    lines.push(`  ${notShownLine(facts.failed.length - rows.failed, 'kind(s) of failure')}`);
  }
  lines.push(
    '',
    `EVENTS THAT MATCHED NO RULE (${facts.unmatched.length}; no rule of the catalog describes them, so each is listed)`,
  );
  if (facts.unmatched.length === 0) lines.push('  none: a rule of the catalog matched every event');
  lines.push(
    ...facts.unmatched
      .slice(0, shown.events)
      .map(
        (event) =>
          `  ${utcText(event.at)}  ${text.value(event.eventName)} (${text.value(event.eventSource)})  ${text.value(event.region, 64)}  ${text.value(resultOf(event))}  eventID ${text.value(event.eventId)}`,
      ),
  );
  if (shown.events < facts.unmatched.length) {
    lines.push(`  ${notShownLine(facts.unmatched.length - shown.events, 'event(s)')}`);
  }
  lines.push(
    '',
    `LIST ROOT ACTIVITY IN THE WINDOW (run with credentials for account ${accountOrPlaceholder(facts.accountId)}; event history is per account and per Region)`,
  );
  if (!isAccountId(facts.accountId)) {
    lines.push('  # The events carry no valid 12-digit account ID: find the account first.');
  }
  for (const { purpose, command } of lookupsOf(digest)) {
    lines.push(`  # ${purpose}`, `  ${command}`);
  }
  lines.push('', 'WHAT TO DO', ...STEPS.map((step, index) => `  ${index + 1}. ${step}`), '');
  return lines.join('\n');
};

const lookupsOf = (digest: WindowDigest) =>
  windowLookupCommands(
    digest.events.map((event) => event.region),
    new Date(Number.isFinite(digest.openedAt) ? digest.openedAt : 0),
    new Date(Number.isFinite(digest.closesAt) ? digest.closesAt : 0),
  );

const headlineOf = (digest: WindowDigest): string =>
  digest.reportedBefore === 0
    ? `Root window digest: ${plural(digest.events.length, 'root event')} after the alert`
    : `Root window digest follow-up: ${plural(digest.events.length, 'more root event')}`;

const chatOf = (digest: WindowDigest, facts: DigestFacts, shown: Shown): ChatNotification => {
  const code = (value: string, maxChars = CHAT_FIELD_CHARS): string => chatCode(value, maxChars);
  const text: Text = { value: (value, maxChars) => code(value, maxChars) };
  const listed = Math.min(shown.events, CHAT_MAX_EVENTS);
  const names = facts.byName.slice(0, CHAT_MAX_COUNTS);
  const failed = facts.failed.slice(0, CHAT_MAX_COUNTS);
  const description = [
    `*${facts.severity}* root window digest: account ${code(facts.accountId)}, source IP ${code(facts.sourceIp)}, rule ${code(facts.ruleId)}`,
  ];
  const followUp = followUpOf(digest);
  if (followUp !== undefined) description.push(`*Follow-up:* ${chatTrusted(followUp)}`);
  description.push(
    whatThisIs(digest, facts, text),
    `*Events:* ${digest.events.length}, first at ${utcText(facts.firstAt)}, last at ${utcText(facts.lastAt)} (UTC)`,
    ...[beforeOpenerText(digest, facts), fromTrailFilesText(facts)].flatMap((line) =>
      line === undefined ? [] : [chatTrusted(line)],
    ),
    `*By name:* ${names.map(({ eventName, count }) => `${code(eventName)} ×${count}`).join(', ')}${facts.byName.length > names.length ? `, and ${plural(facts.byName.length - names.length, 'more name')}` : ''}`,
    `*Failed calls:* ${facts.failedTotal}${failed.length === 0 ? '' : `: ${failed.map(({ errorCode, eventName, count }) => `${code(errorCode)} on ${code(eventName)} ×${count}`).join(', ')}`}${facts.failed.length > failed.length ? `, and ${plural(facts.failed.length - failed.length, 'more kind')}` : ''}`,
    `*Matched no rule:* ${facts.unmatched.length}`,
    ...facts.unmatched
      .slice(0, listed)
      .map(
        (event) =>
          `• ${utcText(event.at)} ${code(event.eventName)} (${code(event.eventSource)}) ${code(event.region, 64)} ${code(resultOf(event))}`,
      ),
  );
  if (listed < facts.unmatched.length) {
    description.push(
      `${facts.unmatched.length - listed} more not shown: the email lists ${shown.events > listed ? 'more' : 'what fits'}, the commands below list them all.`,
    );
  }
  for (const { purpose, command } of lookupsOf(digest)) {
    description.push(`*${chatTrusted(purpose)}:*`, `\`${chatTrusted(command)}\``);
  }
  const keywords: string[] = [facts.severity, escapeText(facts.ruleId, 64), DIGEST_EVENT_NAME];
  if (isAccountId(facts.accountId)) keywords.push(facts.accountId);
  return {
    version: '1.0',
    source: 'custom',
    id: escapeText(
      `digest-${digest.openerId}-${digest.reportedBefore + digest.events.length}`,
      256,
    ),
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[facts.severity]} *${facts.severity}* ${headlineOf(digest)}`,
      description: description.join('\n'),
      nextSteps: STEPS.map(chatTrusted),
      keywords,
    },
    metadata: {
      threadId: threadIdOf(digest.key),
      summary: `${facts.severity} ${headlineOf(digest)} in ${chatText(facts.accountId, 32)} from ${chatText(facts.sourceIp, 64)}`,
      eventType: DIGEST_EVENT_NAME,
      ...(isAccountId(facts.accountId)
        ? { relatedResources: [`arn:aws:iam::${facts.accountId}:root`] }
        : {}),
      additionalContext: additionalContextOf(digest, facts),
    },
  };
};

/** The digest for machines: strings only, escaped and bounded, as an alert's. */
const additionalContextOf = (digest: WindowDigest, facts: DigestFacts): Record<string, string> => {
  const text = (value: string): string => escapeText(value, 256);
  return {
    severity: facts.severity,
    ruleIds: text(facts.ruleId),
    dedupKey: text(digest.key),
    accountId: text(facts.accountId),
    sourceIp: text(facts.sourceIp),
    openerEventId: text(digest.openerId),
    windowOpenedAt: utcText(digest.openedAt),
    windowClosesAt: utcText(digest.closesAt),
    firstEventTime: utcText(facts.firstAt),
    lastEventTime: utcText(facts.lastAt),
    events: String(digest.events.length),
    failed: String(facts.failedTotal),
    unmatched: String(facts.unmatched.length),
    reportedBefore: String(digest.reportedBefore),
    beforeAlert: String(facts.beforeOpener.count),
    fromTrailFiles: String(facts.fromTrailFiles.count),
  };
};

/**
 * `[MEDIUM] Root window digest: 5 root events after the alert - 111122223333 203.0.113.7`, from
 * structured values only: the account and address appear when well formed, and the address is
 * dropped before anything else is cut.
 */
export const digestSubjectOf = (digest: WindowDigest, facts = digestFacts(digest)): string => {
  const head = `[${facts.severity}] ${headlineOf(digest)}`;
  const account = isAccountId(facts.accountId) ? facts.accountId : 'unknown account';
  const withAddress = `${head} - ${account} ${isIpAddress(facts.sourceIp) ? facts.sourceIp : 'unknown address'}`;
  return finishSubject(
    withAddress.length <= SUBJECT_MAX_CHARS ? withAddress : `${head} - ${account}`,
  );
};

/**
 * The SNS Publish request for a closed collapse window's digest. When it does not fit SNS's size
 * limit, the list of events that matched no rule is cut with a visible count of those left out;
 * the counts, times and steps are never cut (the counts by name only if not a single event fits
 * beside them, which no honest window reaches).
 */
export const digestMessageFor = (digest: WindowDigest, topicArn: string): SnsPublishRequest => {
  const facts = digestFacts(digest);
  const Subject = digestSubjectOf(digest, facts);
  const MessageAttributes = filterAttributes({
    severity: facts.severity,
    eventName: DIGEST_EVENT_NAME,
    ruleId: finishSubject(facts.ruleId),
    accountId: facts.accountId,
  });
  const build = (shown: Shown): SnsPublishRequest => ({
    TopicArn: topicArn,
    Subject,
    MessageStructure: 'json',
    Message: messageByProtocol(chatOf(digest, facts, shown), emailOf(digest, facts, shown)),
    MessageAttributes,
  });
  const allCounts = facts.byName.length + facts.failed.length;
  const request = largestFitting(facts.unmatched.length, (events) =>
    build({ events, counts: allCounts }),
  );
  if (fitsSns(request)) return request;
  return largestFitting(allCounts, (counts) => build({ events: 0, counts }));
};
