import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventBridgeClient,
  type PutEventsRequestEntry,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ROOT_USAGE } from '../../src/engine/root-usage.js';
import { useMoto } from '../support/aws-env.js';
import { createBusWithRules, createRecorder, putAll } from '../support/event-bus.js';
import { loadTemplate, REPO_ROOT, resourceOf } from './cloudformation-template.js';
import { configChangePattern } from './config-change-pattern.js';

useMoto();

/*
 * The pattern is read from template.yaml and the forwarder, never copied, and run by moto's
 * EventBridge, which implements `exists` and `anything-but`. What moto does not model, and so
 * what these tests cannot show: the rule State (moto matches every rule whatever its state, so
 * the read-only gating of ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is untested here); that
 * real PutEvents refuses sources starting with `aws.` (only AWS may send those, so the events
 * below could not be replayed like this against AWS); and that AWS keeps a forwarded event's
 * original account and Region in the envelope (moto rewrites them to the receiving bus's).
 * Custom buses stand in for the default bus so tests running in parallel share nothing.
 */

const monitor = loadTemplate('template.yaml');
const forwarder = loadTemplate('infra/region-forwarder.yaml');
const MONITOR_PATTERN = resourceOf(monitor, 'RootUsageRule').Properties?.EventPattern;
const FORWARDER_PATTERN = resourceOf(forwarder, 'RootUsageForwardingRule').Properties?.EventPattern;
const RULE_STATE = resourceOf(monitor, 'RootUsageRule').Properties?.State as RuleState;

const HOME_REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const ROOT = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root` };
const ORG_ADMIN = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrgAdmin/alice`,
};
const IAM_USER = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' };
const MEMBER = '444455556666';

const API_CALL = 'AWS API Call via CloudTrail';

interface Scenario {
  name: string;
  rootUsage: boolean;
  entry: Omit<PutEventsRequestEntry, 'EventBusName'>;
}

/** One CloudTrail-delivered event whose eventID is the scenario's name, to tell arrivals apart. */
const scenario = (
  name: string,
  rootUsage: boolean,
  source: string,
  detailType: string,
  detail: Record<string, unknown>,
): Scenario => ({
  name,
  rootUsage,
  entry: {
    Source: source,
    DetailType: detailType,
    Detail: JSON.stringify({
      eventVersion: '1.10',
      eventTime: '2026-06-01T10:00:00Z',
      awsRegion: HOME_REGION,
      sourceIPAddress: '203.0.113.9',
      userAgent: 'aws-cli/2.22.31',
      recipientAccountId: ACCOUNT,
      eventType: 'AwsApiCall',
      readOnly: false,
      ...detail,
      eventID: name,
    }),
  },
});

const SCENARIOS: Scenario[] = [
  scenario('root iam CreateAccessKey', true, 'aws.iam', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    requestParameters: null,
  }),
  scenario('root s3 PutBucketPolicy', true, 'aws.s3', API_CALL, {
    userIdentity: ROOT,
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketPolicy',
  }),
  scenario('root ec2 DescribeInstances, read-only', true, 'aws.ec2', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    readOnly: true,
  }),
  scenario('root cloudtrail StopLogging', true, 'aws.cloudtrail', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
  }),
  scenario('root kms ScheduleKeyDeletion that failed', true, 'aws.kms', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'kms.amazonaws.com',
    eventName: 'ScheduleKeyDeletion',
    errorCode: 'AccessDeniedException',
    errorMessage: 'User is not authorized',
  }),
  scenario(
    'root sign-in, "Sign In" spelling',
    true,
    'aws.signin',
    'AWS Console Sign In via CloudTrail',
    {
      userIdentity: ROOT,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'No' },
    },
  ),
  scenario(
    'root sign-in, "Signin" spelling',
    true,
    'aws.signin',
    'AWS Console Signin via CloudTrail',
    {
      userIdentity: ROOT,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'YES' },
    },
  ),
  scenario('root failed sign-in', true, 'aws.signin', 'AWS Console Sign In via CloudTrail', {
    userIdentity: ROOT,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Failure' },
    errorMessage: 'Failed authentication',
  }),
  scenario('root console action', true, 'aws.billingconsole', 'AWS Console Action via CloudTrail', {
    userIdentity: ROOT,
    eventSource: 'billingconsole.amazonaws.com',
    eventName: 'UpdateBillingPreferences',
    eventType: 'AwsConsoleAction',
  }),
  scenario('centralized-root session s3 DeleteBucketPolicy', true, 'aws.s3', API_CALL, {
    userIdentity: { ...ROOT, accessKeyId: 'ASIAEXAMPLE', assumedRoot: 'true' },
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteBucketPolicy',
  }),
  // The console acting for the person signed in as root: the CIS filter drops these.
  scenario('root console CreateAccessKey (invokedBy signin)', true, 'aws.iam', API_CALL, {
    userIdentity: { ...ROOT, accessKeyId: 'ASIAEXAMPLE', invokedBy: 'signin.amazonaws.com' },
    userAgent: 'signin.amazonaws.com',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    requestParameters: null,
  }),
  scenario('root console StopLogging (invokedBy console)', true, 'aws.cloudtrail', API_CALL, {
    userIdentity: { ...ROOT, accessKeyId: 'ASIAEXAMPLE', invokedBy: 'console.amazonaws.com' },
    userAgent: 'console.amazonaws.com',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
  }),
  scenario('root console DescribeInstances, session from the console', true, 'aws.ec2', API_CALL, {
    userIdentity: { ...ROOT, accessKeyId: 'ASIAEXAMPLE' },
    userAgent: 'AWS Internal',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    readOnly: true,
    sessionCredentialFromConsole: 'true',
  }),
  // Opening a root session, in the management account, by whoever may.
  scenario('role session sts AssumeRoot', true, 'aws.sts', API_CALL, {
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/RootTaskOperator/alice`,
      sessionContext: { assumedRoot: 'true' },
    },
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    requestParameters: {
      targetPrincipal: '444455556666',
      taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
    },
  }),
  scenario('IAM user sts AssumeRoot that was refused', true, 'aws.sts', API_CALL, {
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' },
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    errorCode: 'AccessDenied',
  }),
  // Changes of who controls a root user, by any identity: a member account's root email and
  // contacts, named from the management account, and centralized root access switched.
  ...ROOT_USAGE.memberRecoveryChanged.eventNames.map((eventName) =>
    scenario(
      `role session account ${eventName} on a member account`,
      true,
      'aws.account',
      API_CALL,
      {
        userIdentity: ORG_ADMIN,
        eventSource: 'account.amazonaws.com',
        eventName,
        requestParameters: { accountId: MEMBER },
      },
    ),
  ),
  scenario(
    'IAM user account PutAlternateContact on a member, refused',
    true,
    'aws.account',
    API_CALL,
    {
      userIdentity: IAM_USER,
      eventSource: 'account.amazonaws.com',
      eventName: 'PutAlternateContact',
      requestParameters: { alternateContactType: 'SECURITY', accountId: MEMBER },
      errorCode: 'AccessDeniedException',
    },
  ),
  ...ROOT_USAGE.rootAccessSwitched.eventNames.map((eventName) =>
    scenario(`role session iam ${eventName}`, true, 'aws.iam', API_CALL, {
      userIdentity: ORG_ADMIN,
      eventSource: 'iam.amazonaws.com',
      eventName,
    }),
  ),
  scenario('root account PutAlternateContact on its own account', true, 'aws.account', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'account.amazonaws.com',
    eventName: 'PutAlternateContact',
    requestParameters: { alternateContactType: 'SECURITY' },
  }),
  scenario(
    'IAM user account PutAlternateContact on its own account',
    false,
    'aws.account',
    API_CALL,
    {
      userIdentity: IAM_USER,
      eventSource: 'account.amazonaws.com',
      eventName: 'PutAlternateContact',
      requestParameters: { alternateContactType: 'SECURITY' },
    },
  ),
  scenario(
    'role session account GetAlternateContact of a member, read-only',
    false,
    'aws.account',
    API_CALL,
    {
      userIdentity: ORG_ADMIN,
      eventSource: 'account.amazonaws.com',
      eventName: 'GetAlternateContact',
      requestParameters: { alternateContactType: 'SECURITY', accountId: MEMBER },
      readOnly: true,
    },
  ),
  scenario(
    'PutAlternateContact on a member named by another source',
    false,
    'aws.billingconsole',
    API_CALL,
    {
      userIdentity: ORG_ADMIN,
      eventSource: 'billingconsole.amazonaws.com',
      eventName: 'PutAlternateContact',
      requestParameters: { accountId: MEMBER },
    },
  ),
  scenario('role session iam ListOrganizationsFeatures', false, 'aws.iam', API_CALL, {
    userIdentity: ORG_ADMIN,
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListOrganizationsFeatures',
    readOnly: true,
  }),
  scenario(
    'DisableOrganizationsRootSessions named by another source',
    false,
    'aws.organizations',
    API_CALL,
    {
      userIdentity: ORG_ADMIN,
      eventSource: 'organizations.amazonaws.com',
      eventName: 'DisableOrganizationsRootSessions',
    },
  ),
  scenario(
    'member email change forged under a custom source',
    false,
    'com.example.forged',
    API_CALL,
    {
      userIdentity: ORG_ADMIN,
      eventSource: 'account.amazonaws.com',
      eventName: 'StartPrimaryEmailUpdate',
      requestParameters: { accountId: MEMBER },
    },
  ),
  scenario('role session sts AssumeRole', false, 'aws.sts', API_CALL, {
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob` },
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
  }),
  scenario('AssumeRoot forged under a custom source', false, 'com.example.forged', API_CALL, {
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob` },
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
  }),
  scenario('IAM user iam CreateAccessKey', false, 'aws.iam', API_CALL, {
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' },
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
  }),
  scenario('assumed role s3 PutBucketPolicy', false, 'aws.s3', API_CALL, {
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob` },
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketPolicy',
  }),
  scenario('IAM user sign-in', false, 'aws.signin', 'AWS Console Sign In via CloudTrail', {
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' },
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
  }),
  scenario('AWS service identity', false, 'aws.kms', API_CALL, {
    userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
    eventSource: 'kms.amazonaws.com',
    eventName: 'GenerateDataKey',
  }),
  scenario('root call made by a service for root (invokedBy)', false, 'aws.ec2', API_CALL, {
    userIdentity: { ...ROOT, invokedBy: 'support.amazonaws.com' },
    sourceIPAddress: 'support.amazonaws.com',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeSecurityGroups',
    readOnly: true,
  }),
  scenario('root call made by a load balancer for root', false, 'aws.ec2', API_CALL, {
    userIdentity: { ...ROOT, invokedBy: 'elasticloadbalancing.amazonaws.com' },
    sourceIPAddress: 'elasticloadbalancing.amazonaws.com',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateNetworkInterface',
  }),
  scenario('root call made by CloudFormation from a console session', false, 'aws.iam', API_CALL, {
    userIdentity: { ...ROOT, invokedBy: 'cloudformation.amazonaws.com' },
    sourceIPAddress: 'cloudformation.amazonaws.com',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateRole',
    sessionCredentialFromConsole: 'true',
  }),
  scenario('root call made by AWS Internal', false, 'aws.health', API_CALL, {
    userIdentity: { ...ROOT, invokedBy: 'AWS Internal' },
    sourceIPAddress: 'AWS Internal',
    eventSource: 'health.amazonaws.com',
    eventName: 'DescribeEventAggregates',
    readOnly: true,
  }),
  scenario('root AwsServiceEvent', false, 'aws.kms', 'AWS Service Event via CloudTrail', {
    userIdentity: ROOT,
    eventSource: 'kms.amazonaws.com',
    eventName: 'RotateKey',
    eventType: 'AwsServiceEvent',
  }),
  scenario('root AwsServiceEvent under the API-call detail-type', false, 'aws.sso', API_CALL, {
    userIdentity: ROOT,
    eventSource: 'sso.amazonaws.com',
    eventName: 'RefreshToken',
    eventType: 'AwsServiceEvent',
  }),
  scenario('root-shaped event that CloudTrail did not deliver', false, 'com.example.app', 'Audit', {
    userIdentity: ROOT,
    eventName: 'PretendRootUsage',
  }),
  // A principal with events:PutEvents can copy CloudTrail's detail-type, but not an aws. source.
  scenario('forged root API call under a custom source', false, 'com.example.forged', API_CALL, {
    userIdentity: ROOT,
    eventName: 'DescribeInstances',
  }),
];

const eventIdsOf = (delivered: Record<string, unknown>[]): string[] =>
  delivered.map((event) => (event.detail as { eventID: string }).eventID).sort();

const namesOf = (scenarios: readonly Scenario[], rootUsage: boolean): string[] =>
  scenarios
    .filter((s) => s.rootUsage === rootUsage)
    .map((s) => s.name)
    .sort();

describe('the root-usage EventBridge pattern', () => {
  it("is the engine's definition of root usage (ROOT_USAGE), so the function sees what it judges", () => {
    expect(MONITOR_PATTERN).toMatchObject({
      $or: [
        {
          detail: {
            userIdentity: {
              type: [ROOT_USAGE.identityType],
              invokedBy: [{ exists: false }, ...ROOT_USAGE.consoleInvokers],
            },
            eventType: [{ 'anything-but': ROOT_USAGE.serviceEventType }],
          },
        },
        {
          detail: {
            eventSource: [ROOT_USAGE.sessionIssued.eventSource],
            eventName: [ROOT_USAGE.sessionIssued.eventName],
          },
        },
        {
          detail: {
            eventSource: [ROOT_USAGE.memberRecoveryChanged.eventSource],
            eventName: [...ROOT_USAGE.memberRecoveryChanged.eventNames],
            requestParameters: {
              [ROOT_USAGE.memberRecoveryChanged.memberAccountParameter]: [{ exists: true }],
            },
          },
        },
        {
          detail: {
            eventSource: [ROOT_USAGE.rootAccessSwitched.eventSource],
            eventName: [...ROOT_USAGE.rootAccessSwitched.eventNames],
          },
        },
      ],
    });
  });

  it('fits EventBridge, which refuses a pattern over 4,096 characters', () => {
    expect(JSON.stringify(MONITOR_PATTERN).length).toBeLessThanOrEqual(4096);
  });

  describe('on the monitor bus (template.yaml)', () => {
    it('delivers exactly the root-usage events, from every service and both sign-in spellings', async () => {
      const events = new EventBridgeClient({ region: HOME_REGION });
      const recorder = await createRecorder(new SQSClient({ region: HOME_REGION }));
      const bus = await createBusWithRules(events, [MONITOR_PATTERN], recorder.arn, RULE_STATE);

      await putAll(
        events,
        bus.name,
        SCENARIOS.map((s) => s.entry),
      );

      expect(eventIdsOf(await recorder.drain())).toEqual(namesOf(SCENARIOS, true));
    });

    it('lets the sample events through as their names promise: ignored-* never reach the function', async () => {
      const events = new EventBridgeClient({ region: HOME_REGION });
      const recorder = await createRecorder(new SQSClient({ region: HOME_REGION }));
      // Both of the function's rules, with the parameter name the template defaults to.
      const bus = await createBusWithRules(
        events,
        [
          MONITOR_PATTERN,
          // In the account the events are put in: moto's, the one in the ARNs it hands out.
          configChangePattern('/root-monitor/config', recorder.arn.split(':')[4] ?? ''),
        ],
        recorder.arn,
        RULE_STATE,
      );
      const samples = readdirSync(join(REPO_ROOT, 'events'))
        .map((file) => ({
          file,
          event: JSON.parse(readFileSync(join(REPO_ROOT, 'events', file), 'utf8')),
        }))
        // The hand-typed payload has no envelope; only `sam local invoke` ever sees it. The
        // digest schedule's Scheduled Event is no CloudTrail event: no rule of these matches it.
        .filter(({ event }) => 'detail-type' in event && event.source !== 'aws.events');

      await putAll(
        events,
        bus.name,
        samples.map(({ event }) => ({
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
        })),
      );

      const arrived = eventIdsOf(await recorder.drain());
      const expected = samples
        .filter(({ file }) => !file.startsWith('ignored-'))
        .map(({ event }) => event.detail.eventID as string)
        .sort();
      expect(samples.length).toBeGreaterThanOrEqual(10);
      expect(arrived).toEqual(expected);
    });
  });

  describe('through the forwarder (infra/region-forwarder.yaml)', () => {
    it('carries exactly the root-usage events of another Region to the monitor bus, their own Region intact', async () => {
      const home = new EventBridgeClient({ region: HOME_REGION });
      const recorder = await createRecorder(new SQSClient({ region: HOME_REGION }));
      const monitorBus = await createBusWithRules(
        home,
        [MONITOR_PATTERN],
        recorder.arn,
        RULE_STATE,
      );
      const away = new EventBridgeClient({ region: 'eu-central-1' });
      const forwardingBus = await createBusWithRules(
        away,
        [FORWARDER_PATTERN],
        monitorBus.arn,
        RULE_STATE,
      );
      const regional = SCENARIOS.map((s) => ({
        ...s,
        entry: {
          ...s.entry,
          Detail: JSON.stringify({
            ...JSON.parse(s.entry.Detail ?? '{}'),
            awsRegion: 'eu-central-1',
          }),
        },
      }));

      await putAll(
        away,
        forwardingBus.name,
        regional.map((s) => s.entry),
      );

      const arrived = await recorder.drain();
      expect(eventIdsOf(arrived)).toEqual(namesOf(SCENARIOS, true));
      expect(
        new Set(arrived.map((event) => (event.detail as { awsRegion: string }).awsRegion)),
      ).toEqual(new Set(['eu-central-1']));
    });
  });
});
