import { describe, expect, it } from 'vitest';
import { lookupCommands } from '../../../src/alert/lookup-command.js';
import { emailFor } from '../../../src/alert/render/email.js';
import { toTrailEvent } from '../../../src/intake/trail-event.js';
import {
  consoleCallRecord,
  consoleLoginRecord,
  FORBIDDEN_RAW,
  HOSTILE,
  memberEmailRecord,
  noticeFor,
  stubRule,
} from '../alert-fixture.js';

const EVENT_HEADER = /^CLOUDTRAIL EVENT.*$/m;

const eventSection = (email: string): string => {
  const header = EVENT_HEADER.exec(email);
  if (header === null) throw new Error('no event section');
  return email.slice(header.index + header[0].length).trim();
};

const rowOf = (email: string, label: string): string => {
  const line = email.split('\n').find((candidate) => candidate.startsWith(`  ${label}:`));
  if (line === undefined) throw new Error(`no ${label} row`);
  return line.slice(`  ${label}:`.length).trim();
};

describe('emailFor', () => {
  it('opens with what happened in words', () => {
    const [first] = emailFor(noticeFor(consoleLoginRecord())).split('\n');
    expect(first).toBe(
      'CRITICAL - Root console sign-in without MFA: the root user of AWS account 111122223333 called ConsoleLogin (signin.amazonaws.com) in us-east-1 at 2026-03-01T03:14:15Z (UTC) from 203.0.113.7.',
    );
  });

  it('says who, where and when', () => {
    const email = emailFor(noticeFor(consoleLoginRecord()));
    expect(rowOf(email, 'Account')).toBe('111122223333');
    expect(rowOf(email, 'Region')).toBe('us-east-1');
    expect(rowOf(email, 'Source IP')).toBe('203.0.113.7');
    expect(rowOf(email, 'User agent')).toBe('Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0');
    expect(rowOf(email, 'Event')).toBe('ConsoleLogin (signin.amazonaws.com)');
    expect(rowOf(email, 'Event time')).toBe('2026-03-01T03:14:15Z (UTC)');
    expect(rowOf(email, 'Result')).toBe('Success');
    expect(rowOf(email, 'MFA used')).toBe('No');
    expect(rowOf(email, 'Session')).toContain("root user's own credentials");
    expect(rowOf(email, 'Suppressed')).toContain('none');
  });

  it('says which allowlist is in force while the configuration is stale, and nothing otherwise', () => {
    const notice = noticeFor(consoleLoginRecord());
    const stale = emailFor({ ...notice, configReadAt: new Date('2026-03-01T02:40:00.123Z') });

    expect(rowOf(stale, 'Configuration')).toBe(
      'stale: SSM cannot be read, so the allowlist in force is the one read at 2026-03-01T02:40:00Z (UTC); changes made since are not applied',
    );
    expect(() => rowOf(emailFor(notice), 'Configuration')).toThrow('no Configuration row');
  });

  it('reports a failed call with its error code', () => {
    const email = emailFor(
      noticeFor(
        consoleLoginRecord({
          eventName: 'CreateAccessKey',
          errorCode: 'AccessDenied',
          errorMessage: 'not allowed',
          responseElements: null,
        }),
      ),
    );
    expect(email.split('\n')[0]).toContain(
      'The call did not succeed (failed: AccessDenied - not allowed).',
    );
    expect(rowOf(email, 'Result')).toBe('failed: AccessDenied - not allowed');
  });

  it('names a centralized-root session, the session MFA and the access key', () => {
    const email = emailFor(
      noticeFor(
        consoleLoginRecord({
          eventName: 'DeleteBucketPolicy',
          additionalEventData: undefined,
          userIdentity: {
            type: 'Root',
            assumedRoot: 'true',
            accessKeyId: 'ASIAQWERTYUIOPASDFGH',
            sessionContext: { attributes: { mfaAuthenticated: 'false' } },
          },
        }),
      ),
    );
    expect(email.split('\n')[0]).toContain('the root user (AssumeRoot session)');
    expect(rowOf(email, 'Session')).toContain('sts:AssumeRoot');
    expect(rowOf(email, 'MFA used')).toBe('session MFA-authenticated: false');
    expect(rowOf(email, 'Access key')).toBe('ASIAQWERTYUIOPASDFGH');
  });

  it('says a call came through the console, and puts the console step after the first step', () => {
    const email = emailFor(noticeFor(consoleCallRecord()));

    expect(email.split('\n')[0]).toContain(
      'called CreateAccessKey (iam.amazonaws.com) through the AWS Management Console in us-east-1',
    );
    expect(rowOf(email, 'Session')).toContain('through the AWS Management Console');
    expect(email).toContain(
      '  2. This call came through the AWS Management Console: a person signed in as root made it. Find that sign-in (ConsoleLogin, recorded in us-east-1) for account 111122223333 from 203.0.113.7',
    );
    expect(email).toContain('  3. Review the last 24 h of root activity');
  });

  it('keeps the console step out of a sign-in and an API call', () => {
    for (const record of [
      consoleLoginRecord(),
      consoleCallRecord({ userIdentity: { type: 'Root' } }),
    ]) {
      const email = emailFor(noticeFor(record));
      expect(email).not.toContain('This call came through the AWS Management Console');
      expect(email.split('\n')[0]).not.toContain('through the AWS Management Console');
    }
  });

  it('names the caller, the target account, the task policy and the session key of a root session issued', () => {
    const email = emailFor(
      noticeFor(
        consoleLoginRecord({
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
            sessionContext: { assumedRoot: 'true' },
          },
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRoot',
          eventType: 'AwsApiCall',
          requestParameters: {
            targetPrincipal: '444455556666',
            taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
          },
          responseElements: { credentials: { accessKeyId: 'ASIAROOTSESSIONEXAMP' } },
          additionalEventData: undefined,
        }),
      ),
    );

    expect(email.split('\n')[0]).toContain(
      'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice of AWS account 111122223333 called AssumeRoot (sts.amazonaws.com) for a root session in account 444455556666',
    );
    expect(rowOf(email, 'Session')).toMatch(/^not root itself/);
    expect(rowOf(email, 'Target account')).toBe('444455556666');
    expect(rowOf(email, 'Task policy')).toBe(
      'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
    );
    expect(rowOf(email, 'Session key')).toBe('ASIAROOTSESSIONEXAMP');
  });

  it("names the caller and the member account of a change to a member's root email", () => {
    const email = emailFor(noticeFor(memberEmailRecord()));

    expect(email.split('\n')[0]).toContain(
      'arn:aws:sts::111122223333:assumed-role/OrgAdmin/mallory of AWS account 111122223333 called StartPrimaryEmailUpdate (account.amazonaws.com) on member account 444455556666',
    );
    expect(email.split('\n')[0]).not.toContain('the root user');
    expect(rowOf(email, 'Session')).toMatch(/^not root itself: this caller changed the root email/);
    expect(rowOf(email, 'Target account')).toBe('444455556666');
  });

  it('names the caller of a switch of centralized root access, with no target account', () => {
    const email = emailFor(
      noticeFor(
        memberEmailRecord({
          eventSource: 'iam.amazonaws.com',
          eventName: 'DisableOrganizationsRootSessions',
          requestParameters: null,
        }),
      ),
    );

    expect(email.split('\n')[0]).toContain(
      'arn:aws:sts::111122223333:assumed-role/OrgAdmin/mallory of AWS account 111122223333 called DisableOrganizationsRootSessions (iam.amazonaws.com) in us-east-1',
    );
    expect(rowOf(email, 'Session')).toMatch(/^not root itself: this caller switched centralized/);
    expect(() => rowOf(email, 'Target account')).toThrow();
  });

  it("names no target account for root's change on its own account", () => {
    const email = emailFor(
      noticeFor(
        consoleCallRecord({
          eventSource: 'account.amazonaws.com',
          eventName: 'PutAlternateContact',
          requestParameters: { alternateContactType: 'SECURITY' },
        }),
      ),
    );

    expect(email.split('\n')[0]).toContain('the root user of AWS account 111122223333');
    expect(() => rowOf(email, 'Target account')).toThrow();
  });

  it('lists every matching rule, the allowlist entry that could not silence them, and the suppressed count', () => {
    const email = emailFor(
      noticeFor(consoleLoginRecord(), {
        rules: [
          stubRule(),
          stubRule({ id: 'root-activity', severity: 'HIGH', allowlistable: true }),
        ],
        allowlistEntry: 'office-maintenance',
        suppressedBefore: 7,
      }),
    );
    expect(rowOf(email, 'Matching rules')).toBe(
      'root-console-login-without-mfa (CRITICAL), root-activity (HIGH)',
    );
    expect(rowOf(email, 'Allowlist')).toBe(
      'entry "office-maintenance" matched this event, but root-console-login-without-mfa cannot be allowlisted, so it alerts anyway',
    );
    expect(rowOf(email, 'Suppressed')).toMatch(/^7 more event/);
  });

  it('numbers the top rule runbook with its placeholders filled', () => {
    const record = consoleLoginRecord({ awsRegion: 'eu-west-1' });
    const email = emailFor(noticeFor(record));
    const command = lookupCommands(toTrailEvent(record))[0].command;
    expect(email).toContain(
      [
        'RUNBOOK (root-console-login-without-mfa)',
        '  1. Confirm with the account owner of 111122223333 whether this sign-in from 203.0.113.7 was planned.',
        `  2. Review the last 24 h of root activity: ${command}`,
        '  3. Rotate the root password and MFA device of 111122223333; check eu-west-1 for new IAM users.',
      ].join('\n'),
    );
    expect(email).not.toMatch(/\{(account|region|sourceIp|lookupCommand)\}/);
  });

  it('gives the lookup commands for the event Region and us-east-1, as pasteable lines', () => {
    const record = consoleLoginRecord({ awsRegion: 'eu-west-1' });
    const email = emailFor(noticeFor(record));
    const commands = lookupCommands(toTrailEvent(record));
    expect(commands).toHaveLength(2);
    for (const { purpose, command } of commands) {
      expect(email).toContain(`  # ${purpose}\n  ${command}\n`);
    }
    expect(email).toContain('run with credentials for account 111122223333');
  });

  it('ends with the CloudTrail event as JSON that parses back to the record', () => {
    const record = consoleLoginRecord({ userAgent: HOSTILE });
    const section = eventSection(emailFor(noticeFor(record)));
    expect(JSON.parse(section)).toEqual(record);
  });

  it('keeps sections in the order a responder needs them', () => {
    const email = emailFor(noticeFor(consoleLoginRecord()));
    const order = ['WHO, WHERE, WHEN', 'RUNBOOK', 'LIST ROOT ACTIVITY', 'CLOUDTRAIL EVENT'].map(
      (header) => email.indexOf(`\n${header}`),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('cuts the event JSON with a visible marker and keeps the runbook whole', () => {
    const record = consoleLoginRecord({ requestParameters: { blob: 'x'.repeat(50_000) } });
    const email = emailFor(noticeFor(record), { eventChars: 1000 });
    const section = eventSection(email);
    expect(section).toMatch(/\[\.\.\. event JSON truncated: first \d+ of \d+ characters shown/);
    expect(section.length).toBeLessThan(1300);
    expect(email).toContain('  3. Rotate the root password');
  });

  describe('with a hostile user agent', () => {
    const record = consoleLoginRecord({ userAgent: HOSTILE, eventName: HOSTILE });
    const email = emailFor(noticeFor(record));

    it('cannot add a line', () => {
      expect(email.split('\n').some((line) => line.startsWith('SEVERITY'))).toBe(false);
      expect(rowOf(email, 'User agent')).toContain('curl\\n\\nSEVERITY: LOW - all clear\\u202e');
    });

    it('cannot flip the reading direction, hide text or send an ANSI sequence', () => {
      expect(email).not.toMatch(FORBIDDEN_RAW);
      expect(email).toContain('\\u001b[31m');
    });

    it('cannot create a link', () => {
      expect(email).not.toContain('http://evil');
      expect(email).not.toContain('://evil');
    });

    it('keeps a long value bounded', () => {
      const long = emailFor(noticeFor(consoleLoginRecord({ userAgent: 'A'.repeat(100_000) })));
      expect(rowOf(long, 'User agent').length).toBeLessThan(600);
    });
  });
});
