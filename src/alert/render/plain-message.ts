import type { Severity } from '../../engine/severity.js';
import { asciiOnly, truncateAscii } from '../text/escape.js';
import type { ChatNotification } from './chat-notification.js';
import { messageByProtocol, type SnsPublishRequest } from './sns-request.js';
import { finishSubject } from './subject.js';

/**
 * Event text in a plain message: letters, digits and a little punctuation, short. Anything else
 * becomes `?`, so nothing in it can fail, mention, link, format or forge a line, in email or chat.
 */
export const plain = (value: string): string =>
  truncateAscii(asciiOnly(value).replace(/[^A-Za-z0-9 .,:()+=-]/g, '?'), 128);

/**
 * A message said plainly because the full one could not be rendered (a bug, or an event no test
 * foresaw): our own words, and event text folded by {@link plain}, with no dates, JSON or markup,
 * so it goes out whatever the event holds.
 */
export interface PlainMessage {
  severity: Severity;
  /** The subject, before SNS's limits are applied. */
  subject: string;
  /** The chat message's title and summary, before {@link plain} folds them. */
  title: string;
  /** The email, line by line. */
  lines: readonly string[];
  /** The lines chat shows under its title: the email's from this one on. */
  chatFrom: number;
  /** The chat message's event type. */
  eventType: string;
  /** The message attributes of every message of its kind: subscription filters keep working. */
  attributes: SnsPublishRequest['MessageAttributes'];
}

/** The SNS Publish request for a plain message: the same email and chat, whatever its kind. */
export const plainMessageFor = (message: PlainMessage, topicArn: string): SnsPublishRequest => {
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: plain(message.title),
      description: message.lines.slice(message.chatFrom).join('\n'),
      nextSteps: [],
      keywords: [message.severity],
    },
    metadata: {
      summary: plain(message.title),
      eventType: message.eventType,
      additionalContext: {},
    },
  };
  return {
    TopicArn: topicArn,
    Subject: finishSubject(message.subject),
    MessageStructure: 'json',
    Message: messageByProtocol(chat, message.lines.join('\n')),
    MessageAttributes: message.attributes,
  };
};
