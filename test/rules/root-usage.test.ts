import { describe, expect, it } from 'vitest';
import { rootConsoleRecord, rootRecord } from '../../rules/cases.js';
import { ROOT_USAGE, rootUsage, throughConsole } from '../../src/engine/root-usage.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';

const usageOf = (record: CloudTrailRecord) => rootUsage(toTrailEvent(record));

const rootIdentity = (extra: Record<string, unknown>) => ({
  type: 'Root',
  principalId: '111122223333',
  arn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333',
  ...extra,
});

const ROOT_CALL = { root: true, kind: 'root-call' };

describe('rootUsage', () => {
  describe('root usage', () => {
    it('counts a call by the root identity', () => {
      expect(usageOf(rootRecord())).toEqual(ROOT_CALL);
    });

    it('counts a failed call', () => {
      const record = rootRecord({ errorCode: 'AccessDenied', errorMessage: 'denied by an SCP' });
      expect(usageOf(record)).toEqual(ROOT_CALL);
    });

    it('counts a read-only call', () => {
      expect(usageOf(rootRecord({ eventName: 'GetAccountSummary', readOnly: true }))).toEqual(
        ROOT_CALL,
      );
    });

    it.each([true, 'true'])('counts a centralized-root session (assumedRoot %j)', (assumedRoot) => {
      const record = rootRecord({ userIdentity: rootIdentity({ assumedRoot }) });
      expect(usageOf(record)).toEqual(ROOT_CALL);
    });

    it.each(ROOT_USAGE.consoleInvokers)(
      'counts a call the console made for the person signed in as root (invokedBy %s)',
      (invokedBy) => {
        const record = rootRecord({
          userIdentity: rootIdentity({ invokedBy }),
          userAgent: invokedBy,
        });
        expect(usageOf(record)).toEqual(ROOT_CALL);
      },
    );

    it('counts a call made with console-session credentials and no invokedBy', () => {
      const record = rootRecord({
        userAgent: 'AWS Internal',
        sessionCredentialFromConsole: 'true',
      });
      expect(usageOf(record)).toEqual(ROOT_CALL);
    });

    it('counts a console sign-in', () => {
      const record = rootRecord({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        eventType: 'AwsConsoleSignIn',
      });
      expect(usageOf(record)).toEqual(ROOT_CALL);
    });
  });

  describe('not root usage', () => {
    it.each(['IAMUser', 'AssumedRole', 'FederatedUser', 'AWSService', 'Unknown'])(
      'ignores identity type %s and names it',
      (type) => {
        const record = rootRecord({ userIdentity: { type, accountId: '111122223333' } });
        expect(usageOf(record)).toEqual({ root: false, reason: `identity type is ${type}` });
      },
    );

    it('is case-sensitive about Root, as CloudTrail and the CIS filter are', () => {
      const record = rootRecord({ userIdentity: { type: 'root' } });
      expect(usageOf(record).root).toBe(false);
    });

    it('ignores a root call an AWS service made on its behalf', () => {
      const record = rootRecord({
        userIdentity: rootIdentity({ invokedBy: 'support.amazonaws.com' }),
      });
      expect(usageOf(record)).toEqual({
        root: false,
        reason: 'an AWS service acted for root (invokedBy support.amazonaws.com)',
      });
    });

    it.each([
      'elasticloadbalancing.amazonaws.com',
      'autoscaling.amazonaws.com',
      'cloudformation.amazonaws.com',
      'AWS Internal',
    ])('ignores a root call that %s made on its own', (invokedBy) => {
      const record = rootRecord({ userIdentity: rootIdentity({ invokedBy }) });
      expect(usageOf(record).root).toBe(false);
    });

    it('ignores a service acting for root even with console-session credentials', () => {
      const record = rootRecord({
        userIdentity: rootIdentity({ invokedBy: 'cloudformation.amazonaws.com' }),
        sourceIPAddress: 'cloudformation.amazonaws.com',
        sessionCredentialFromConsole: 'true',
      });
      expect(usageOf(record)).toEqual({
        root: false,
        reason: 'an AWS service acted for root (invokedBy cloudformation.amazonaws.com)',
      });
    });

    it('takes console invokers exactly: another case or a longer name is a service', () => {
      for (const invokedBy of ['Signin.amazonaws.com', 'signin.amazonaws.com.evil.example']) {
        const record = rootRecord({ userIdentity: rootIdentity({ invokedBy }) });
        expect(usageOf(record).root).toBe(false);
      }
    });

    it('ignores an AwsServiceEvent', () => {
      const record = rootRecord({ eventType: 'AwsServiceEvent', sourceIPAddress: 'AWS Internal' });
      expect(usageOf(record)).toEqual({
        root: false,
        reason: 'AWS itself acted, not a caller (eventType AwsServiceEvent)',
      });
    });

    it('ignores a record without userIdentity', () => {
      const record = rootRecord({ userIdentity: undefined });
      expect(usageOf(record)).toEqual({ root: false, reason: 'the event has no userIdentity' });
    });

    it('ignores a userIdentity without a type', () => {
      const record = rootRecord({ userIdentity: { arn: 'arn:aws:iam::111122223333:root' } });
      expect(usageOf(record)).toEqual({ root: false, reason: 'the event has no identity type' });
    });
  });

  describe('reasons', () => {
    it('do not echo an identity type that is not a plain word', () => {
      const record = rootRecord({ userIdentity: { type: 'IAMUser\nSubject: forged' } });
      expect(usageOf(record)).toEqual({ root: false, reason: 'identity type is not Root' });
    });

    it('do not echo an invokedBy that is not a plain host name', () => {
      const record = rootRecord({
        userIdentity: rootIdentity({ invokedBy: 'evil.example <script>\r\n' }),
      });
      expect(usageOf(record)).toEqual({ root: false, reason: 'an AWS service acted for root' });
    });
  });

  describe('throughConsole', () => {
    it.each([
      ['invokedBy signin.amazonaws.com', rootConsoleRecord()],
      [
        'invokedBy console.amazonaws.com',
        rootRecord({ userIdentity: rootIdentity({ invokedBy: 'console.amazonaws.com' }) }),
      ],
      ['console-session credentials', rootRecord({ sessionCredentialFromConsole: 'true' })],
      ['a console action', rootRecord({ eventType: 'AwsConsoleAction' })],
    ])('marks %s', (_name, record) => {
      expect(throughConsole(toTrailEvent(record))).toBe(true);
    });

    it.each([
      ['a call with no console marker', rootRecord()],
      [
        'a userAgent that only claims the console',
        rootRecord({ userAgent: 'signin.amazonaws.com' }),
      ],
      [
        'sessionCredentialFromConsole other than "true"',
        rootRecord({ sessionCredentialFromConsole: true }),
      ],
      [
        'the sign-in itself',
        rootRecord({
          eventSource: 'signin.amazonaws.com',
          eventName: 'ConsoleLogin',
          eventType: 'AwsConsoleSignIn',
        }),
      ],
    ])('does not mark %s', (_name, record) => {
      expect(throughConsole(toTrailEvent(record))).toBe(false);
    });
  });

  describe('a root session issued', () => {
    const assumeRoot = (identity: Record<string, unknown>, overrides: CloudTrailRecord = {}) =>
      rootRecord({
        userIdentity: identity,
        eventSource: ROOT_USAGE.sessionIssued.eventSource,
        eventName: ROOT_USAGE.sessionIssued.eventName,
        requestParameters: {
          targetPrincipal: '444455556666',
          taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
        },
        ...overrides,
      });
    const role = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
      accountId: '111122223333',
    };

    it.each([
      ['a role session', role],
      ['an IAM user', { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob' }],
      ['root itself', rootIdentity({})],
    ])('counts sts:AssumeRoot by %s', (_name, identity) => {
      expect(usageOf(assumeRoot(identity))).toEqual({ root: true, kind: 'root-session-issued' });
    });

    it('counts a refused request', () => {
      const record = assumeRoot(role, { errorCode: 'AccessDenied', responseElements: null });
      expect(usageOf(record).root).toBe(true);
    });

    it.each([
      ['another STS call', { eventName: 'AssumeRole' }],
      ['AssumeRoot named by another service', { eventSource: 'iam.amazonaws.com' }],
      ['another case', { eventName: 'assumeroot' }],
    ])('admits no other call of a non-root identity: %s', (_name, overrides) => {
      expect(usageOf(assumeRoot(role, overrides))).toEqual({
        root: false,
        reason: 'identity type is AssumedRole',
      });
    });
  });

  describe('a change of who controls a root user, by any identity', () => {
    const CONTROL = { root: true, kind: 'root-control-changed' };
    const role = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/OrgAdmin/alice',
      accountId: '111122223333',
    };
    const accountCall = (eventName: string, requestParameters: Record<string, unknown>) =>
      rootRecord({
        userIdentity: role,
        eventSource: ROOT_USAGE.memberRecoveryChanged.eventSource,
        eventName,
        requestParameters,
      });

    it.each(ROOT_USAGE.memberRecoveryChanged.eventNames)(
      'counts %s naming a member account',
      (eventName) => {
        expect(usageOf(accountCall(eventName, { accountId: '444455556666' }))).toEqual(CONTROL);
      },
    );

    it('counts a member account named in a record without recipientAccountId', () => {
      const record = {
        ...accountCall('PutAlternateContact', { accountId: '444455556666' }),
        recipientAccountId: undefined,
      };
      expect(usageOf(record)).toEqual(CONTROL);
    });

    it.each([
      ['no account', {}],
      ['its own account', { accountId: '111122223333' }],
      ['an empty account', { accountId: '' }],
      ['an account that is not text', { accountId: 444455556666 }],
    ])('ignores a call by another identity that names %s', (_name, requestParameters) => {
      expect(usageOf(accountCall('PutAlternateContact', requestParameters))).toEqual({
        root: false,
        reason: 'identity type is AssumedRole',
      });
    });

    it.each([
      ['a read-only call', { eventName: 'GetAlternateContact' }],
      ['the name from another source', { eventSource: 'billingconsole.amazonaws.com' }],
      ['another case', { eventName: 'putalternatecontact' }],
    ])('admits no other call naming a member account: %s', (_name, overrides) => {
      const record = {
        ...accountCall('PutAlternateContact', { accountId: '444455556666' }),
        ...overrides,
      };
      expect(usageOf(record).root).toBe(false);
    });

    it.each(ROOT_USAGE.rootAccessSwitched.eventNames)(
      'counts %s by a role session',
      (eventName) => {
        const record = rootRecord({
          userIdentity: role,
          eventSource: 'iam.amazonaws.com',
          eventName,
        });
        expect(usageOf(record)).toEqual(CONTROL);
      },
    );

    it.each([
      ['another IAM call', { eventName: 'ListOrganizationsFeatures' }],
      ['the name from another source', { eventSource: 'organizations.amazonaws.com' }],
    ])('admits no other call of a role session: %s', (_name, overrides) => {
      const record = rootRecord({
        userIdentity: role,
        eventSource: 'iam.amazonaws.com',
        eventName: 'DisableOrganizationsRootSessions',
        ...overrides,
      });
      expect(usageOf(record).root).toBe(false);
    });
  });
});
