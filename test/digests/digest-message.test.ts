import { describe, expect, it } from 'vitest';
import { chatFor } from '../../src/alert/render/chat.js';
import type { ChatNotification } from '../../src/alert/render/chat-notification.js';
import { requestBytes, SNS_MAX_REQUEST_BYTES } from '../../src/alert/render/sns-request.js';
import type { CountedEvent } from '../../src/dedup/counted-event.js';
import { digestSeverity } from '../../src/digests/digest-facts.js';
import { digestMessageFor } from '../../src/digests/digest-message.js';
import type { WindowDigest } from '../../src/digests/window-digest.js';
import type { Severity } from '../../src/engine/severity.js';
import {
  consoleCallRecord,
  countedEvent,
  FORBIDDEN_RAW,
  HOSTILE,
  noticeFor,
  WINDOW_OPENED,
} from '../alert/alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';
const KEY = 'root-activity#111122223333#203.0.113.7';
const OPENED = WINDOW_OPENED;
const MINUTE = 60_000;

const counted = countedEvent;

const digestOf = (
  events: readonly CountedEvent[],
  overrides: Partial<WindowDigest> = {},
): WindowDigest => ({
  key: KEY,
  openerId: 'opener-0001',
  openedAt: OPENED,
  closesAt: OPENED + 15 * MINUTE,
  events,
  reportedBefore: 0,
  ...overrides,
});

/** Root listing users, then reading the account, once refused, and one call a rule described. */
const FIVE = [
  counted({ eventId: 'e-1', at: OPENED + 1 * MINUTE }),
  counted({
    eventId: 'e-2',
    eventName: 'GetAccountSummary',
    at: OPENED + 2 * MINUTE,
    errorCode: 'AccessDenied',
  }),
  counted({ eventId: 'e-3', at: OPENED + 3 * MINUTE, region: 'eu-west-1' }),
  counted({
    eventId: 'e-4',
    eventName: 'DescribeInstances',
    eventSource: 'ec2.amazonaws.com',
    at: OPENED + 4 * MINUTE,
    errorCode: 'UnauthorizedOperation',
  }),
  counted({
    eventId: 'e-5',
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    at: OPENED + 5 * MINUTE,
    ruleIds: ['root-console-login-failure'],
    severity: 'MEDIUM',
  }),
];

const partsOf = (message: string): { chat: ChatNotification; email: string } => {
  const parsed = JSON.parse(message) as { default: string; email: string };
  return { chat: JSON.parse(parsed.default) as ChatNotification, email: parsed.email };
};

const sectionOf = (email: string, heading: string): string[] => {
  const lines = email.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  const end = lines.findIndex((line, index) => index > start && line === '');
  return lines.slice(start + 1, end);
};

describe('digestSeverity', () => {
  const withSeverities = (...severities: Severity[]): WindowDigest =>
    digestOf(severities.map((severity) => counted({ severity })));

  it('is MEDIUM when no counted event was more severe', () => {
    expect(digestSeverity(withSeverities('LOW', 'LOW'))).toBe('MEDIUM');
    expect(digestSeverity(withSeverities('MEDIUM', 'LOW'))).toBe('MEDIUM');
  });

  it('is the most severe counted event when that is HIGH or above', () => {
    expect(digestSeverity(withSeverities('LOW', 'HIGH', 'MEDIUM'))).toBe('HIGH');
    expect(digestSeverity(withSeverities('HIGH', 'CRITICAL', 'LOW'))).toBe('CRITICAL');
  });
});

describe('digestMessageFor', () => {
  it('has an ASCII subject with the severity, the count, the account and the address', () => {
    const request = digestMessageFor(digestOf(FIVE), TOPIC);
    expect(request.Subject).toBe(
      '[HIGH] Root window digest: 5 root events after the alert - 111122223333 203.0.113.7',
    );
    expect(request.TopicArn).toBe(TOPIC);
    expect(request.MessageStructure).toBe('json');
  });

  it('has the attributes subscription filters match, with the window rule', () => {
    const request = digestMessageFor(
      digestOf([counted({ severity: 'MEDIUM', ruleIds: ['root-console-login-failure'] })], {
        key: 'root-console-login-failure#111122223333#203.0.113.7',
      }),
      TOPIC,
    );
    expect(request.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'MEDIUM' },
      service: { DataType: 'String', StringValue: 'root-monitor' },
      event_name: { DataType: 'String', StringValue: 'WindowDigest' },
      rule_id: { DataType: 'String', StringValue: 'root-console-login-failure' },
      account_id: { DataType: 'String', StringValue: '111122223333' },
    });
  });

  it('keeps a long IPv6 address out of the subject rather than cut the count', () => {
    const ip = '2001:0db8:85a3:0000:0000:8a2e:0370:7334';
    const events = Array.from({ length: 12345 }, (_, index) =>
      counted({
        eventId: `e-${index}`,
        sourceIp: ip,
        severity: 'CRITICAL',
        ruleIds: ['root-credentials-changed'],
      }),
    );
    const { Subject } = digestMessageFor(digestOf(events, { reportedBefore: 3 }), TOPIC);
    expect(Subject).toBe(
      '[CRITICAL] Root window digest follow-up: 12345 more root events - 111122223333',
    );
  });

  it('tells the person on call what the window was and what it counted', () => {
    const { email } = partsOf(digestMessageFor(digestOf(FIVE), TOPIC).Message);
    expect(email).toMatch(
      /^HIGH - Root window digest: 5 more root events from 203\.0\.113\.7 in AWS account 111122223333 followed the alert for event opener-0001 at 2026-03-01T03:14:15Z \(UTC\)/,
    );
    expect(email).toContain(
      'The alert for event opener-0001 at 2026-03-01T03:14:15Z (UTC) opened a 15 min collapse window for rule root-activity',
    );
    expect(email).toContain('  Rule:             root-activity\n');
    expect(email).toContain('  Account:          111122223333\n');
    expect(email).toContain('  Source IP:        203.0.113.7\n');
    expect(email).toContain('  Window opened:    2026-03-01T03:14:15Z (UTC)\n');
    expect(email).toContain('  Window closed:    2026-03-01T03:29:15Z (UTC)\n');
    expect(email).toContain('  Events:           5\n');
    expect(email).toContain('  First event:      2026-03-01T03:15:15Z (UTC)\n');
    expect(email).toContain('  Last event:       2026-03-01T03:19:15Z (UTC)\n');
    expect(email).toContain('  Failed calls:     2\n');
    expect(email).toContain('  Matched no rule:  4\n');
    expect(email).not.toContain('follow-up');
  });

  it('counts events by name, most first, and groups the failed calls by error', () => {
    const { email } = partsOf(digestMessageFor(digestOf(FIVE), TOPIC).Message);
    expect(sectionOf(email, 'EVENTS BY NAME (5 events')).toEqual([
      '        2  ListUsers',
      '        1  ConsoleLogin',
      '        1  DescribeInstances',
      '        1  GetAccountSummary',
    ]);
    expect(sectionOf(email, 'FAILED CALLS (2)')).toEqual([
      '        1  AccessDenied on GetAccountSummary',
      '        1  UnauthorizedOperation on DescribeInstances',
    ]);
  });

  it('lists every event that matched no catalog rule, and only those', () => {
    const { email } = partsOf(digestMessageFor(digestOf(FIVE), TOPIC).Message);
    expect(sectionOf(email, 'EVENTS THAT MATCHED NO RULE (4;')).toEqual([
      '  2026-03-01T03:15:15Z  ListUsers (iam.amazonaws.com)  us-east-1  succeeded  eventID e-1',
      '  2026-03-01T03:16:15Z  GetAccountSummary (iam.amazonaws.com)  us-east-1  failed: AccessDenied  eventID e-2',
      '  2026-03-01T03:17:15Z  ListUsers (iam.amazonaws.com)  eu-west-1  succeeded  eventID e-3',
      '  2026-03-01T03:18:15Z  DescribeInstances (ec2.amazonaws.com)  us-east-1  failed: UnauthorizedOperation  eventID e-4',
    ]);
  });

  it("gives the lookup commands for the window's time range and what to do", () => {
    const { email } = partsOf(digestMessageFor(digestOf(FIVE), TOPIC).Message);
    const range = '--start-time 2026-03-01T03:14:15Z --end-time 2026-03-01T03:29:15Z';
    expect(email).toContain(
      `  aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=Username,AttributeValue=root ${range}`,
    );
    expect(email).toContain(`  aws cloudtrail lookup-events --region eu-west-1 `);
    expect(email).toContain(
      'WHAT TO DO\n  1. Compare every call above with the task root was used for',
    );
    expect(email).toMatch(/ {2}3\. If any call is unexplained, escalate/);
  });

  it('says plainly that a digest after an earlier one is a follow-up, and why', () => {
    const request = digestMessageFor(
      digestOf([counted({ eventId: 'late-1' }), counted({ eventId: 'late-2' })], {
        reportedBefore: 7,
      }),
      TOPIC,
    );
    expect(request.Subject).toBe(
      '[HIGH] Root window digest follow-up: 2 more root events - 111122223333 203.0.113.7',
    );
    const { chat, email } = partsOf(request.Message);
    expect(email).toContain(
      "FOLLOW-UP: this window's earlier digest reported 7 events. The 2 events below were counted after it was sent (delivered late, for example by a CloudTrail log file or a redrive), so they are reported now; the window counted 9 in all.",
    );
    expect(email).toContain('  Events:           2 in this digest, 7 reported before, 9 in all\n');
    expect(chat.content.description).toContain("*Follow-up:* this window's earlier digest");
    expect(chat.metadata.additionalContext.reportedBefore).toBe('7');
  });

  it('is a Chatbot notification in the thread of the alert that opened the window', () => {
    const { chat } = partsOf(digestMessageFor(digestOf(FIVE), TOPIC).Message);
    const opener = chatFor(noticeFor(consoleCallRecord(), { dedupKey: KEY }));
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.content.textType).toBe('client-markdown');
    expect(chat.content.title).toBe(
      ':warning: *HIGH* Root window digest: 5 root events after the alert',
    );
    expect(chat.content.nextSteps).toHaveLength(3);
    expect(chat.metadata.threadId).toBe(opener.metadata.threadId);
    expect(chat.metadata.eventType).toBe('WindowDigest');
    expect(chat.content.description).toContain('`ListUsers` ×2');
    expect(chat.content.description).toContain('*Failed calls:* 2');
    expect(chat.metadata.additionalContext).toEqual({
      severity: 'HIGH',
      ruleIds: 'root-activity',
      dedupKey: KEY,
      accountId: '111122223333',
      sourceIp: '203.0.113.7',
      openerEventId: 'opener-0001',
      windowOpenedAt: '2026-03-01T03:14:15Z',
      windowClosesAt: '2026-03-01T03:29:15Z',
      firstEventTime: '2026-03-01T03:15:15Z',
      lastEventTime: '2026-03-01T03:19:15Z',
      events: '5',
      failed: '2',
      unmatched: '4',
      reportedBefore: '0',
      beforeAlert: '0',
      fromTrailFiles: '0',
    });
  });

  it('says which events happened before the alert, and which came from trail files and how late', () => {
    const digest = digestOf([
      counted({ eventId: 'before-1', at: OPENED - 60 * MINUTE }),
      counted({ eventId: 'before-2', at: OPENED - 10 * MINUTE }),
      counted({
        eventId: 'from-file',
        at: OPENED - 30 * MINUTE,
        arrival: 'trail-file',
        countedAt: OPENED + 5 * 60 * MINUTE,
      }),
      counted({ eventId: 'after', at: OPENED + MINUTE }),
    ]);
    const { chat, email } = partsOf(digestMessageFor(digest, TOPIC).Message);

    for (const text of [email, chat.content.description]) {
      expect(text).toContain(
        "3 events happened before the opening alert's event and arrived after it (concurrent deliveries, or a CloudTrail log file); the earliest at 2026-03-01T02:14:15Z (UTC), 1 h 00 min before it.",
      );
      expect(text).toContain(
        '1 event came from CloudTrail log files, not in real time: EventBridge did not deliver it, and the latest was counted 5 h 30 min after it happened.',
      );
    }
    expect(email).toMatch(/First event: +2026-03-01T02:14:15Z/);
    expect(email).toMatch(/Before the alert: +3\n/);
    expect(email).toMatch(/From trail files: +1\n/);
    expect(chat.metadata.additionalContext).toMatchObject({
      beforeAlert: '3',
      fromTrailFiles: '1',
    });
  });

  it('says nothing of earlier or trail-file events when every event came after the alert, in real time', () => {
    const { email } = partsOf(digestMessageFor(digestOf([counted()]), TOPIC).Message);
    expect(email).not.toContain('before the opening alert');
    expect(email).not.toContain('CloudTrail log files, not in real time');
  });

  describe('with hostile event text', () => {
    const hostile = digestOf([
      counted({
        eventName: HOSTILE,
        eventSource: HOSTILE,
        errorCode: HOSTILE,
        region: HOSTILE,
        eventId: HOSTILE,
      }),
      counted({ eventName: `${HOSTILE}2`, eventSource: 'iam.amazonaws.com' }),
    ]);
    const request = digestMessageFor(hostile, TOPIC);
    const { chat, email } = partsOf(request.Message);

    it('cannot add a line, hide a character or link in the email', () => {
      expect(email).not.toMatch(FORBIDDEN_RAW);
      expect(email.split('\n').some((line) => line.startsWith('SEVERITY'))).toBe(false);
      expect(email).not.toContain('http://evil');
      expect(email).toContain('curl\\n\\nSEVERITY: LOW - all clear\\u202e');
    });

    it('cannot mention, link or format in chat', () => {
      for (const text of [
        chat.content.title,
        chat.content.description,
        chat.metadata.summary,
        ...chat.content.nextSteps,
      ]) {
        expect(text).not.toMatch(FORBIDDEN_RAW);
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('*bold*');
        expect(text).not.toContain('@here');
        expect(text).not.toContain('](');
      }
      for (const value of Object.values(chat.metadata.additionalContext)) {
        expect(value).not.toMatch(FORBIDDEN_RAW);
      }
    });

    it('keeps event text out of the subject, the attributes and the commands', () => {
      expect(request.Subject).toMatch(/^[\x20-\x7e]+$/);
      expect(request.Subject).not.toContain('curl');
      for (const { StringValue } of Object.values(request.MessageAttributes)) {
        expect(StringValue).not.toContain('curl');
      }
      const commands = email.split('\n').filter((line) => line.startsWith('  aws '));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).not.toContain('curl');
    });

    it('names a hostile source address and account only escaped', () => {
      const { Subject, Message } = digestMessageFor(
        digestOf([counted({ sourceIp: HOSTILE, accountId: HOSTILE })]),
        TOPIC,
      );
      expect(Subject).toBe(
        '[HIGH] Root window digest: 1 root event after the alert - unknown account unknown address',
      );
      expect(partsOf(Message).email).not.toMatch(FORBIDDEN_RAW);
    });
  });

  it('cuts the event list to fit SNS, says how many it left out, and keeps counts and times', () => {
    const events = Array.from({ length: 6000 }, (_, index) =>
      counted({
        eventId: `${String(index).padStart(6, '0')}-${'f'.repeat(30)}`,
        eventName: `List${index % 40}${'x'.repeat(60)}`,
        at: OPENED + 1000 + Math.floor(index / 10) * 1000,
        errorCode: index % 3 === 0 ? 'AccessDenied' : undefined,
      }),
    );
    const request = digestMessageFor(digestOf(events), TOPIC);
    expect(requestBytes(request)).toBeLessThanOrEqual(SNS_MAX_REQUEST_BYTES);
    const { chat, email } = partsOf(request.Message);

    const listed = sectionOf(email, 'EVENTS THAT MATCHED NO RULE (6000;');
    const marker = listed.at(-1) ?? '';
    const omitted = Number(/\[\.\.\. (\d+) more event\(s\) not shown/.exec(marker)?.[1]);
    expect(omitted).toBeGreaterThan(0);
    expect(listed.length - 1 + omitted).toBe(6000);
    expect(listed[0]).toContain('eventID 000000-');

    const names = sectionOf(email, 'EVENTS BY NAME (6000 events');
    expect(names).toHaveLength(40);
    expect(names.reduce((sum, line) => sum + Number(line.trim().split(' ')[0]), 0)).toBe(6000);
    expect(email).toContain('  Failed calls:     2000\n');
    expect(email).toContain('  First event:      2026-03-01T03:14:16Z (UTC)\n');
    expect(email).toContain('  Last event:       2026-03-01T03:24:15Z (UTC)\n');
    expect(email).toContain('WHAT TO DO');
    expect(chat.content.description).toContain('5980 more not shown');
  });

  it('cuts the counts by name, with a marker, only when not one event fits beside them', () => {
    const events = Array.from({ length: 3000 }, (_, index) =>
      counted({ eventId: `e-${index}`, eventName: `${index}`.padEnd(128, 'n') }),
    );
    const request = digestMessageFor(digestOf(events), TOPIC);
    expect(requestBytes(request)).toBeLessThanOrEqual(SNS_MAX_REQUEST_BYTES);
    const { email } = partsOf(request.Message);
    const listed = sectionOf(email, 'EVENTS THAT MATCHED NO RULE (3000;');
    expect(listed).toEqual([
      '  [... 3000 more event(s) not shown: list them with the commands below ...]',
    ]);
    const names = sectionOf(email, 'EVENTS BY NAME (3000 events');
    const omitted = Number(
      /\[\.\.\. (\d+) more event name\(s\) not shown/.exec(names.at(-1) ?? '')?.[1],
    );
    expect(names.length - 1 + omitted).toBe(3000);
    expect(email).toContain('  Events:           3000\n');
  });
});
