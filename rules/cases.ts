import type { RuleContext } from '../src/engine/rule.js';
import type { CloudTrailRecord } from '../src/intake/trail-event.js';

const ACCOUNT = '111122223333';

/** The monitor's resources as the inline cases name them. */
export const defaultContext: RuleContext = {
  monitor: {
    configParameter: '/root-monitor/config',
    topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:root-monitor-alerts`,
    fallbackTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:root-monitor-alarms`,
    dedupTableName: 'root-monitor-dedup',
    functionNames: [
      'root-monitor-detector',
      'root-monitor-detector-trail-files',
      'root-monitor-detector-health-check',
    ],
    alertKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    roleArns: [
      `arn:aws:iam::${ACCOUNT}:role/root-monitor-RootMonitorRole-1A2B3C4D5E6F`,
      `arn:aws:iam::${ACCOUNT}:role/root-monitor-TrailFileRole-7G8H9J0K1L2M`,
      `arn:aws:iam::${ACCOUNT}:role/root-monitor-HealthCheckRole-5N6P7Q8R9S0T`,
    ],
    queueArns: [
      `arn:aws:sqs:us-east-1:${ACCOUNT}:root-monitor-OnFailureQueue-3H4J5K6L7M8N`,
      `arn:aws:sqs:us-east-1:${ACCOUNT}:root-monitor-RuleDeadLetterQueue-9P8Q7R6S5T4U`,
    ],
    ruleNames: ['root-monitor-root-usage', 'root-monitor-guard-lambda'],
    stackName: 'root-monitor',
    logGroupNames: ['/aws/lambda/root-monitor-detector'],
    alarmNames: ['root-monitor-root-account-usage'],
  },
};

/** Root's `userIdentity` in an account, then the fields of the credential it used. */
const rootIdentity = (account: string, credential: Record<string, unknown>) => ({
  type: 'Root',
  principalId: account,
  arn: `arn:aws:iam::${account}:root`,
  accountId: account,
  ...credential,
});

const ROOT_SESSION_IDENTITY = rootIdentity(ACCOUNT, {
  accessKeyId: 'ASIAY34FZKBOKMUTVV7A',
  sessionContext: {
    attributes: { creationDate: '2026-03-14T02:40:11Z', mfaAuthenticated: 'true' },
  },
});

/** A root API call made in a console session, as CloudTrail records it; override any field. */
export const rootRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord => ({
  eventVersion: '1.10',
  userIdentity: ROOT_SESSION_IDENTITY,
  eventTime: '2026-03-14T02:51:07Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  userAgent: 'AWS Internal',
  requestParameters: null,
  responseElements: null,
  requestID: '5b1e3f8c-6f0a-4c2e-9d61-2f7c1a0b9e44',
  eventID: '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: ACCOUNT,
  eventCategory: 'Management',
  ...overrides,
});

/**
 * What makes a root call one the console made for a person signed in as root, as CloudTrail
 * records root's work on the console's own pages (the security credentials page, say): the
 * sign-in service named in `invokedBy` and `userAgent`, the person's address as the source. The
 * CIS filter drops these.
 */
export const THROUGH_CONSOLE: CloudTrailRecord = {
  userIdentity: { ...ROOT_SESSION_IDENTITY, invokedBy: 'signin.amazonaws.com' },
  userAgent: 'signin.amazonaws.com',
};

/** A root call made through the console (see {@link THROUGH_CONSOLE}); override any field. */
export const rootConsoleRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({ ...THROUGH_CONSOLE, ...overrides });

/** A call CloudTrail marks as only reading. */
export const READ_ONLY: CloudTrailRecord = { readOnly: true };

/** A call a service control policy refused: a failed attempt still counts. */
export const DENIED_BY_SCP: CloudTrailRecord = {
  errorCode: 'AccessDenied',
  errorMessage: 'with an explicit deny in a service control policy',
};

/**
 * Calls to one service, as `by` records them (root's by default): the call's name and request,
 * and any other field in `overrides` ({@link THROUGH_CONSOLE}, {@link READ_ONLY}, an error).
 */
export const callsTo =
  (eventSource: string, by: (overrides: CloudTrailRecord) => CloudTrailRecord = rootRecord) =>
  (
    eventName: string,
    requestParameters: unknown = null,
    overrides: CloudTrailRecord = {},
  ): CloudTrailRecord =>
    by({ eventSource, eventName, requestParameters, ...overrides });

/** Root's IAM calls, the service most rules judge. */
export const rootIamCall = callsTo('iam.amazonaws.com');

/** A root console sign-in that succeeded with MFA (the shape of AWS's own example). */
export const rootSignIn = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({
    userIdentity: rootIdentity(ACCOUNT, { accessKeyId: '' }),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
      MobileVersion: 'No',
      MFAUsed: 'YES',
    },
    eventType: 'AwsConsoleSignIn',
    ...overrides,
  });

/** The same call made by an IAM user, for cases where the identity alone decides. */
export const iamUserRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAJQABLZS4A3QDU576Q',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    ...overrides,
  });

interface RoleSession {
  /** The role's unique id (`AROA...`). */
  roleId: string;
  roleName: string;
  sessionName: string;
  creationDate: string;
}

/**
 * A role session of the account, as `userIdentity` names it; `sessionContext` adds to the
 * session's context (`assumedRoot`, say).
 */
export const roleSessionIdentity = (
  { roleId, roleName, sessionName, creationDate }: RoleSession,
  sessionContext: Record<string, unknown> = {},
) => ({
  type: 'AssumedRole',
  principalId: `${roleId}:${sessionName}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${sessionName}`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: roleId,
      arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      accountId: ACCOUNT,
      userName: roleName,
    },
    attributes: { mfaAuthenticated: 'false', creationDate },
    ...sessionContext,
  },
});

/**
 * The same call made by a role session of the account (the organization's management account in
 * the cases that need one), in the shape of the Account Management guide's example records.
 */
export const roleSessionRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({
    userIdentity: roleSessionIdentity({
      roleId: 'AROA1234567890EXAMPLE',
      roleName: 'ServiceTestRole',
      sessionName: 'AccountAPITests',
      creationDate: '2026-04-30T18:33:00Z',
    }),
    userAgent: 'aws-cli/2.22.31',
    ...overrides,
  });

/** The member account of the centralized-root cases, and the session key its AssumeRoot issues. */
export const MEMBER_ACCOUNT = '444455556666';
export const ROOT_SESSION_KEY = 'ASIAROOTSESSIONEXAMP';

/**
 * `sts:AssumeRoot` as CloudTrail records it in the management (or delegated administrator)
 * account: a role session asks for a root session in a member account, scoped by a task policy.
 * The shape is AWS's own example (IAM User Guide, "Track privileged tasks in AWS CloudTrail"),
 * whose caller carries `assumedRoot` in its session context.
 */
export const assumeRootRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROACKCEVSQ6C2EXAMPLE:alice',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/RootTaskOperator/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROACKCEVSQ6C2EXAMPLE',
          arn: `arn:aws:iam::${ACCOUNT}:role/RootTaskOperator`,
          accountId: ACCOUNT,
          userName: 'RootTaskOperator',
        },
        attributes: { creationDate: '2026-05-04T09:12:40Z', mfaAuthenticated: 'false' },
        assumedRoot: 'true',
      },
    },
    eventTime: '2026-05-04T09:13:11Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    awsRegion: 'us-west-2',
    sourceIPAddress: '192.0.2.1',
    userAgent: 'aws-cli/2.22.31',
    requestParameters: {
      targetPrincipal: MEMBER_ACCOUNT,
      taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
    },
    responseElements: {
      credentials: {
        accessKeyId: ROOT_SESSION_KEY,
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
        expiration: 'May 4, 2026, 9:28:11 AM',
      },
    },
    eventID: '9e1a3c5e-7a9c-4e1a-8c5e-7a9c1e3a5c12',
    ...overrides,
  });

/**
 * A call the root session of {@link assumeRootRecord} makes in the member account: root's
 * identity there, with the session's key and `assumedRoot`, from the operator's address.
 */
export const rootSessionCallRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  rootRecord({
    userIdentity: rootIdentity(MEMBER_ACCOUNT, {
      accessKeyId: ROOT_SESSION_KEY,
      assumedRoot: 'true',
    }),
    eventTime: '2026-05-04T09:14:02Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteBucketPolicy',
    awsRegion: 'us-west-2',
    sourceIPAddress: '192.0.2.1',
    userAgent: 'aws-cli/2.22.31',
    requestParameters: { bucketName: 'locked-out-bucket', policy: '' },
    eventID: '4f6a8c0e-2a4c-4e6a-8c0e-2a4c6e8a0c34',
    recipientAccountId: MEMBER_ACCOUNT,
    ...overrides,
  });
