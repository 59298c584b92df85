import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../../rules/index.js';
import { FORWARDER_STACK_SET_PARAMETER } from '../../health/accounts.js';
import { backstopCheck } from '../../health/backstop.js';
import type { Check } from '../../health/check.js';
import { configCheck } from '../../health/config.js';
import { digestsCheck } from '../../health/digests.js';
import { type DriftWait, driftCheck } from '../../health/drift.js';
import { functionsCheck } from '../../health/functions.js';
import type { HealthSettings } from '../../health/health-settings.js';
import { keysCheck } from '../../health/keys.js';
import { parkedCheck } from '../../health/parked.js';
import { STACK_READ_ACTIONS } from '../../health/ports.js';
import { regionsCheck } from '../../health/regions.js';
import { ruleCheck } from '../../health/rule.js';
import { subscribersCheck } from '../../health/subscribers.js';
import { trailCheck } from '../../health/trail.js';
import { BOUNDED_CALLS } from '../bounded-calls.js';
import { ConfigSource } from '../config-source.js';
import { DigestTable } from '../digest-table.js';
import { accountsCheckOnAws } from './accounts-check-on-aws.js';
import type { ClientPreparation } from './client-preparation.js';
import { EventRules } from './event-rules.js';
import { StackFunctions } from './functions.js';
import { AlertKeys } from './keys.js';
import { MonitorStack } from './monitor-stack.js';
import { QueueDepths } from './queue-depths.js';
import { AccountRegions } from './regions.js';
import { IamRoles } from './roles.js';
import { TopicSubscriptionList } from './topic-subscriptions.js';
import { Trails } from './trails.js';

/**
 * The checks on their AWS adapters, each call bounded like the function's own. Every client
 * is made for the monitor's home Region (the forwarder reads for each other Region), so a
 * laptop's default Region does not matter.
 */
export const healthChecksOnAws = (
  settings: HealthSettings,
  prepare: ClientPreparation = (client) => client,
  /** Doctor waits for the drift detection it starts; the hourly runs read the previous one. */
  { driftWait }: { driftWait?: DriftWait } = {},
): Check[] => {
  // Credentials and endpoint come from the environment, as the SDK finds them.
  const options = (region: string) => ({ ...BOUNDED_CALLS, region });
  const home = options(settings.homeRegion);
  const rules = new EventRules((region) => prepare(new EventBridgeClient(options(region))));
  const stack = new MonitorStack(prepare(new CloudFormationClient(home)), settings.stackName);
  const sns = prepare(new SNSClient(home));
  return [
    trailCheck(new Trails(prepare(new CloudTrailClient(home)))),
    ruleCheck(rules, stack),
    functionsCheck(new StackFunctions(prepare(new LambdaClient(home))), stack),
    regionsCheck(
      new AccountRegions(prepare(new EC2Client(home))),
      rules,
      new IamRoles(prepare(new IAMClient(home))),
      stack,
      settings,
    ),
    // As the stack set's delegated administrator, when the stack names it.
    accountsCheckOnAws(
      settings.homeRegion,
      {
        async at(now) {
          const name = (await stack.deployed(now)).facts.parameters[FORWARDER_STACK_SET_PARAMETER];
          return name
            ? {
                stackSetName: name,
                callAs: 'DELEGATED_ADMIN',
                excludedRegions: settings.excludedRegions,
              }
            : undefined;
        },
        actions: STACK_READ_ACTIONS,
      },
      prepare,
    ),
    backstopCheck(stack),
    subscribersCheck(new TopicSubscriptionList(sns), stack, {
      topicArns: [
        settings.topicArn,
        ...(settings.fallbackTopicArn === undefined ? [] : [settings.fallbackTopicArn]),
      ],
    }),
    keysCheck(
      new AlertKeys((region) => prepare(new KMSClient(options(region))), sns, {
        homeRegion: settings.homeRegion,
        account: settings.homeBusArn.split(':')[4] ?? '',
      }),
      stack,
    ),
    parkedCheck(new QueueDepths(prepare(new SQSClient(home))), settings),
    digestsCheck(
      new DigestTable(settings.dedupTableName, prepare(new DynamoDBClient(home))),
      settings,
    ),
    configCheck(
      new ConfigSource({
        parameter: settings.configParameter,
        maxAgeSeconds: 0,
        client: prepare(new SSMClient(home)),
      }),
      { ...settings, catalog: CATALOG },
    ),
    driftCheck(stack, {
      stackName: settings.stackName,
      wait: driftWait,
    }),
  ];
};
