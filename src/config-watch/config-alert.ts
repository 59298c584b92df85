import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import {
  largestFitting,
  messageByProtocol,
  type SnsPublishRequest,
} from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { chatText } from '../alert/text/chat-escape.js';
import { escapeText } from '../alert/text/escape.js';
import { namedSources } from './named-sources.js';

const CONFIG_RULE_ID = 'config-invalid';
const CONFIG_EVENT_NAME = 'ConfigurationInvalid';

const SEVERITY = 'HIGH';

/** One problem quotes at most a line or two of the document; a pasted blob must not flood. */
const PROBLEM_MAX_CHARS = 1000;

/** Problems listed in chat at most; the email lists every one that fits. */
const CHAT_MAX_PROBLEMS = 20;

const MEANING = [
  'Until the document is fixed, root-monitor fails closed: nothing is allowlisted and every rule runs with its catalog defaults, so every root event alerts, scheduled tasks included.',
  'Root activity is still watched; only the silencing is off.',
];

const STEPS = [
  'Read the problems: each names the document, the entry and the field.',
  'Fix the document and check it: root-monitor config validate FILE',
  'Push it: root-monitor config push --parameter NAME FILE',
  'The change takes effect within CONFIG_MAX_AGE_SECONDS (60 s by default), without a redeploy.',
];

const omittedLine = (omitted: number): string =>
  `[... ${omitted} more problem(s) not shown: run root-monitor config validate on the document to list them all ...]`;

const emailOf = (
  problems: readonly string[],
  sources: readonly string[],
  shown: number,
): string => {
  const lines = [
    `${SEVERITY} - root-monitor configuration is invalid, so the allowlist is disabled (${problems.length} problem(s)).`,
    '',
    'WHAT IT MEANS',
    ...MEANING.map((line) => `  ${line}`),
    '',
    'CONFIGURATION SOURCES',
    ...(sources.length === 0
      ? ['  (none named)']
      : namedSources(sources, (source) => escapeText(source)).map((source) => `  - ${source}`)),
    '',
    `PROBLEMS (${problems.length})`,
    ...problems
      .slice(0, shown)
      .map((problem, index) => `  ${index + 1}. ${escapeText(problem, PROBLEM_MAX_CHARS)}`),
  ];
  if (shown < problems.length) lines.push(`  ${omittedLine(problems.length - shown)}`);
  lines.push('', 'WHAT TO DO', ...STEPS.map((step, index) => `  ${index + 1}. ${step}`), '');
  return lines.join('\n');
};

const chatOf = (
  problems: readonly string[],
  sources: readonly string[],
  shown: number,
): ChatNotification => {
  const listed = Math.min(shown, CHAT_MAX_PROBLEMS);
  const description = [
    ...MEANING,
    `*Sources:* ${namedSources(sources, (source) => `\`${chatText(source, 256)}\``).join(', ') || 'none named'}`,
    `*Problems (${problems.length}):*`,
    ...problems.slice(0, listed).map((problem) => `• ${chatText(problem, PROBLEM_MAX_CHARS)}`),
  ];
  if (listed < problems.length) description.push(omittedLine(problems.length - listed));
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[SEVERITY]} *${SEVERITY}* root-monitor configuration invalid - allowlist disabled`,
      description: description.join('\n'),
      nextSteps: STEPS,
      keywords: [SEVERITY, CONFIG_RULE_ID],
    },
    metadata: {
      threadId: 'root-monitor-configuration',
      summary: `root-monitor configuration invalid (${problems.length} problem(s)): every root event alerts until it is fixed`,
      eventType: CONFIG_EVENT_NAME,
      additionalContext: {
        severity: SEVERITY,
        ruleIds: CONFIG_RULE_ID,
        problemCount: String(problems.length),
        sources: namedSources(sources, (source) => escapeText(source, 256)).join(','),
      },
    },
  };
};

/**
 * The SNS Publish request for an invalid configuration document. Problems may quote document
 * text, so they are escaped; when they do not fit SNS's size limit, the list is cut with a
 * marker, never the explanation or the steps.
 *
 * @param accountId the monitoring account, when known; otherwise the attribute reads `Unknown`
 */
export const configAlertFor = (
  problems: readonly string[],
  sources: readonly string[],
  topicArn: string,
  accountId?: string,
): SnsPublishRequest => {
  const MessageAttributes = filterAttributes({
    severity: SEVERITY,
    eventName: CONFIG_EVENT_NAME,
    ruleId: CONFIG_RULE_ID,
    accountId,
  });
  return largestFitting(problems.length, (shown) => ({
    TopicArn: topicArn,
    Subject: finishSubject(`[${SEVERITY}] root-monitor configuration invalid - allowlist disabled`),
    MessageStructure: 'json',
    Message: messageByProtocol(chatOf(problems, sources, shown), emailOf(problems, sources, shown)),
    MessageAttributes,
  }));
};
