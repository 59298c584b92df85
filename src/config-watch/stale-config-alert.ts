import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import { messageByProtocol, type SnsPublishRequest } from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { chatText } from '../alert/text/chat-escape.js';
import { escapeText } from '../alert/text/escape.js';
import { utcText } from '../alert/text/times.js';
import { namedSources } from './named-sources.js';

const RULE_ID = 'config-stale';
const EVENT_NAME = 'ConfigurationStale';

/** As the invalid-configuration alert: a CRITICAL-only subscription keeps it out of email. */
const SEVERITY = 'HIGH';

/** The error quotes an endpoint or a request id at most. */
const ERROR_MAX_CHARS = 1000;

export interface StaleConfigFacts {
  /** When the documents in force were read from SSM. */
  readAt: Date;
  /** Why the latest refresh failed. */
  error: string;
  sources: readonly string[];
  now: Date;
}

const ageOf = ({ readAt, now }: StaleConfigFacts): string => {
  const minutes = Math.max(0, Math.floor((now.getTime() - readAt.getTime()) / 60_000));
  return minutes < 120 ? `${minutes} minutes` : `${Math.floor(minutes / 60)} hours`;
};

const meaningOf = (facts: StaleConfigFacts): string[] => [
  `root-monitor has not been able to read its configuration from SSM for ${ageOf(facts)}. It keeps judging root events by the documents it read at ${utcText(facts.readAt)} (UTC).`,
  'An allowlist entry removed or narrowed since then still silences root events; an entry added since then is not applied. Every root alert sent meanwhile says so.',
];

const stepsFor = (sources: readonly string[]): string[] => {
  const [first] = sources;
  const name = first === undefined || sources.length > 1 ? 'NAME' : escapeText(first, 256);
  return [
    `Find why the function cannot read the parameter: its log group (Configuration refresh failed) names the error; check its role still allows ssm:GetParameter, and SSM's health in the Region. aws ssm get-parameter --name ${name}`,
    `List what changed since the read time above: aws ssm get-parameter-history --name ${name}. Any entry removed or narrowed since then is still silencing root events: treat root activity it covers as unreviewed.`,
    'Once SSM reads again, the current documents apply within CONFIG_MAX_AGE_SECONDS, and this alert stops.',
  ];
};

const emailOf = (facts: StaleConfigFacts): string =>
  [
    `${SEVERITY} - root-monitor cannot refresh its configuration: the allowlist read at ${utcText(facts.readAt)} (UTC) is still in force.`,
    '',
    'WHAT IT MEANS',
    ...meaningOf(facts).map((line) => `  ${line}`),
    '',
    'CONFIGURATION SOURCES',
    ...namedSources(facts.sources, (source) => `  - ${escapeText(source, 256)}`),
    '',
    'LAST ERROR',
    `  ${escapeText(facts.error, ERROR_MAX_CHARS)}`,
    '',
    'WHAT TO DO',
    ...stepsFor(facts.sources).map((step, index) => `  ${index + 1}. ${step}`),
    '',
  ].join('\n');

const chatOf = (facts: StaleConfigFacts): ChatNotification => ({
  version: '1.0',
  source: 'custom',
  content: {
    textType: 'client-markdown',
    title: `${SEVERITY_EMOJI[SEVERITY]} *${SEVERITY}* root-monitor configuration stale - allowlist of ${utcText(facts.readAt)} in force`,
    description: [
      ...meaningOf(facts),
      `*Sources:* ${namedSources(facts.sources, (source) => `\`${chatText(source, 256)}\``).join(', ')}`,
      `*Last error:* ${chatText(facts.error, ERROR_MAX_CHARS)}`,
    ].join('\n'),
    nextSteps: stepsFor(facts.sources).map((step) => chatText(step, 2000)),
    keywords: [SEVERITY, RULE_ID],
  },
  metadata: {
    threadId: 'root-monitor-configuration',
    summary: `root-monitor configuration stale for ${ageOf(facts)}: the allowlist read at ${utcText(facts.readAt)} is still in force`,
    eventType: EVENT_NAME,
    additionalContext: {
      severity: SEVERITY,
      ruleIds: RULE_ID,
      configReadAt: utcText(facts.readAt),
      sources: namedSources(facts.sources, (source) => escapeText(source, 256)).join(','),
    },
  },
});

/**
 * The SNS Publish request announcing that the configuration has not been read for too long and
 * the last good documents are still in force, with when they were read.
 *
 * @param accountId the monitoring account, when known; otherwise the attribute is empty
 */
export const staleConfigAlertFor = (
  facts: StaleConfigFacts,
  topicArn: string,
  accountId?: string,
): SnsPublishRequest => ({
  TopicArn: topicArn,
  Subject: finishSubject(
    `[${SEVERITY}] root-monitor configuration stale - allowlist of ${utcText(facts.readAt)} in force`,
  ),
  MessageStructure: 'json',
  Message: messageByProtocol(chatOf(facts), emailOf(facts)),
  MessageAttributes: filterAttributes({
    severity: SEVERITY,
    eventName: EVENT_NAME,
    ruleId: RULE_ID,
    accountId,
  }),
});
