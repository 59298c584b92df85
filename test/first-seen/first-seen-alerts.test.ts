import { describe, expect, it } from 'vitest';
import { alertFields } from '../../src/alert/alert-fields.js';
import type { AlertNotice } from '../../src/alert/alert-notice.js';
import { alertEventFor } from '../../src/alert/bus-event.js';
import { plainAlertFor } from '../../src/alert/plain-alert.js';
import { chatFor } from '../../src/alert/render/chat.js';
import { emailFor } from '../../src/alert/render/email.js';
import { plainMessageFor } from '../../src/alert/render/plain-message.js';
import { SUBJECT_MAX_CHARS, subjectFor } from '../../src/alert/render/subject.js';
import type { FirstSeen } from '../../src/first-seen/first-seen.js';
import { markedAlert } from '../../src/first-seen/mark-alert.js';
import { consoleLoginRecord, noticeFor, stubRule } from '../alert/alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

/** A HIGH rule's alert from 203.0.113.7, marked as a memory would mark it. */
const marked = (firstSeen: FirstSeen, title?: string): AlertNotice => {
  const notice = noticeFor(consoleLoginRecord(), {
    rules: [stubRule({ severity: 'HIGH', ...(title === undefined ? {} : { title }) })],
  });
  return { ...notice, alert: markedAlert(notice.alert, firstSeen), firstSeen };
};

const FIRST_SEEN: FirstSeen = { kind: 'first-seen', source: '203.0.113.7', days: 90 };
const LEARNING: FirstSeen = {
  kind: 'learning',
  source: '203.0.113.7',
  days: 90,
  learningUntil: Date.parse('2026-03-08T00:00:00Z'),
};

describe('An alert from a first-seen source says so everywhere it goes', () => {
  it('is raised one severity, and its subject, email, chat, bus event and log line say first seen', () => {
    const notice = marked(FIRST_SEEN);

    expect(subjectFor(notice)).toBe(
      '[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1 (first seen)',
    );
    const email = emailFor(notice);
    expect(email.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^CRITICAL - Root console sign-in without MFA: /),
      '',
      'First seen: root has not used 203.0.113.7 in this account in the last 90 days, so this alert is raised from HIGH to CRITICAL.',
    ]);
    expect(email).toContain('Matching rules:   root-console-login-without-mfa (HIGH)');
    const chat = chatFor(notice);
    expect(chat.content.title).toContain('*CRITICAL*');
    expect(chat.content.description.split('\n')[1]).toBe(
      'First seen: root has not used 203.0.113.7 in this account in the last 90 days, so this alert is raised from HIGH to CRITICAL.',
    );
    expect(chat.metadata.additionalContext).toMatchObject({
      severity: 'CRITICAL',
      firstSeen: 'first seen',
      firstSeenSource: '203.0.113.7',
      severityRaisedFrom: 'HIGH',
    });
    expect(alertFields(notice)).toMatchObject({
      severity: 'CRITICAL',
      firstSeen: 'first seen',
      firstSeenSource: '203.0.113.7',
      severityRaisedFrom: 'HIGH',
    });
    expect(JSON.parse(alertEventFor(notice).detail)).toMatchObject({
      summary: subjectFor(notice),
      severity: 'CRITICAL',
      firstSeen: 'first seen',
      severityRaisedFrom: 'HIGH',
    });
    expect(plainMessageFor(plainAlertFor(notice, 'Error: boom'), TOPIC).Message).toContain(
      'Source: first seen',
    );
  });

  it('is marked, not raised, while the deployment learns', () => {
    const notice = marked(LEARNING);

    expect(notice.alert.severity).toBe('HIGH');
    expect(subjectFor(notice)).toMatch(/^\[HIGH\] .* \(first seen, learning\)$/);
    expect(emailFor(notice)).toContain(
      'First seen (learning): root has not used 203.0.113.7 in this account in the last 90 days. The monitor is still learning the sources root uses, until 2026-03-08T00:00:00Z (UTC), and raises no severity for them before then.',
    );
    expect(alertFields(notice)).toMatchObject({
      severity: 'HIGH',
      firstSeen: 'first seen (learning)',
    });
    expect(alertFields(notice)).not.toHaveProperty('severityRaisedFrom');
  });

  it('says nothing of first seen when the source is not', () => {
    const notice = noticeFor(consoleLoginRecord());

    expect(subjectFor(notice)).not.toContain('first seen');
    expect(emailFor(notice)).not.toContain('First seen');
    expect(alertFields(notice)).not.toHaveProperty('firstSeen');
    expect(chatFor(notice).metadata.additionalContext).not.toHaveProperty('firstSeen');
  });

  it('puts the path before a mark that raised nothing, and the mark that raised before the path', () => {
    const title = `Root ${'x'.repeat(38)}`;
    const call = (firstSeen: FirstSeen): AlertNotice => {
      const notice = noticeFor(
        consoleLoginRecord({
          userIdentity: {
            type: 'Root',
            invokedBy: 'signin.amazonaws.com',
            arn: 'arn:aws:iam::111122223333:root',
            accountId: '111122223333',
          },
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateUser',
          eventType: 'AwsApiCall',
        }),
        {
          rules: [stubRule({ severity: 'HIGH', title })],
        },
      );
      return { ...notice, alert: markedAlert(notice.alert, firstSeen), firstSeen };
    };

    // Room for one of them only: the raised alert says why it is CRITICAL.
    expect(subjectFor(call(FIRST_SEEN))).toBe(
      `[CRITICAL] ${title} - 111122223333 us-east-1 (first seen)`,
    );
    expect(subjectFor(call(LEARNING))).toBe(`[HIGH] ${title} via console - 111122223333 us-east-1`);
  });

  it('keeps the title whole in the subject, leaving the mark out when both do not fit', () => {
    const notice = marked(FIRST_SEEN, `Root ${'x'.repeat(50)}`);

    const subject = subjectFor(notice);

    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject).toBe(`[CRITICAL] Root ${'x'.repeat(50)} - 111122223333 us-east-1`);
    // The email still says it.
    expect(emailFor(notice)).toContain('First seen: root has not used 203.0.113.7');
  });
});
