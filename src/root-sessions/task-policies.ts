import type { TrailEvent } from '../intake/trail-event.js';

/**
 * The AWS managed root-task policies that scope an `sts:AssumeRoot` session, by name, with the
 * actions each leaves the session: every one is a Deny of all other actions (`NotAction`), so
 * these lists are all a session can do. The policies are AWS's own (version v1 of each, created
 * 2024-11-06); the source of each list is its page in the AWS Managed Policy Reference Guide.
 * AWS may add a policy or an action: a policy missing here is judged as allowing nothing (see
 * {@link taskPolicyVerdict}), never as allowing everything.
 */
export const ROOT_TASK_POLICIES = {
  IAMAuditRootUserCredentials: {
    reference:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMAuditRootUserCredentials.html',
    actions: [
      'iam:ListAccessKeys',
      'iam:ListSigningCertificates',
      'iam:GetLoginProfile',
      'iam:ListMFADevices',
      'iam:GetAccountSummary',
      'iam:GetUser',
      'iam:GetAccessKeyLastUsed',
    ],
  },
  IAMCreateRootUserPassword: {
    reference:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMCreateRootUserPassword.html',
    actions: ['iam:CreateLoginProfile', 'iam:GetLoginProfile'],
  },
  IAMDeleteRootUserCredentials: {
    reference:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMDeleteRootUserCredentials.html',
    actions: [
      'iam:DeleteAccessKey',
      'iam:DeleteSigningCertificate',
      'iam:DeleteLoginProfile',
      'iam:DeactivateMFADevice',
      'iam:DeleteVirtualMFADevice',
      'iam:ListAccessKeys',
      'iam:ListSigningCertificates',
      'iam:GetLoginProfile',
      'iam:ListMFADevices',
      'iam:GetUser',
      'iam:GetAccessKeyLastUsed',
    ],
  },
  S3UnlockBucketPolicy: {
    reference:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/S3UnlockBucketPolicy.html',
    actions: [
      's3:DeleteBucketPolicy',
      's3:PutBucketPolicy',
      's3:GetBucketPolicy',
      's3:ListAllMyBuckets',
    ],
  },
  SQSUnlockQueuePolicy: {
    reference:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SQSUnlockQueuePolicy.html',
    actions: [
      'sqs:SetQueueAttributes',
      'sqs:GetQueueAttributes',
      'sqs:ListQueues',
      'sqs:GetQueueUrl',
    ],
  },
} as const satisfies Record<string, { reference: string; actions: readonly string[] }>;

export type TaskPolicyName = keyof typeof ROOT_TASK_POLICIES;

/**
 * The CloudTrail event name of an action whose API operation has another name. Every other
 * action of the policies above is recorded under its own name (`iam:GetUser` as `GetUser`).
 * `s3:ListAllMyBuckets` is the permission of the `ListBuckets` operation (Amazon S3 API
 * Reference, ListBuckets: "you must have the s3:ListAllMyBuckets policy action").
 */
const EVENT_NAME_OF_ACTION: Readonly<Record<string, string>> = {
  's3:ListAllMyBuckets': 'ListBuckets',
};

/**
 * Calls of a root session that no task policy governs, so they are never outside one:
 * `sts:GetCallerIdentity` needs no permission and works under an explicit Deny (AWS STS API
 * Reference, GetCallerIdentity), and the session's console sign-in, which CloudTrail records in
 * the Region of the STS endpoint used (IAM User Guide, "Track privileged tasks in AWS
 * CloudTrail"), is not an API action a policy names.
 */
export const UNGOVERNED_CALLS = [
  { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' },
  { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' },
] as const;

/** `arn:aws:iam::aws:policy/root-task/NAME`, in any partition. */
const TASK_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/root-task\/([\w+=,.@-]+)$/;

/** The name of a root-task policy ARN, or undefined when the text is not one. */
export const taskPolicyNameOf = (arn: string): string | undefined => TASK_POLICY_ARN.exec(arn)?.[1];

const isKnown = (name: string | undefined): name is TaskPolicyName =>
  name !== undefined && Object.hasOwn(ROOT_TASK_POLICIES, name);

/** The call an action permits, as CloudTrail records it: `s3:PutBucketPolicy` → s3, PutBucketPolicy. */
const callOf = (action: string): { eventSource: string; eventName: string } => {
  const [service = '', operation = ''] = action.split(':');
  return {
    eventSource: `${service}.amazonaws.com`,
    eventName: EVENT_NAME_OF_ACTION[action] ?? operation,
  };
};

/**
 * Whether a task policy lets its session make this call:
 * - `within`: the policy names the call's action, or no policy governs the call;
 * - `outside`: the policy does not allow it (AWS denies it; a denied attempt is still outside);
 * - `unknown-policy`: a policy root-monitor does not know, which therefore allows nothing here.
 */
export type TaskPolicyVerdict = 'within' | 'outside' | 'unknown-policy';

export const taskPolicyVerdict = (taskPolicyArn: string, event: TrailEvent): TaskPolicyVerdict => {
  const same = (call: { eventSource: string; eventName: string }): boolean =>
    call.eventSource === event.eventSource && call.eventName === event.eventName;
  if (UNGOVERNED_CALLS.some(same)) return 'within';
  const name = taskPolicyNameOf(taskPolicyArn);
  if (!isKnown(name)) return 'unknown-policy';
  const actions: readonly string[] = ROOT_TASK_POLICIES[name].actions;
  return actions.map(callOf).some(same) ? 'within' : 'outside';
};
