import { describe, expect, it } from 'vitest';
import { plainAlertFor } from '../../src/alert/plain-alert.js';
import { fitsSns } from '../../src/alert/render/sns-request.js';
import { consoleLoginRecord, FORBIDDEN_RAW, HOSTILE, noticeFor } from './alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

describe('plainAlertFor', () => {
  const hostile = noticeFor(
    consoleLoginRecord({
      eventName: HOSTILE,
      eventSource: HOSTILE,
      eventID: HOSTILE,
      awsRegion: HOSTILE,
      recipientAccountId: HOSTILE,
    }),
  );
  const request = plainAlertFor(hostile, TOPIC, `RangeError: ${HOSTILE}`);
  const { default: chat, email } = JSON.parse(request.Message) as {
    default: string;
    email: string;
  };

  it('names the rule, severity and event, and why the usual detail is missing', () => {
    const notice = noticeFor(consoleLoginRecord());
    const plain = plainAlertFor(notice, TOPIC, 'RangeError: Invalid time value');
    const body = (JSON.parse(plain.Message) as { email: string }).email;

    expect(plain.Subject).toBe('[CRITICAL] Root user activity: root-console-login-without-mfa');
    expect(body).toContain('Event ID: 3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b');
    expect(body).toContain('Account: 111122223333');
    expect(body).toContain('RangeError: Invalid time value');
    expect(plain.MessageAttributes).toMatchObject({
      severity: { StringValue: 'CRITICAL' },
      service: { StringValue: 'root-monitor' },
      rule_id: { StringValue: 'root-console-login-without-mfa' },
      account_id: { StringValue: '111122223333' },
    });
  });

  it('lets no event text forge a line, mention, link or markup', () => {
    const lines = email.split('\n');

    expect(lines).toHaveLength(7);
    for (const text of [email, chat]) {
      expect(text).not.toMatch(FORBIDDEN_RAW);
      expect(text).not.toMatch(/<!channel>|@here|\*bold\*|\]\(|:\/\//);
    }
    expect(request.Subject).toMatch(/^[ -~]{1,99}$/);
  });

  it('is a Chatbot notification, within SNS limits, with valid attributes', () => {
    expect(JSON.parse(chat)).toMatchObject({ version: '1.0', source: 'custom' });
    expect(fitsSns(request)).toBe(true);
    for (const { StringValue } of Object.values(request.MessageAttributes)) {
      expect(StringValue).toMatch(/^[ -~]+$/);
    }
  });
});
