import { describe, expect, it } from 'vitest';
import { rootSessionCallRecord } from '../../rules/cases.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import {
  ROOT_TASK_POLICIES,
  taskPolicyNameOf,
  taskPolicyVerdict,
} from '../../src/root-sessions/task-policies.js';

const policy = (name: string) => `arn:aws:iam::aws:policy/root-task/${name}`;
const call = (eventSource: string, eventName: string, overrides: CloudTrailRecord = {}) =>
  toTrailEvent(rootSessionCallRecord({ eventSource, eventName, ...overrides }));

describe('root-task policies', () => {
  it('are the five AWS documents for AssumeRoot, each with its reference page', () => {
    expect(Object.keys(ROOT_TASK_POLICIES).sort()).toEqual([
      'IAMAuditRootUserCredentials',
      'IAMCreateRootUserPassword',
      'IAMDeleteRootUserCredentials',
      'S3UnlockBucketPolicy',
      'SQSUnlockQueuePolicy',
    ]);
    for (const [name, { reference, actions }] of Object.entries(ROOT_TASK_POLICIES)) {
      expect(reference).toBe(
        `https://docs.aws.amazon.com/aws-managed-policy/latest/reference/${name}.html`,
      );
      for (const action of actions) expect(action).toMatch(/^(iam|s3|sqs):[A-Z][A-Za-z]+$/);
    }
  });

  it.each([
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'DeleteBucketPolicy'],
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'PutBucketPolicy'],
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'GetBucketPolicy'],
    // The permission s3:ListAllMyBuckets is the ListBuckets call.
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'ListBuckets'],
    ['SQSUnlockQueuePolicy', 'sqs.amazonaws.com', 'SetQueueAttributes'],
    ['SQSUnlockQueuePolicy', 'sqs.amazonaws.com', 'GetQueueUrl'],
    ['IAMAuditRootUserCredentials', 'iam.amazonaws.com', 'GetAccountSummary'],
    ['IAMCreateRootUserPassword', 'iam.amazonaws.com', 'CreateLoginProfile'],
    ['IAMDeleteRootUserCredentials', 'iam.amazonaws.com', 'DeactivateMFADevice'],
    ['IAMDeleteRootUserCredentials', 'iam.amazonaws.com', 'DeleteAccessKey'],
  ])('%s allows %s %s', (name, source, eventName) => {
    expect(taskPolicyVerdict(policy(name), call(source, eventName))).toBe('within');
  });

  it.each([
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'DeleteBucket'],
    ['S3UnlockBucketPolicy', 's3.amazonaws.com', 'ListAllMyBuckets'],
    ['S3UnlockBucketPolicy', 'iam.amazonaws.com', 'CreateUser'],
    // The right operation on the wrong service is still outside.
    ['S3UnlockBucketPolicy', 'sqs.amazonaws.com', 'DeleteBucketPolicy'],
    ['SQSUnlockQueuePolicy', 'sqs.amazonaws.com', 'DeleteQueue'],
    ['IAMAuditRootUserCredentials', 'iam.amazonaws.com', 'DeleteLoginProfile'],
    ['IAMCreateRootUserPassword', 'iam.amazonaws.com', 'CreateAccessKey'],
    ['IAMDeleteRootUserCredentials', 'iam.amazonaws.com', 'CreateLoginProfile'],
  ])('%s does not allow %s %s', (name, source, eventName) => {
    expect(taskPolicyVerdict(policy(name), call(source, eventName))).toBe('outside');
  });

  it('counts a call AWS denied as outside, as it was', () => {
    const denied = call('s3.amazonaws.com', 'DeleteBucket', { errorCode: 'AccessDenied' });
    expect(taskPolicyVerdict(policy('S3UnlockBucketPolicy'), denied)).toBe('outside');
  });

  it('lets no policy govern GetCallerIdentity and the console sign-in', () => {
    for (const name of Object.keys(ROOT_TASK_POLICIES)) {
      expect(taskPolicyVerdict(policy(name), call('sts.amazonaws.com', 'GetCallerIdentity'))).toBe(
        'within',
      );
      expect(taskPolicyVerdict(policy(name), call('signin.amazonaws.com', 'ConsoleLogin'))).toBe(
        'within',
      );
    }
  });

  it('knows no policy it does not hold, whatever it is called, and so allows nothing under it', () => {
    const deleteBucketPolicy = call('s3.amazonaws.com', 'DeleteBucketPolicy');
    expect(taskPolicyVerdict(policy('ECRUnlockRepositoryPolicy'), deleteBucketPolicy)).toBe(
      'unknown-policy',
    );
    expect(taskPolicyVerdict(policy('toString'), deleteBucketPolicy)).toBe('unknown-policy');
    expect(
      taskPolicyVerdict('arn:aws:iam::aws:policy/AdministratorAccess', deleteBucketPolicy),
    ).toBe('unknown-policy');
  });

  it('reads a root-task policy name in any partition, and nothing else', () => {
    expect(taskPolicyNameOf(policy('S3UnlockBucketPolicy'))).toBe('S3UnlockBucketPolicy');
    expect(taskPolicyNameOf('arn:aws-us-gov:iam::aws:policy/root-task/S3UnlockBucketPolicy')).toBe(
      'S3UnlockBucketPolicy',
    );
    expect(
      taskPolicyNameOf('arn:aws:iam::111122223333:policy/root-task/S3UnlockBucketPolicy'),
    ).toBe(undefined);
    expect(taskPolicyNameOf('S3UnlockBucketPolicy')).toBeUndefined();
  });
});
