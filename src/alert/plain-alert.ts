import { firstSeenLabel } from '../first-seen/first-seen-text.js';
import type { AlertNotice } from './alert-notice.js';
import type { ChatNotification } from './render/chat-notification.js';
import { messageByProtocol, type SnsPublishRequest } from './render/sns-request.js';
import { finishSubject } from './render/subject.js';
import { attributesOf } from './root-usage-message.js';
import { asciiOnly, truncateAscii } from './text/escape.js';

/**
 * Event text in the plain alert: letters, digits and a little punctuation, short. Anything else
 * becomes `?`, so nothing in it can fail, mention, link, format or forge a line, in email or chat.
 */
export const plain = (value: string): string =>
  truncateAscii(asciiOnly(value).replace(/[^A-Za-z0-9 .,:()+=-]/g, '?'), 128);

/**
 * The alert when the full one could not be rendered: a bug, or an event no test foresaw. It is
 * built from our own rule ids and a few event fields folded to ASCII, with no dates, JSON or
 * markup, so it goes out whatever the event holds. It names the event for CloudTrail and says why
 * the usual detail is missing.
 */
export const plainAlertFor = (
  notice: AlertNotice,
  topicArn: string,
  renderError: string,
): SnsPublishRequest => {
  const { alert } = notice;
  const ruleIds = alert.matches.map((match) => match.rule.id).join(', ');
  const facts = [
    `Root user activity: ${ruleIds}`,
    `Severity: ${alert.severity}`,
    ...(notice.firstSeen === undefined ? [] : [`Source: ${firstSeenLabel(notice.firstSeen)}`]),
    `Account: ${plain(alert.event.accountId)}`,
    `Region: ${plain(alert.event.region)}`,
    `Event: ${plain(alert.event.eventSource)} ${plain(alert.event.eventName)}`,
    `Event ID: ${plain(alert.event.eventId)}`,
    `This alert is shown without its usual detail because it could not be rendered (${plain(renderError)}). Look the event up in CloudTrail by its ID, and report the problem to root-monitor's maintainers.`,
  ];
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: plain(`${alert.severity} root user activity: ${ruleIds}`),
      description: facts.slice(2).join('\n'),
      nextSteps: [],
      keywords: [alert.severity],
    },
    metadata: {
      summary: plain(`${alert.severity} root user activity: ${ruleIds}`),
      eventType: 'RootAccountUsage',
      additionalContext: {},
    },
  };
  return {
    TopicArn: topicArn,
    Subject: finishSubject(`[${alert.severity}] Root user activity: ${ruleIds}`),
    MessageStructure: 'json',
    Message: messageByProtocol(chat, facts.join('\n')),
    // Structured values only, as in every alert: subscription filters keep working.
    MessageAttributes: attributesOf(notice),
  };
};
