import { describe, expect, it } from 'vitest';
import { findingFor } from '../../src/alert/finding.js';
import {
  consoleLoginRecord,
  FORBIDDEN_RAW,
  HOSTILE,
  memberEmailRecord,
  noticeFor,
  stubRule,
} from './alert-fixture.js';

const TARGET = { partition: 'aws', region: 'us-east-1', accountId: '999988887777' };
const NOW = new Date('2026-03-01T03:15:00Z');

describe('findingFor', () => {
  it('files the alert under its top rule and severity, with the dedup key as its id', () => {
    const finding = findingFor(noticeFor(consoleLoginRecord()), TARGET, NOW);

    expect(finding).toMatchObject({
      Id: expect.stringMatching(/^event#/),
      ProductArn: 'arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default',
      GeneratorId: 'root-console-login-without-mfa',
      AwsAccountId: '999988887777',
      Severity: { Label: 'CRITICAL' },
      FirstObservedAt: '2026-03-01T03:14:15Z',
      UpdatedAt: '2026-03-01T03:15:00Z',
      Resources: [{ Type: 'AwsAccount', Id: 'AWS::::Account:111122223333', Region: 'us-east-1' }],
      Network: { Direction: 'IN', SourceIpV4: '203.0.113.7' },
    });
    expect(finding.Types).toEqual(['TTPs/Initial Access/Root console sign-in without MFA']);
  });

  it('escapes and bounds what the caller chose, wherever it lands', () => {
    const finding = findingFor(
      noticeFor(consoleLoginRecord({ userAgent: HOSTILE, eventName: `${HOSTILE}x`.repeat(200) })),
      TARGET,
      NOW,
    );
    expect(finding.Title).not.toMatch(FORBIDDEN_RAW);
    expect(finding.Description).not.toMatch(FORBIDDEN_RAW);
    expect(finding.Description?.length).toBeLessThanOrEqual(1024);
    for (const value of Object.values(finding.ProductFields ?? {})) {
      expect(value).not.toMatch(FORBIDDEN_RAW);
      expect(value.length).toBeLessThanOrEqual(2048);
    }
    expect(finding.ProductFields?.['root-monitor/UserAgent']).toContain('\\u202e');
  });

  it('files persistence under TTPs, and a rule it does not know as unusual user behaviour', () => {
    const typesOf = (id: string, title: string) =>
      findingFor(noticeFor(consoleLoginRecord(), { rules: [stubRule({ id, title })] }), TARGET, NOW)
        .Types;

    expect(typesOf('root-iam-persistence', 'Root IAM persistence')).toEqual([
      'TTPs/Persistence/Root IAM persistence',
    ]);
    expect(typesOf('root-something-new', 'Root <something> new')).toEqual([
      'Unusual Behaviors/User/Root something new',
    ]);
  });

  it('describes a call of another identity by its caller, not as the root user', () => {
    const finding = findingFor(noticeFor(memberEmailRecord()), TARGET, NOW);

    expect(finding.Description).toMatch(
      /^Root console sign-in without MFA: arn:aws:sts::111122223333:assumed-role\/OrgAdmin\/mallory of AWS account 111122223333 called StartPrimaryEmailUpdate/,
    );
  });

  it('leaves out Network for a source that is not an address', () => {
    const finding = findingFor(
      noticeFor(consoleLoginRecord({ sourceIPAddress: 'AWS Internal' })),
      TARGET,
      NOW,
    );

    expect(finding).not.toHaveProperty('Network');
  });

  it('hashes a dedup key Security Hub would refuse as an id, keeping it stable', () => {
    const key = `root-activity#111122223333#${'\u202e'.repeat(600)}`;
    const [one, two] = [1, 2].map(
      () => findingFor(noticeFor(consoleLoginRecord(), { dedupKey: key }), TARGET, NOW).Id,
    );

    expect(one).toMatch(/^dedup-sha256:[0-9a-f]{64}$/);
    expect(two).toBe(one);
  });
});
