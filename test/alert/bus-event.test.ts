import { describe, expect, it } from 'vitest';
import { alertFields } from '../../src/alert/alert-fields.js';
import {
  ALERT_DETAIL_TYPE,
  alertEventFor,
  DIGEST_DETAIL_TYPE,
  digestEventFor,
} from '../../src/alert/bus-event.js';
import { subjectFor } from '../../src/alert/render/subject.js';
import { digestJsonLineFor } from '../../src/cli/replay/formats/json.js';
import type { CountedEvent } from '../../src/dedup/counted-event.js';
import { digestSubjectOf } from '../../src/digests/digest-message.js';
import type { WindowDigest } from '../../src/digests/window-digest.js';
import {
  consoleLoginRecord,
  countedEvent,
  FORBIDDEN_RAW,
  HOSTILE,
  noticeFor,
  stubRule,
  WINDOW_OPENED,
} from './alert-fixture.js';

/** PagerDuty's limit on a `dedup_key`, which the pager rule fills from the detail's. */
const PAGER_DEDUP_KEY_MAX_CHARS = 255;

const OPENED = WINDOW_OPENED;
const MINUTE = 60_000;

const counted = countedEvent;

const digestOf = (
  events: readonly CountedEvent[],
  key = 'root-activity#111122223333#203.0.113.7',
): WindowDigest => ({
  key,
  openerId: 'opener-0001',
  openedAt: OPENED,
  closesAt: OPENED + 15 * MINUTE,
  events,
  reportedBefore: 0,
});

/** Every string of a parsed JSON value, object keys included. */
const stringsOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [key, ...stringsOf(item)]);
  }
  return [];
};

describe('alertEventFor', () => {
  it('is the log line of the alert, led by its email subject as a summary', () => {
    const notice = noticeFor(consoleLoginRecord(), {
      rules: [stubRule(), stubRule({ id: 'root-activity', severity: 'HIGH' })],
      suppressedBefore: 2,
      dedupKey: 'root-console-login-without-mfa#111122223333#203.0.113.7',
    });

    const event = alertEventFor(notice);

    expect(event.detailType).toBe(ALERT_DETAIL_TYPE);
    const detail = JSON.parse(event.detail) as Record<string, unknown>;
    expect(detail).toEqual({ summary: subjectFor(notice), ...alertFields(notice) });
    expect(detail.summary).toBe(
      '[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1 (+2 suppressed)',
    );
    expect(Object.keys(detail)[0]).toBe('summary');
  });

  it('escapes attacker-controlled text as the log line does, and bounds the dedup key for a pager', () => {
    const notice = noticeFor(
      consoleLoginRecord({
        eventName: HOSTILE,
        eventSource: HOSTILE,
        sourceIPAddress: HOSTILE,
        userAgent: `${HOSTILE}${'A'.repeat(1_000_000)}`,
        awsRegion: HOSTILE,
        recipientAccountId: HOSTILE,
        eventID: HOSTILE,
      }),
      { allowlistEntry: HOSTILE, dedupKey: `root-activity#111122223333#${HOSTILE.repeat(50)}` },
    );

    const event = alertEventFor(notice);

    const detail = JSON.parse(event.detail) as Record<string, string>;
    const { dedupKey, ...rest } = detail;
    expect(rest).toEqual({
      summary: subjectFor(notice),
      ...alertFields(notice),
      dedupKey: undefined,
    });
    for (const value of stringsOf(detail)) {
      expect(value).not.toContain('\n');
      expect(value).not.toMatch(FORBIDDEN_RAW);
      expect(value).not.toContain('://evil');
      expect(value.length).toBeLessThan(300);
    }
    expect(detail.summary).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(dedupKey).toMatch(/^root-activity#111122223333#curl\\n\\nSEVERITY/);
    expect(dedupKey).toMatch(/\[\.\.\. \d+ more characters\]$/);
    expect(dedupKey?.length).toBeLessThanOrEqual(PAGER_DEDUP_KEY_MAX_CHARS);
    // Small: ten of them fit one PutEvents call with room to spare.
    expect(Buffer.byteLength(event.detail)).toBeLessThan(16 * 1024);
  });
});

describe('digestEventFor', () => {
  it("is replay's JSON line of the digest, led by its subject, with the event that opened the window", () => {
    const digest = digestOf([
      counted({ eventId: 'e-1' }),
      counted({ eventId: 'e-2', eventName: 'GetAccountSummary', errorCode: 'AccessDenied' }),
      counted({
        eventId: 'e-3',
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        ruleIds: ['root-console-login-failure'],
        severity: 'MEDIUM',
      }),
    ]);

    const event = digestEventFor(digest);

    expect(event.detailType).toBe(DIGEST_DETAIL_TYPE);
    const detail = JSON.parse(event.detail) as Record<string, unknown>;
    const line = JSON.parse(digestJsonLineFor(digest)) as Record<string, unknown>;
    expect(detail).toEqual({
      summary: digestSubjectOf(digest),
      ...line,
      openerEventId: 'opener-0001',
    });
    expect(detail).toMatchObject({
      decision: 'digest',
      dedupKey: 'root-activity#111122223333#203.0.113.7',
      severity: 'HIGH',
      events: 3,
      failed: 1,
      eventNames: { ListUsers: 1, GetAccountSummary: 1, ConsoleLogin: 1 },
      unmatched: [
        expect.objectContaining({ eventName: 'ListUsers' }),
        expect.objectContaining({ eventName: 'GetAccountSummary', errorCode: 'AccessDenied' }),
      ],
    });
  });

  it('escapes every CloudTrail text, event names as keys too, and cuts its lists, saying how many more', () => {
    const events = Array.from({ length: 45 }, (_, index) =>
      counted({
        eventId: `${HOSTILE}-${index}`,
        eventName: `${HOSTILE}${index}`,
        eventSource: HOSTILE,
        region: HOSTILE,
        errorCode: `${HOSTILE}${'A'.repeat(100_000)}`,
        accountId: HOSTILE,
        sourceIp: HOSTILE,
        at: OPENED + index * 1000,
      }),
    );

    const event = digestEventFor(digestOf(events, `root-activity#${HOSTILE.repeat(50)}`));

    const detail = JSON.parse(event.detail) as Record<string, unknown>;
    for (const value of stringsOf(detail)) {
      expect(value).not.toContain('\n');
      expect(value).not.toMatch(FORBIDDEN_RAW);
      expect(value).not.toContain('://evil');
      expect(value.length).toBeLessThan(300);
    }
    expect(String(detail.dedupKey).length).toBeLessThanOrEqual(PAGER_DEDUP_KEY_MAX_CHARS);
    expect(Object.keys(detail.eventNames as object)).toHaveLength(20);
    expect(detail.eventNamesNotShown).toBe(25);
    expect(detail.unmatched).toHaveLength(20);
    expect(detail.unmatchedNotShown).toBe(25);
    expect(detail.events).toBe(45);
    // However hostile, a digest stays well within what PutEvents takes in one call.
    expect(Buffer.byteLength(event.detail)).toBeLessThan(128 * 1024);
  });

  it('says nothing of lists it did not cut', () => {
    const detail = JSON.parse(digestEventFor(digestOf([counted()])).detail) as object;

    expect(detail).not.toHaveProperty('eventNamesNotShown');
    expect(detail).not.toHaveProperty('unmatchedNotShown');
  });
});
