import type { AlertNotice } from './alert-notice.js';
import { CHAT_EVENT_MAX_CHARS, chatFor } from './render/chat.js';
import { emailFor } from './render/email.js';
import { chatEventJsonOf, eventJsonOf } from './render/event-json.js';
import { attributeText, filterAttributes } from './render/filter-attributes.js';
import { largestFitting, messageByProtocol, type SnsPublishRequest } from './render/sns-request.js';
import { subjectFor } from './render/subject.js';

/**
 * Attributes that subscription filter policies match on. `severity`, `service` and `event_name`
 * are the ones existing subscriptions already filter on; `rule_id` and `account_id` are new.
 */
export const attributesOf = (notice: AlertNotice): SnsPublishRequest['MessageAttributes'] => {
  const { event } = notice.alert;
  return filterAttributes({
    severity: notice.alert.severity,
    eventName: attributeText(event.eventName),
    ruleId: notice.alert.matches[0].rule.id,
    accountId: event.accountId,
  });
};

/**
 * The SNS Publish request for an alert. The whole request stays under SNS's 256 KiB limit: when
 * the event is too large, the event JSON (in both the email and the chat payload) is cut with a
 * visible marker, as little as needed; the runbook and the commands are never cut.
 */
export const rootUsageMessageFor = (notice: AlertNotice, topicArn: string): SnsPublishRequest => {
  const Subject = subjectFor(notice);
  const MessageAttributes = attributesOf(notice);
  const { record } = notice.alert.event;
  // One budget for both: at its maximum neither the email's nor the chat's event JSON is cut.
  const whole = Math.max(
    eventJsonOf(record).length,
    Math.min(chatEventJsonOf(record).length, CHAT_EVENT_MAX_CHARS),
  );
  return largestFitting(whole, (eventChars) => ({
    TopicArn: topicArn,
    Subject,
    MessageStructure: 'json',
    Message: messageByProtocol(chatFor(notice, { eventChars }), emailFor(notice, { eventChars })),
    MessageAttributes,
  }));
};
