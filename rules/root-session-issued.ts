import { issuesRootSession } from '../src/engine/root-usage.js';
import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import {
  callsTo,
  iamUserRecord,
  roleSessionIdentity,
  roleSessionRecord,
  rootRecord,
} from './cases.js';
import { escalate, reviewRootActivity } from './runbook.js';

const MEMBER_ACCOUNT = '444455556666';
const unlockBucketPolicy = 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy';

/**
 * `sts:AssumeRoot` as CloudTrail records it in the management (or delegated administrator)
 * account: an ordinary principal asks for a root session in a member account, scoped by a task
 * policy. The shape is AWS's own example (IAM User Guide, "Track privileged tasks in
 * CloudTrail"), whose caller carries `assumedRoot` in its session context.
 */
const assumeRoot = (overrides: Record<string, unknown> = {}) =>
  roleSessionRecord({
    userIdentity: roleSessionIdentity(
      {
        roleId: 'AROACKCEVSQ6C2EXAMPLE',
        roleName: 'RootTaskOperator',
        sessionName: 'alice',
        creationDate: '2026-05-04T09:12:40Z',
      },
      { assumedRoot: 'true' },
    ),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    awsRegion: 'us-west-2',
    requestParameters: {
      targetPrincipal: MEMBER_ACCOUNT,
      taskPolicyArn: { arn: unlockBucketPolicy },
    },
    responseElements: {
      credentials: {
        accessKeyId: 'ASIAROOTSESSIONEXAMP',
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
        expiration: 'May 4, 2026, 9:28:11 AM',
      },
    },
    ...overrides,
  });

export const rootSessionIssued: Rule = {
  id: 'root-session-issued',
  title: 'Root session issued (sts:AssumeRoot)',
  severity: 'HIGH',
  description:
    "A principal of the organization's management or delegated administrator account called sts:AssumeRoot: it asked for a root session in a member account, scoped by a root-task policy, for at most 15 minutes. The caller is not root, but the session it receives is: whoever holds this principal can act as root in every member account. Failed attempts match too.",
  // Not the shared incident steps: root's password and MFA play no part in a session issued.
  runbook: [
    'Check the request against a planned task: the caller (Identity ARN), the target account (Target account) and the task policy (Task policy) below. An unplanned caller means that principal is compromised or misused: revoke its sessions and remove sts:AssumeRoot from its policies now.',
    'See what the session did: with credentials for the target account, aws cloudtrail lookup-events --region {region} --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<Session key below>. The session acts as root there for at most 15 minutes; its calls reach root-monitor as root usage of that account (AssumeRoot session) where the account forwards its events.',
    "If the task policy could change credentials (IAMCreateRootUserPassword, IAMDeleteRootUserCredentials), check the target account for a new root password or removed root credentials: aws iam get-account-summary with that account's credentials.",
    reviewRootActivity,
    escalate,
  ],
  allowlistable: true,
  dedupBy: 'event',
  match: issuesRootSession,
  tests: () => [
    ...matches({
      "a role session asks for a root session (AWS's example)": assumeRoot(),
      'an IAM user asks for a root session': callsTo('sts.amazonaws.com', iamUserRecord)(
        'AssumeRoot',
        {
          targetPrincipal: MEMBER_ACCOUNT,
          taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' },
        },
      ),
      'a refused request still counts': assumeRoot({
        errorCode: 'AccessDenied',
        errorMessage: 'not authorized to perform: sts:AssumeRoot',
        responseElements: null,
      }),
    }),
    ...ignores({
      'another STS call by the same role': assumeRoot({
        eventName: 'GetCallerIdentity',
        requestParameters: null,
        responseElements: null,
      }),
      'AssumeRoot named by another service': assumeRoot({ eventSource: 'iam.amazonaws.com' }),
      "the session's own call in the member account (root-activity's)": rootRecord({
        userIdentity: {
          type: 'Root',
          principalId: MEMBER_ACCOUNT,
          arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
          accountId: MEMBER_ACCOUNT,
          accessKeyId: 'ASIAROOTSESSIONEXAMP',
          assumedRoot: 'true',
        },
        eventSource: 's3.amazonaws.com',
        eventName: 'DeleteBucketPolicy',
        requestParameters: { bucketName: 'locked-out-bucket' },
        recipientAccountId: MEMBER_ACCOUNT,
      }),
    }),
  ],
};
