import { describe, expect, it } from 'vitest';
import type { AllowEntry } from '../../src/config/config.js';
import { entryMatches } from '../../src/engine/allowlist.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import type { RootSession } from '../../src/root-sessions/root-session.js';
import type { RootSessionJoin } from '../../src/root-sessions/session-join.js';

const rootCall = (overrides: CloudTrailRecord = {}) =>
  toTrailEvent({
    eventTime: '2026-06-06T12:00:00Z',
    eventSource: 'billing.amazonaws.com',
    eventName: 'GetBillingData',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    recipientAccountId: '111122223333',
    userIdentity: { type: 'Root', accountId: '111122223333' },
    ...overrides,
  });

const matches = (entry: Omit<AllowEntry, 'id' | 'reason'>, overrides?: CloudTrailRecord) => {
  const event = rootCall(overrides);
  return entryMatches({ id: 'e', reason: 'r', ...entry }, event, event.eventTime ?? new Date());
};

describe('Allowlist entry matching', () => {
  describe('fields', () => {
    it('matches when every field the entry has matches (any value of a list)', () => {
      expect(
        matches({
          eventNames: ['Other', 'GetBillingData'],
          eventSources: ['billing.amazonaws.com'],
          accounts: ['111122223333'],
          regions: ['us-east-1'],
        }),
      ).toBe(true);
    });

    it('fails when any one field does not match', () => {
      expect(matches({ eventNames: ['GetBillingData'], regions: ['eu-west-1'] })).toBe(false);
      expect(matches({ eventNames: ['GetBillingData'], accounts: ['444455556666'] })).toBe(false);
      expect(matches({ eventSources: ['iam.amazonaws.com'] })).toBe(false);
    });

    it('compares event names exactly, not case-insensitively or by prefix', () => {
      expect(matches({ eventNames: ['getbillingdata'] })).toBe(false);
      expect(matches({ eventNames: ['GetBilling'] })).toBe(false);
    });

    it('matches assumedRoot against centralized-root sessions only', () => {
      const session = { userIdentity: { type: 'Root', assumedRoot: 'true' } };
      expect(matches({ eventNames: ['GetBillingData'], assumedRoot: true }, session)).toBe(true);
      expect(matches({ eventNames: ['GetBillingData'], assumedRoot: true })).toBe(false);
      expect(matches({ eventNames: ['GetBillingData'], assumedRoot: false }, session)).toBe(false);
    });
  });

  describe('sourceIps', () => {
    it.each([
      ['203.0.113.10', ['203.0.113.0/24'], true],
      ['203.0.114.10', ['203.0.113.0/24'], false],
      ['198.51.100.7', ['198.51.100.7'], true],
      ['198.51.100.8', ['198.51.100.7'], false],
      ['2001:db8:1234::1', ['2001:db8::/32'], true],
      ['2001:db9::1', ['2001:db8::/32'], false],
      ['2001:DB8::1', ['2001:db8::1'], true],
      ['::ffff:203.0.113.10', ['203.0.113.0/24'], true],
      ['203.0.113.10', ['2001:db8::/32'], false],
      ['AWS Internal', ['0.0.0.0/0', '::/0'], false],
      ['support.amazonaws.com', ['0.0.0.0/0'], false],
      ['0xcb.0.113.10', ['203.0.113.0/24'], false],
    ])('%s against %j gives %s', (sourceIp, sourceIps, expected) => {
      expect(matches({ sourceIps }, { sourceIPAddress: sourceIp })).toBe(expected);
    });

    it('never matches an event without a source IP', () => {
      expect(matches({ sourceIps: ['0.0.0.0/0'] }, { sourceIPAddress: undefined })).toBe(false);
    });
  });

  describe('notBefore and expires', () => {
    const entry = {
      eventNames: ['GetBillingData'],
      notBefore: '2026-01-01T00:00:00Z',
      expires: '2026-12-31T23:59:59Z',
    };

    it('includes notBefore and excludes expires', () => {
      expect(matches(entry, { eventTime: '2026-01-01T00:00:00Z' })).toBe(true);
      expect(matches(entry, { eventTime: '2025-12-31T23:59:59Z' })).toBe(false);
      expect(matches(entry, { eventTime: '2026-12-31T23:59:58Z' })).toBe(true);
      expect(matches(entry, { eventTime: '2026-12-31T23:59:59Z' })).toBe(false);
    });

    it('judges by the event time, not the clock, so an old event replays as it was decided', () => {
      expect(
        matches(
          { ...entry, expires: '2020-01-02T00:00:00Z', notBefore: undefined },
          {
            eventTime: '2020-01-01T00:00:00Z',
          },
        ),
      ).toBe(true);
    });

    it('reads offsets in the document correctly', () => {
      expect(
        matches({ eventNames: ['GetBillingData'], expires: '2026-06-06T14:00:00+02:00' }),
      ).toBe(false);
      expect(
        matches({ eventNames: ['GetBillingData'], expires: '2026-06-06T14:00:01+02:00' }),
      ).toBe(true);
    });
  });

  describe('weekly windows', () => {
    const saturdayNight = {
      eventNames: ['GetBillingData'],
      windows: [
        { days: ['Sat'] as const, start: '22:00', end: '02:00', timezone: 'Europe/Berlin' },
      ],
    };
    const at = (eventTime: string) => matches(saturdayNight, { eventTime });

    it('runs past midnight into the next day, start inclusive and end exclusive', () => {
      // Winter: Berlin is UTC+1.
      expect(at('2026-01-10T20:59:59Z')).toBe(false); // Sat 21:59:59
      expect(at('2026-01-10T21:00:00Z')).toBe(true); // Sat 22:00
      expect(at('2026-01-11T00:59:00Z')).toBe(true); // Sun 01:59
      expect(at('2026-01-11T01:00:00Z')).toBe(false); // Sun 02:00
    });

    it('does not open on days it does not name', () => {
      expect(at('2026-01-11T21:30:00Z')).toBe(false); // Sun 22:30
      expect(at('2026-01-09T23:30:00Z')).toBe(false); // Sat 00:30, the tail of a Friday night
    });

    it('keeps local hours on the weekend the clocks spring forward', () => {
      // Sun 29 Mar 2026, 02:00 CET becomes 03:00 CEST (01:00 UTC): 02:00 local never happens.
      expect(at('2026-03-28T20:59:00Z')).toBe(false); // Sat 21:59 CET
      expect(at('2026-03-28T21:00:00Z')).toBe(true); // Sat 22:00 CET
      expect(at('2026-03-29T00:59:00Z')).toBe(true); // Sun 01:59 CET
      expect(at('2026-03-29T01:00:00Z')).toBe(false); // Sun 03:00 CEST
    });

    it('keeps local hours on the weekend the clocks fall back', () => {
      // Sun 25 Oct 2026, 03:00 CEST becomes 02:00 CET (01:00 UTC).
      expect(at('2026-10-24T19:59:00Z')).toBe(false); // Sat 21:59 CEST
      expect(at('2026-10-24T20:00:00Z')).toBe(true); // Sat 22:00 CEST
      expect(at('2026-10-24T23:59:00Z')).toBe(true); // Sun 01:59 CEST
      expect(at('2026-10-25T00:00:00Z')).toBe(false); // Sun 02:00 CEST
      expect(at('2026-10-25T01:30:00Z')).toBe(false); // Sun 02:30 CET, the repeated hour
    });

    it('follows the zone of the window, not UTC', () => {
      const office = {
        eventNames: ['GetBillingData'],
        windows: [
          {
            days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const,
            start: '09:00',
            end: '17:00',
            timezone: 'America/New_York',
          },
        ],
      };
      expect(matches(office, { eventTime: '2026-03-02T14:00:00Z' })).toBe(true); // Mon 09:00 EST
      expect(matches(office, { eventTime: '2026-03-02T13:30:00Z' })).toBe(false); // Mon 08:30 EST
      expect(matches(office, { eventTime: '2026-03-09T13:00:00Z' })).toBe(true); // Mon 09:00 EDT
      expect(matches(office, { eventTime: '2026-03-07T15:00:00Z' })).toBe(false); // Sat
    });

    it('matches when any one of several windows holds', () => {
      const two = {
        eventNames: ['GetBillingData'],
        windows: [
          { days: ['Mon'] as const, start: '00:00', end: '01:00', timezone: 'UTC' },
          { days: ['Sat'] as const, start: '11:00', end: '13:00', timezone: 'UTC' },
        ],
      };
      expect(matches(two)).toBe(true); // Sat 6 Jun 2026 12:00 UTC
    });
  });

  describe('principalArns and taskPolicyArns (root sessions issued)', () => {
    const ROLE = 'arn:aws:iam::111122223333:role/RootTaskOperator';
    const SESSION = 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice';
    const UNLOCK = 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy';
    const assumeRoot = (overrides: CloudTrailRecord = {}) =>
      rootCall({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRoot',
        userIdentity: {
          type: 'AssumedRole',
          arn: SESSION,
          accountId: '111122223333',
          sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
        },
        requestParameters: { targetPrincipal: '444455556666', taskPolicyArn: { arn: UNLOCK } },
        ...overrides,
      });
    const covers = (entry: Omit<AllowEntry, 'id' | 'reason'>, event = assumeRoot()) =>
      entryMatches({ id: 'e', reason: 'r', ...entry }, event, event.eventTime ?? new Date());

    it("matches the caller by its role's ARN or its session's", () => {
      expect(covers({ principalArns: [ROLE] })).toBe(true);
      expect(covers({ principalArns: [SESSION] })).toBe(true);
      expect(covers({ principalArns: ['arn:aws:iam::111122223333:role/Other'] })).toBe(false);
    });

    it('matches the task policy asked for, and no other', () => {
      expect(covers({ principalArns: [ROLE], taskPolicyArns: [UNLOCK] })).toBe(true);
      expect(
        covers({
          principalArns: [ROLE],
          taskPolicyArns: ['arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials'],
        }),
      ).toBe(false);
      expect(covers({ taskPolicyArns: [UNLOCK] }, assumeRoot({ requestParameters: null }))).toBe(
        false,
      );
    });

    it('never lets a task policy match an event that does not issue a root session', () => {
      const rootCallNamingThePolicy = rootCall({
        requestParameters: { taskPolicyArn: { arn: UNLOCK } },
      });
      expect(covers({ taskPolicyArns: [UNLOCK] }, rootCallNamingThePolicy)).toBe(false);
    });

    it("never lets a caller's ARN match root's own calls", () => {
      const root = rootCall({
        userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' },
      });
      expect(covers({ principalArns: [ROLE, SESSION] }, root)).toBe(false);
    });
  });

  describe('sessionPrincipalArns and sessionTaskPolicyArns', () => {
    const ROLE = 'arn:aws:iam::111122223333:role/RootTaskOperator';
    const ALICE = 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice';
    const UNLOCK = 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy';
    const session: RootSession = {
      accessKeyId: 'ASIAROOTSESSIONEXAMP',
      openedBy: ALICE,
      openedByRole: ROLE,
      sourceIp: '192.0.2.1',
      targetAccount: '111122223333',
      taskPolicyArn: UNLOCK,
      openedAt: Date.parse('2026-06-06T11:55:00Z'),
      expiresAt: Date.parse('2026-06-06T12:10:00Z'),
      eventId: 'assume-root-1',
      region: 'us-west-2',
    };
    const seen: RootSessionJoin = { kind: 'seen', session, taskPolicy: 'within' };
    const inSession = (entry: Omit<AllowEntry, 'id' | 'reason'>, join?: RootSessionJoin) => {
      const event = rootCall({ userIdentity: { type: 'Root', assumedRoot: 'true' } });
      return entryMatches({ id: 'e', reason: 'r', ...entry }, event, event.eventTime as Date, join);
    };

    it('match the session by whoever opened it: the role session, or its role', () => {
      expect(inSession({ sessionPrincipalArns: [ROLE] }, seen)).toBe(true);
      expect(inSession({ sessionPrincipalArns: [ALICE] }, seen)).toBe(true);
      expect(
        inSession({ sessionPrincipalArns: ['arn:aws:iam::111122223333:role/Other'] }, seen),
      ).toBe(false);
    });

    it('match the task policy the session was opened with, and no other', () => {
      expect(inSession({ sessionTaskPolicyArns: [UNLOCK] }, seen)).toBe(true);
      expect(
        inSession(
          {
            sessionTaskPolicyArns: ['arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword'],
          },
          seen,
        ),
      ).toBe(false);
      expect(
        inSession({ sessionPrincipalArns: [ROLE], sessionTaskPolicyArns: [UNLOCK] }, seen),
      ).toBe(true);
    });

    it('match nothing without a session seen: not seen, unreadable, or no session at all', () => {
      const entry = { sessionPrincipalArns: [ROLE] };
      expect(
        inSession(entry, { kind: 'unseen', accessKeyId: undefined, lookup: 'none-remembered' }),
      ).toBe(false);
      expect(inSession(entry, { kind: 'unseen', accessKeyId: undefined, lookup: 'failed' })).toBe(
        false,
      );
      expect(inSession(entry)).toBe(false);
    });

    it('leave an entry without them to match as before, session or not', () => {
      expect(inSession({ eventNames: ['GetBillingData'] }, seen)).toBe(true);
    });
  });
});
