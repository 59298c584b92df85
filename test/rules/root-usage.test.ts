import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { rootUsage } from '../../src/engine/root-usage.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';

const usageOf = (record: CloudTrailRecord) => rootUsage(toTrailEvent(record));

const rootIdentity = (extra: Record<string, unknown>) => ({
  type: 'Root',
  principalId: '111122223333',
  arn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333',
  ...extra,
});

describe('rootUsage', () => {
  describe('root usage', () => {
    it('counts a call by the root identity', () => {
      expect(usageOf(rootRecord())).toEqual({ root: true });
    });

    it('counts a failed call', () => {
      const record = rootRecord({ errorCode: 'AccessDenied', errorMessage: 'denied by an SCP' });
      expect(usageOf(record)).toEqual({ root: true });
    });

    it('counts a read-only call', () => {
      expect(usageOf(rootRecord({ eventName: 'GetAccountSummary', readOnly: true }))).toEqual({
        root: true,
      });
    });

    it.each([true, 'true'])('counts a centralized-root session (assumedRoot %j)', (assumedRoot) => {
      const record = rootRecord({ userIdentity: rootIdentity({ assumedRoot }) });
      expect(usageOf(record)).toEqual({ root: true });
    });

    it('counts a console sign-in', () => {
      const record = rootRecord({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        eventType: 'AwsConsoleSignIn',
      });
      expect(usageOf(record)).toEqual({ root: true });
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
});
