import { describe, expect, it } from 'vitest';
import { chatFor } from '../../src/alert/render/chat.js';
import type { ChatNotification } from '../../src/alert/render/chat-notification.js';
import { emailFor } from '../../src/alert/render/email.js';
import {
  requestBytes,
  SNS_MAX_REQUEST_BYTES,
  type SnsPublishRequest,
} from '../../src/alert/render/sns-request.js';
import { subjectFor } from '../../src/alert/render/subject.js';
import { rootUsageMessageFor } from '../../src/alert/root-usage-message.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { consoleLoginRecord, HOSTILE, noticeFor, stubRule } from './alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';

const partsOf = (request: SnsPublishRequest): { chat: ChatNotification; email: string } => {
  const message = JSON.parse(request.Message) as { default: string; email: string };
  expect(Object.keys(message).sort()).toEqual(['default', 'email']);
  return { chat: JSON.parse(message.default) as ChatNotification, email: message.email };
};

/** Bytes the way SNS counts them, independently of the code under test. */
const utf8 = (text: string): number => new TextEncoder().encode(text).length;

const countedBytes = (request: SnsPublishRequest): number =>
  utf8(request.Message) +
  utf8(request.Subject) +
  Object.entries(request.MessageAttributes).reduce(
    (sum, [name, value]) => sum + utf8(name) + utf8(value.DataType) + utf8(value.StringValue),
    0,
  );

const withRequestParameters = (requestParameters: CloudTrailRecord) =>
  noticeFor(consoleLoginRecord({ eventName: 'PutBucketPolicy', requestParameters }));

describe('rootUsageMessageFor', () => {
  it('publishes the subject, json structure, chat payload as default and the email', () => {
    const notice = noticeFor(consoleLoginRecord());
    const request = rootUsageMessageFor(notice, TOPIC);
    expect(request.TopicArn).toBe(TOPIC);
    expect(request.Subject).toBe(subjectFor(notice));
    expect(request.MessageStructure).toBe('json');
    const { chat, email } = partsOf(request);
    expect(chat).toEqual(chatFor(notice));
    expect(email).toBe(emailFor(notice));
    expect(email).not.toContain('truncated');
  });

  it('sets every filter attribute, as non-empty strings', () => {
    const request = rootUsageMessageFor(
      noticeFor(consoleLoginRecord(), {
        rules: [stubRule(), stubRule({ id: 'root-activity', severity: 'HIGH' })],
      }),
      TOPIC,
    );
    expect(request.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'CRITICAL' },
      service: { DataType: 'String', StringValue: 'root-monitor' },
      event_name: { DataType: 'String', StringValue: 'ConsoleLogin' },
      rule_id: { DataType: 'String', StringValue: 'root-console-login-without-mfa' },
      account_id: { DataType: 'String', StringValue: '111122223333' },
    });
  });

  it('never sends an empty or hostile attribute value', () => {
    for (const eventName of ['   ', HOSTILE, '\u202e', 'x'.repeat(10_000)]) {
      const request = rootUsageMessageFor(
        noticeFor(consoleLoginRecord({ eventName, recipientAccountId: HOSTILE })),
        TOPIC,
      );
      for (const { StringValue } of Object.values(request.MessageAttributes)) {
        expect(StringValue).toMatch(/^[ -~]{1,128}$/);
      }
      expect(request.MessageAttributes.account_id?.StringValue).toBe('Unknown');
    }
    const blank = rootUsageMessageFor(noticeFor(consoleLoginRecord({ eventName: '   ' })), TOPIC);
    expect(blank.MessageAttributes.event_name?.StringValue).toBe('Unknown');
  });

  describe('with a 1 MB requestParameters', () => {
    const notice = withRequestParameters({ policy: 'x'.repeat(1024 * 1024) });
    const request = rootUsageMessageFor(notice, TOPIC);
    const { chat, email } = partsOf(request);

    it('stays under the 256 KiB SNS limit', () => {
      expect(countedBytes(request)).toBeLessThanOrEqual(SNS_MAX_REQUEST_BYTES);
      expect(requestBytes(request)).toBe(countedBytes(request));
    });

    it('still uses most of the budget for the event', () => {
      expect(countedBytes(request)).toBeGreaterThan(SNS_MAX_REQUEST_BYTES - 16 * 1024);
    });

    it('cuts the event JSON with a visible marker in the email and the chat payload', () => {
      expect(email).toMatch(/\[\.\.\. event JSON truncated: first \d+ of \d+ characters shown/);
      expect(chat.content.description).toContain('[... event JSON truncated');
    });

    it('keeps the runbook, the commands and the facts whole', () => {
      const full = emailFor(withRequestParameters({ policy: 'short' }));
      const beforeEvent = (text: string) => text.slice(0, text.indexOf('CLOUDTRAIL EVENT'));
      expect(beforeEvent(email)).toBe(beforeEvent(full));
      expect(chat.content.nextSteps).toEqual(chatFor(notice).content.nextSteps);
    });
  });

  it.each([
    ['multi-byte characters', '€'.repeat(300_000)],
    ['emoji', '😀'.repeat(200_000)],
    ['hidden characters that grow when escaped', '\u202e'.repeat(300_000)],
    ['quotes and backslashes', '"\\'.repeat(300_000)],
  ])('fits the limit when the event is full of %s', (_name, blob) => {
    const request = rootUsageMessageFor(withRequestParameters({ blob }), TOPIC);
    expect(countedBytes(request)).toBeLessThanOrEqual(SNS_MAX_REQUEST_BYTES);
    expect(partsOf(request).email).toContain('RUNBOOK (root-console-login-without-mfa)');
  });
});
