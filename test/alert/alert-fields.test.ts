import { describe, expect, it } from 'vitest';
import { alertFields } from '../../src/alert/alert-fields.js';
import {
  consoleLoginRecord,
  FORBIDDEN_RAW,
  HOSTILE,
  noticeFor,
  stubRule,
} from './alert-fixture.js';

describe('alertFields', () => {
  it('gives the keys of the CRITICAL log line', () => {
    const fields = alertFields(
      noticeFor(consoleLoginRecord(), {
        rules: [stubRule(), stubRule({ id: 'root-activity', severity: 'HIGH' })],
        allowlistEntry: 'office-maintenance',
        suppressedBefore: 5,
        dedupKey: 'event#abc',
      }),
    );
    expect(fields).toEqual({
      severity: 'CRITICAL',
      ruleIds: ['root-console-login-without-mfa', 'root-activity'],
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      eventTime: '2026-03-01T03:14:15.000Z',
      sourceIp: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      principalArn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      region: 'us-east-1',
      eventId: '3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
      assumedRoot: false,
      suppressed: 5,
      allowlistEntry: 'office-maintenance',
      dedupKey: 'event#abc',
    });
  });

  it('leaves allowlistEntry out when no entry matched', () => {
    expect('allowlistEntry' in alertFields(noticeFor(consoleLoginRecord()))).toBe(false);
  });

  it('cannot be used to forge or bloat a log line', () => {
    const fields = alertFields(
      noticeFor(
        consoleLoginRecord({
          eventName: HOSTILE,
          eventSource: HOSTILE,
          sourceIPAddress: HOSTILE,
          userAgent: `${HOSTILE}${'A'.repeat(1_000_000)}`,
          awsRegion: HOSTILE,
          recipientAccountId: HOSTILE,
          eventID: HOSTILE,
        }),
        { allowlistEntry: HOSTILE, dedupKey: HOSTILE },
      ),
    );
    for (const value of Object.values(fields)) {
      if (typeof value !== 'string') continue;
      expect(value).not.toContain('\n');
      expect(value).not.toMatch(FORBIDDEN_RAW);
      expect(value).not.toContain('://evil');
      expect(value.length).toBeLessThan(300);
    }
    expect(fields.userAgent).toMatch(/\[\.\.\. \d+ more characters\]$/);
    expect(JSON.stringify(fields)).not.toMatch(/[\u2028\u2029]/);
  });
});
