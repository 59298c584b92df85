import { describe, expect, it } from 'vitest';
import { SUBJECT_MAX_CHARS, subjectFor } from '../../../src/alert/render/subject.js';
import {
  consoleCallRecord,
  consoleLoginRecord,
  HOSTILE,
  noticeFor,
  stubRule,
} from '../alert-fixture.js';

const PRINTABLE_ASCII = /^[ -~]+$/;

describe('subjectFor', () => {
  it('names severity, rule, account and Region', () => {
    expect(subjectFor(noticeFor(consoleLoginRecord()))).toBe(
      '[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1',
    );
  });

  it('adds the suppressed count and the AssumeRoot session when they fit', () => {
    const record = consoleLoginRecord({
      userIdentity: { type: 'Root', assumedRoot: 'true' },
    });
    const subject = subjectFor(noticeFor(record, { suppressedBefore: 4 }));
    expect(subject).toBe(
      '[CRITICAL] Root console sign-in without MFA via AssumeRoot - 111122223333 us-east-1 (+4 suppressed)',
    );
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
  });

  it('says a call came through the console when it fits; a sign-in is not marked', () => {
    expect(subjectFor(noticeFor(consoleCallRecord()))).toBe(
      '[CRITICAL] Root console sign-in without MFA via console - 111122223333 us-east-1',
    );
    expect(subjectFor(noticeFor(consoleLoginRecord()))).not.toContain('via console');
  });

  it('does not say "via AssumeRoot" for the caller that issued the session', () => {
    const record = consoleLoginRecord({
      userIdentity: { type: 'AssumedRole', sessionContext: { assumedRoot: 'true' } },
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
    });
    expect(subjectFor(noticeFor(record))).not.toContain('via');
  });

  it('drops the optional parts rather than cut the title', () => {
    const title = 'T'.repeat(55);
    const subject = subjectFor(
      noticeFor(consoleLoginRecord(), { rules: [stubRule({ title })], suppressedBefore: 12 }),
    );
    expect(subject).toBe(`[CRITICAL] ${title} - 111122223333 us-east-1`);
  });

  it('cuts a long title and keeps account and Region', () => {
    const subject = subjectFor(
      noticeFor(consoleLoginRecord(), { rules: [stubRule({ title: 'Very long '.repeat(30) })] }),
    );
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject.endsWith('... - 111122223333 us-east-1')).toBe(true);
  });

  it('keeps event text out: a hostile account or Region reads as unknown', () => {
    const subject = subjectFor(
      noticeFor(consoleLoginRecord({ recipientAccountId: HOSTILE, awsRegion: HOSTILE })),
    );
    expect(subject).toBe(
      '[CRITICAL] Root console sign-in without MFA - unknown account unknown region',
    );
  });

  it('stays printable ASCII within 99 characters whatever the inputs', () => {
    const hostileTitles = [HOSTILE, '😀'.repeat(200), `a${'\u202e'.repeat(500)}`, 'x'.repeat(5000)];
    for (const title of hostileTitles) {
      const subject = subjectFor(
        noticeFor(consoleLoginRecord({ recipientAccountId: HOSTILE, awsRegion: title }), {
          rules: [stubRule({ title })],
          suppressedBefore: 123456,
        }),
      );
      expect(subject).toMatch(PRINTABLE_ASCII);
      expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
      expect(subject.startsWith('[CRITICAL] ')).toBe(true);
    }
  });
});
