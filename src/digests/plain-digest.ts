import { plain } from '../alert/plain-alert.js';
import type { ChatNotification } from '../alert/render/chat-notification.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import { messageByProtocol, type SnsPublishRequest } from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { digestSeverity } from './digest-facts.js';
import { DIGEST_EVENT_NAME } from './digest-message.js';
import type { WindowDigest } from './window-digest.js';

/**
 * The digest when the full one could not be rendered, as `plainAlertFor` is the alert's: how
 * many events the window counted, its key folded to ASCII, and why the detail is missing, so a
 * digest that cannot be rendered still reaches a person rather than failing every run.
 */
export const plainDigestFor = (
  digest: WindowDigest,
  topicArn: string,
  renderError: string,
): SnsPublishRequest => {
  const severity = digestSeverity(digest);
  const [rule = 'unknown', account = ''] = digest.key.split('#');
  const title = `${severity} root window digest: ${digest.events.length} root events after the alert`;
  const facts = [
    `Root window digest: ${digest.events.length} root events were counted after the alert for event ${plain(digest.openerId)}`,
    `Severity: ${severity}`,
    `Dedup key: ${plain(digest.key)}`,
    `This digest is shown without its usual detail because it could not be rendered (${plain(renderError)}). List root activity in CloudTrail for the window's address and time, and report the problem to root-monitor's maintainers.`,
  ];
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: plain(title),
      description: facts.slice(1).join('\n'),
      nextSteps: [],
      keywords: [severity],
    },
    metadata: {
      summary: plain(title),
      eventType: DIGEST_EVENT_NAME,
      additionalContext: {},
    },
  };
  return {
    TopicArn: topicArn,
    Subject: finishSubject(`[${severity}] Root window digest: ${digest.events.length} root events`),
    MessageStructure: 'json',
    Message: messageByProtocol(chat, facts.join('\n')),
    MessageAttributes: filterAttributes({
      severity,
      eventName: DIGEST_EVENT_NAME,
      ruleId: plain(rule),
      accountId: account,
    }),
  };
};
