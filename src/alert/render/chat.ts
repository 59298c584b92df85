import { createHash } from 'node:crypto';
import { firstSeenFields } from '../../first-seen/first-seen-text.js';
import { UNKNOWN } from '../../intake/trail-event.js';
import { sessionLogFields } from '../../root-sessions/session-text.js';
import { type AlertFacts, alertFacts } from '../alert-facts.js';
import type { AlertNotice } from '../alert-notice.js';
import { chatCode, chatText, chatTrusted } from '../text/chat-escape.js';
import { escapeText } from '../text/escape.js';
import { isAccountId, isRegion } from '../text/shell-safe.js';
import { utcText } from '../text/times.js';
import { type ChatNotification, SEVERITY_EMOJI } from './chat-notification.js';
import { chatEventJsonOf, eventExcerpt } from './event-json.js';

/**
 * Event JSON shown in chat at most: enough to recognise the call; the email carries the rest,
 * and a chat message the size of a CloudTrail record buries the runbook.
 */
export const CHAT_EVENT_MAX_CHARS = 3000;

/** Values in chat are shorter than in email: a chat card is read on a phone. */
const CHAT_FIELD_MAX_CHARS = 256;

export interface ChatOptions {
  /**
   * Characters of event JSON to include; never more than {@link CHAT_EVENT_MAX_CHARS}.
   * @default CHAT_EVENT_MAX_CHARS
   */
  eventChars?: number;
}

const code = (value: string): string => chatCode(value, CHAT_FIELD_MAX_CHARS);

/** One chat thread per dedup key: later alerts for a collapsing key, and its window digests, gather under the first. */
export const threadIdOf = (dedupKey: string): string =>
  `root-monitor-${createHash('sha256').update(dedupKey).digest('hex').slice(0, 32)}`;

/**
 * The alert as an AWS Chatbot custom notification. Every event value is escaped for Slack and
 * Teams markdown (no mention, link, emphasis or line break can come from the event), and the
 * structured alert rides in `metadata.additionalContext` for machines reading the topic.
 */
export const chatFor = (notice: AlertNotice, options: ChatOptions = {}): ChatNotification => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const facts = alertFacts(notice);
  const { top } = facts;
  const eventChars = Math.min(options.eventChars ?? CHAT_EVENT_MAX_CHARS, CHAT_EVENT_MAX_CHARS);

  const description: string[] = [
    `*${alert.severity}* ${facts.caller === undefined ? 'root user activity' : chatTrusted(top.title)} in account ${code(event.accountId)}, Region ${code(event.region)}`,
    `*Event:* ${code(event.eventName)} (${code(event.eventSource)}) at ${facts.when}`,
    `*Source IP:* ${code(event.sourceIp)}`,
    `*User agent:* ${code(event.userAgent)}`,
    `*Result:* ${code(facts.outcome.text)}`,
    `*MFA used:* ${code(facts.mfa)}`,
    `*Session:* ${facts.session}`,
  ];
  if (facts.late !== undefined) description.splice(1, 0, `*Late:* ${facts.late(code)}`);
  if (facts.firstSeen !== undefined) description.splice(1, 0, chatTrusted(facts.firstSeen));
  if (facts.accessKey !== undefined) description.push(`*Access key:* ${code(facts.accessKey)}`);
  if (facts.caller !== undefined) description.push(`*Caller:* ${code(facts.caller)}`);
  for (const [label, value] of facts.calls) description.push(`*${label}:* ${code(value)}`);
  for (const [label, value] of facts.sessionFacts(code)) description.push(`*${label}:* ${value}`);
  description.push(`*Rules:* ${facts.rules}`);
  if (alert.allowlistEntry !== undefined) {
    description.push(
      `*Allowlist:* entry ${code(alert.allowlistEntry)} matched, but ${facts.unsilenceable} cannot be allowlisted`,
    );
  }
  if (facts.stale !== undefined) description.push(`*Configuration:* ${facts.stale}`);
  if (suppressedBefore > 0) {
    description.push(`*Suppressed since the previous alert:* ${suppressedBefore}`);
  }
  description.push(`*Event ID:* ${code(event.eventId)}`);
  for (const { purpose, command } of facts.lookups) {
    description.push(`*${chatTrusted(purpose)}:*`, `\`${chatTrusted(command)}\``);
  }
  description.push(
    '*CloudTrail event:*',
    `\`\`\`\n${eventExcerpt(chatEventJsonOf(event.record), eventChars)}\n\`\`\``,
  );

  const nextSteps = facts.runbook({
    text: chatTrusted,
    command: (command) => `\`${chatTrusted(command)}\``,
  });

  const keywords = [alert.severity, ...alert.matches.map((match) => match.rule.id)];
  if (isAccountId(event.accountId)) keywords.push(event.accountId);
  if (isRegion(event.region)) keywords.push(event.region);
  if (event.assumedRoot || alert.rootSession !== undefined) keywords.push('AssumeRoot');
  if (facts.throughConsole) keywords.push('Console');

  return {
    version: '1.0',
    source: 'custom',
    id: escapeText(event.eventId, CHAT_FIELD_MAX_CHARS),
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[alert.severity]} *${alert.severity}* ${chatTrusted(top.title)}`,
      description: description.join('\n'),
      nextSteps,
      keywords,
    },
    metadata: {
      threadId: threadIdOf(alert.dedupKey),
      summary: `${alert.severity} ${chatTrusted(top.title)}: ${chatText(event.eventName, 64)} in ${chatText(event.accountId, 32)} ${chatText(event.region, 32)} from ${chatText(event.sourceIp, 64)}`,
      eventType: 'ROOT_ACCOUNT_USAGE',
      ...(isAccountId(event.accountId)
        ? { relatedResources: [`arn:aws:iam::${event.accountId}:root`] }
        : {}),
      additionalContext: additionalContextOf(notice, facts),
    },
  };
};

/**
 * For a call whose caller is not root: who called; and for a root session issued, for which
 * account and under which task policy, or the member account whose root email or contacts
 * changed.
 */
const callerContextOf = (
  { caller, sessionRequest, memberAccount }: AlertFacts,
  text: (value: string) => string,
): Record<string, string> => ({
  ...(caller === undefined ? {} : { callerArn: text(caller) }),
  ...(sessionRequest === undefined
    ? {}
    : {
        targetAccount: text(sessionRequest.targetAccount ?? UNKNOWN),
        taskPolicyArn: text(sessionRequest.taskPolicyArn ?? UNKNOWN),
      }),
  ...(memberAccount === undefined ? {} : { targetAccount: text(memberAccount) }),
});

/**
 * The structured alert for machines: strings only (the schema's rule), escaped and bounded, but
 * not markdown-mangled, so an IP or an event ID reads exactly as CloudTrail wrote it.
 */
const additionalContextOf = (notice: AlertNotice, facts: AlertFacts): Record<string, string> => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const text = (value: string): string => escapeText(value, CHAT_FIELD_MAX_CHARS);
  return {
    severity: alert.severity,
    ruleIds: alert.matches.map((match) => match.rule.id).join(','),
    eventId: text(event.eventId),
    eventName: text(event.eventName),
    eventSource: text(event.eventSource),
    eventTime: event.eventTime === undefined ? 'Unknown' : event.eventTime.toISOString(),
    accountId: text(event.accountId),
    region: text(event.region),
    sourceIp: text(event.sourceIp),
    ...firstSeenFields(alert, notice.firstSeen),
    assumedRoot: String(event.assumedRoot),
    throughConsole: String(facts.throughConsole),
    ...callerContextOf(facts, text),
    ...sessionLogFields(alert.rootSession, text),
    suppressedBefore: String(suppressedBefore),
    ...(alert.allowlistEntry === undefined ? {} : { allowlistEntry: text(alert.allowlistEntry) }),
    dedupKey: text(alert.dedupKey),
    ...(notice.configReadAt === undefined ? {} : { configReadAt: utcText(notice.configReadAt) }),
  };
};
