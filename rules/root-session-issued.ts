import { issuesRootSession } from '../src/engine/root-usage.js';
import type { Rule } from '../src/engine/rule.js';
import { assumeRootRecord, iamUserRecord, MEMBER_ACCOUNT, rootSessionCallRecord } from './cases.js';
import { escalate, reviewRootActivity } from './runbook.js';

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
    {
      name: "a role session asks for a root session (AWS's example)",
      record: assumeRootRecord(),
      expected: true,
    },
    {
      name: 'an IAM user asks for a root session',
      record: iamUserRecord({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRoot',
        requestParameters: {
          targetPrincipal: MEMBER_ACCOUNT,
          taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' },
        },
      }),
      expected: true,
    },
    {
      name: 'a refused request still counts',
      record: assumeRootRecord({
        errorCode: 'AccessDenied',
        errorMessage: 'not authorized to perform: sts:AssumeRoot',
        responseElements: null,
      }),
      expected: true,
    },
    {
      name: 'another STS call by the same role',
      record: assumeRootRecord({
        eventName: 'GetCallerIdentity',
        requestParameters: null,
        responseElements: null,
      }),
      expected: false,
    },
    {
      name: 'AssumeRoot named by another service',
      record: assumeRootRecord({ eventSource: 'iam.amazonaws.com' }),
      expected: false,
    },
    {
      name: "the session's own call in the member account (root-activity's)",
      record: rootSessionCallRecord(),
      expected: false,
    },
  ],
};
