import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import { messageByProtocol, type SnsPublishRequest } from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { chatText } from '../alert/text/chat-escape.js';
import { escapeText } from '../alert/text/escape.js';
import { isAccountId } from '../alert/text/shell-safe.js';
import type { CheckResult } from './check.js';

const EVENT_NAME = 'HealthCheckFailed';

/** As the configuration alert: a monitor that cannot see is urgent, but it is not root activity. */
const SEVERITY = 'HIGH';

/** A verdict names resources and quotes AWS errors; one line or two is all it needs. */
const LINE_MAX_CHARS = 2000;

const MEANING =
  'root-monitor checks every hour that it can see root activity and reach a person. This check failed: until it is fixed, root activity may go unalerted, or alerts may reach no one.';

const stepsFor = (fix: string): string[] => [
  `Fix: ${fix}`,
  'Check again from a laptop: root-monitor doctor --env-vars health.json (root-monitor doctor --help says how to make the file)',
  'This alert repeats once a day while the check fails.',
];

type Failing = Extract<CheckResult, { ok: false }>;

const emailOf = ({ id, verdict, fix }: Failing): string =>
  [
    `${SEVERITY} - root-monitor health check '${id}' failed.`,
    '',
    'WHAT IS WRONG',
    `  ${escapeText(verdict, LINE_MAX_CHARS)}`,
    '',
    'WHAT IT MEANS',
    `  ${MEANING}`,
    '',
    'WHAT TO DO',
    ...stepsFor(escapeText(fix, LINE_MAX_CHARS)).map((step, index) => `  ${index + 1}. ${step}`),
    '',
  ].join('\n');

const chatOf = ({ id, verdict, fix }: Failing): ChatNotification => ({
  version: '1.0',
  source: 'custom',
  content: {
    textType: 'client-markdown',
    title: `${SEVERITY_EMOJI[SEVERITY]} *${SEVERITY}* root-monitor health check failed: ${id}`,
    description: [chatText(verdict, LINE_MAX_CHARS), MEANING].join('\n'),
    nextSteps: stepsFor(chatText(fix, LINE_MAX_CHARS)),
    keywords: [SEVERITY, `health-${id}`],
  },
  metadata: {
    threadId: `root-monitor-health-${id}`,
    summary: `root-monitor health check ${id} failed: ${chatText(verdict, 256)}`,
    eventType: EVENT_NAME,
    additionalContext: { severity: SEVERITY, check: id },
  },
});

/**
 * The SNS Publish request for a failing health check. The verdict and fix quote resource names
 * and AWS error messages, so they are escaped; the subject carries only the check id and the
 * account.
 */
export const healthAlertFor = (
  failing: Failing,
  topicArn: string,
  accountId: string | undefined,
): SnsPublishRequest => {
  const account = accountId !== undefined && isAccountId(accountId) ? accountId : '';
  return {
    TopicArn: topicArn,
    Subject: finishSubject(
      `[${SEVERITY}] root-monitor health check failed: ${failing.id}${account === '' ? '' : ` - ${account}`}`,
    ),
    MessageStructure: 'json',
    Message: messageByProtocol(chatOf(failing), emailOf(failing)),
    MessageAttributes: filterAttributes({
      severity: SEVERITY,
      eventName: EVENT_NAME,
      ruleId: `health-${failing.id}`,
      accountId: account,
    }),
  };
};
