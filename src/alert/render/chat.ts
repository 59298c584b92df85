import { createHash } from 'node:crypto';
import { rootSessionRequest } from '../../engine/root-session.js';
import { memberRecoveryTarget, throughConsole } from '../../engine/root-usage.js';
import { firstSeenFields, firstSeenSentence } from '../../first-seen/first-seen-text.js';
import { type TrailEvent, UNKNOWN } from '../../intake/trail-event.js';
import {
  sessionLogFields,
  sessionSummary,
  taskPolicyCheckText,
} from '../../root-sessions/session-text.js';
import type { AlertNotice } from '../alert-notice.js';
import {
  accessKeyOf,
  callerIsNamed,
  callFacts,
  mfaOf,
  outcomeOf,
  sessionOf,
  unsilenceableRules,
  whenOf,
} from '../event-facts.js';
import { lookupCommands } from '../lookup-command.js';
import { lateDeliveryLine, staleConfigLine } from '../notice-lines.js';
import { fillRunbook, runbookOf, runbookValues } from '../runbook.js';
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
  const top = alert.matches[0].rule;
  const outcome = outcomeOf(event);
  const ruleIds = alert.matches.map((match) => match.rule.id);
  const eventChars = Math.min(options.eventChars ?? CHAT_EVENT_MAX_CHARS, CHAT_EVENT_MAX_CHARS);

  const description: string[] = [
    `*${alert.severity}* ${callerIsNamed(event) ? chatTrusted(alert.matches[0].rule.title) : 'root user activity'} in account ${code(event.accountId)}, Region ${code(event.region)}`,
    `*Event:* ${code(event.eventName)} (${code(event.eventSource)}) at ${whenOf(event)}`,
    `*Source IP:* ${code(event.sourceIp)}`,
    `*User agent:* ${code(event.userAgent)}`,
    `*Result:* ${code(outcome.text)}`,
    `*MFA used:* ${code(mfaOf(event))}`,
    `*Session:* ${sessionOf(event, alert.rootSession !== undefined)}`,
  ];
  if (notice.fromTrailFile !== undefined) {
    description.splice(
      1,
      0,
      `*Late:* ${lateDeliveryLine(notice.fromTrailFile, code(notice.fromTrailFile.file))}`,
    );
  }
  if (notice.firstSeen !== undefined) {
    // Our own words and a parsed address: no event text.
    description.splice(1, 0, chatTrusted(firstSeenSentence(notice.firstSeen, alert)));
  }
  const accessKey = accessKeyOf(event);
  if (accessKey !== undefined) description.push(`*Access key:* ${code(accessKey)}`);
  if (callerIsNamed(event)) description.push(`*Caller:* ${code(event.identityArn)}`);
  for (const [label, value] of callFacts(event)) description.push(`*${label}:* ${code(value)}`);
  if (alert.rootSession !== undefined) {
    description.push(`*Root session:* ${sessionSummary(alert.rootSession, code)}`);
    const check = taskPolicyCheckText(alert.rootSession, event, code);
    if (check !== undefined) description.push(`*Task policy:* ${check}`);
  }
  description.push(
    `*Rules:* ${alert.matches.map((match) => `${match.rule.id} (${match.severity})`).join(', ')}`,
  );
  if (alert.allowlistEntry !== undefined) {
    description.push(
      `*Allowlist:* entry ${code(alert.allowlistEntry)} matched, but ${unsilenceableRules(alert)} cannot be allowlisted`,
    );
  }
  if (notice.configReadAt !== undefined) {
    description.push(`*Configuration:* ${staleConfigLine(notice.configReadAt)}`);
  }
  if (suppressedBefore > 0) {
    description.push(`*Suppressed since the previous alert:* ${suppressedBefore}`);
  }
  description.push(`*Event ID:* ${code(event.eventId)}`);
  for (const { purpose, command } of lookupCommands(event)) {
    description.push(`*${chatTrusted(purpose)}:*`, `\`${chatTrusted(command)}\``);
  }
  description.push(
    '*CloudTrail event:*',
    `\`\`\`\n${eventExcerpt(chatEventJsonOf(event.record), eventChars)}\n\`\`\``,
  );

  const nextSteps = fillRunbook(runbookOf(alert), runbookValues(event), {
    text: chatTrusted,
    command: (command) => `\`${chatTrusted(command)}\``,
  });

  const keywords = [alert.severity, ...ruleIds];
  if (isAccountId(event.accountId)) keywords.push(event.accountId);
  if (isRegion(event.region)) keywords.push(event.region);
  if (event.assumedRoot || alert.rootSession !== undefined) keywords.push('AssumeRoot');
  if (throughConsole(event)) keywords.push('Console');

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
      additionalContext: additionalContextOf(notice),
    },
  };
};

/**
 * For a call whose caller is not root: who called; and for a root session issued, for which
 * account and under which task policy, or the member account whose root email or contacts
 * changed.
 */
const callerContextOf = (
  event: TrailEvent,
  text: (value: string) => string,
): Record<string, string> => {
  const request = rootSessionRequest(event);
  const member = memberRecoveryTarget(event);
  return {
    ...(callerIsNamed(event) ? { callerArn: text(event.identityArn) } : {}),
    ...(request === undefined
      ? {}
      : {
          targetAccount: text(request.targetAccount ?? UNKNOWN),
          taskPolicyArn: text(request.taskPolicyArn ?? UNKNOWN),
        }),
    ...(member === undefined ? {} : { targetAccount: text(member) }),
  };
};

/**
 * The structured alert for machines: strings only (the schema's rule), escaped and bounded, but
 * not markdown-mangled, so an IP or an event ID reads exactly as CloudTrail wrote it.
 */
const additionalContextOf = (notice: AlertNotice): Record<string, string> => {
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
    throughConsole: String(throughConsole(event)),
    ...callerContextOf(event, text),
    ...sessionLogFields(alert.rootSession, text),
    suppressedBefore: String(suppressedBefore),
    ...(alert.allowlistEntry === undefined ? {} : { allowlistEntry: text(alert.allowlistEntry) }),
    dedupKey: text(alert.dedupKey),
    ...(notice.configReadAt === undefined ? {} : { configReadAt: utcText(notice.configReadAt) }),
  };
};
