import { describe, expect, it } from 'vitest';
import { assumeRootRecord, rootSessionCallRecord } from '../../rules/cases.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import { parseExpiration, sessionOpenedBy } from '../../src/root-sessions/root-session.js';
import { EXAMPLE_ROOT_SESSION } from '../support/root-session-case.js';

const NOW = new Date('2026-05-04T12:00:00Z');
const opened = (overrides: CloudTrailRecord = {}) =>
  sessionOpenedBy(toTrailEvent(assumeRootRecord(overrides)), NOW);

describe('sessionOpenedBy', () => {
  it("reads who opened the session, from where, for which account and task, with which key, until when (AWS's example)", () => {
    expect(opened()).toEqual(EXAMPLE_ROOT_SESSION);
  });

  it("reads a member account named by its root user's ARN as the account", () => {
    const byArn = opened({
      requestParameters: {
        targetPrincipal: 'arn:aws:iam::444455556666:root',
        taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
      },
    });
    expect(byArn?.targetAccount).toBe('444455556666');
  });

  it('takes the duration asked for when the expiry is unreadable, and 15 minutes when none was', () => {
    const credentials = { accessKeyId: 'ASIAROOTSESSIONEXAMP', expiration: 'soon' };
    const asked = opened({
      requestParameters: {
        targetPrincipal: '444455556666',
        taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
        durationSeconds: 300,
      },
      responseElements: { credentials },
    });
    expect(asked?.expiresAt).toBe(Date.parse('2026-05-04T09:18:11Z'));
    expect(opened({ responseElements: { credentials } })?.expiresAt).toBe(
      Date.parse('2026-05-04T09:28:11Z'),
    );
  });

  it('never believes an expiry past the longest session AssumeRoot gives', () => {
    const late = opened({
      responseElements: {
        credentials: { accessKeyId: 'ASIAROOTSESSIONEXAMP', expiration: 'May 5, 2026, 9:28:11 AM' },
      },
    });
    expect(late?.expiresAt).toBe(Date.parse('2026-05-04T09:28:11Z'));
  });

  it('opens nothing for a refused call, a record without a key or task, or any other event', () => {
    expect(opened({ errorCode: 'AccessDenied', responseElements: null })).toBeUndefined();
    expect(opened({ responseElements: { credentials: {} } })).toBeUndefined();
    expect(opened({ requestParameters: { targetPrincipal: '444455556666' } })).toBeUndefined();
    expect(sessionOpenedBy(toTrailEvent(rootSessionCallRecord()), NOW)).toBeUndefined();
  });

  it('takes no key that is not an access key id, so no record text shapes a table key', () => {
    for (const accessKeyId of [
      'ASIA#event#x',
      'asiarootsessionexamp',
      'ASIA 0000000000000',
      'ASIA',
    ]) {
      expect(opened({ responseElements: { credentials: { accessKeyId } } })).toBeUndefined();
    }
  });

  it('dates a session by the clock when its AssumeRoot is dated in the future', () => {
    const future = opened({ eventTime: '2027-01-01T00:00:00Z' });
    expect(future?.openedAt).toBe(NOW.getTime());
  });
});

describe('parseExpiration', () => {
  it.each([
    ['May 4, 2026, 9:28:11 AM', '2026-05-04T09:28:11Z'],
    ['Oct 25, 2024, 9:07:11 PM', '2024-10-25T21:07:11Z'],
    ['Jan 1, 2026, 12:00:00 AM', '2026-01-01T00:00:00Z'],
    ['Jan 1, 2026, 12:30:00 PM', '2026-01-01T12:30:00Z'],
    ['2026-05-04T09:28:11Z', '2026-05-04T09:28:11Z'],
  ])('reads %s as %s (UTC)', (text, iso) => {
    expect(parseExpiration(text)).toBe(Date.parse(iso));
  });

  it.each(['', 'tomorrow', 'Foo 4, 2026, 9:28:11 AM', 'May 4, 2026, 13:28:11 PM', '2026-05-04'])(
    'reads %j as nothing',
    (text) => {
      expect(parseExpiration(text)).toBeUndefined();
    },
  );
});
