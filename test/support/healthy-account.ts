import { randomUUID } from 'node:crypto';
import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AccountRegions } from '../../src/aws/health/regions.js';
import { loadTemplate, resourceOf } from '../deploy/cloudformation-template.js';
import { createDedupTable } from './dedup-table.js';
import { deployTemplateResources, standInFunctions } from './monitor-cloudformation.js';
import { freshAccountId, inAccount } from './moto-account.js';

const HOME = 'us-east-1';

/** The root-usage pattern as template.yaml declares it, which each forwarder carries too. */
const ROOT_PATTERN = JSON.stringify(
  resourceOf(loadTemplate('template.yaml'), 'RootUsageRule').Properties?.EventPattern,
);

export interface HealthyAccount {
  accountId: string;
  /** The health-check function's environment, as the stack sets it. */
  env: Record<string, string>;
  /** Credentials that moto attributes to this account, for a child process. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  queueUrls: string[];
  topicArn: string;
  /** Clients in this account, for a test to break something. */
  clients: {
    sqs: SQSClient;
    ssm: SSMClient;
    events: EventBridgeClient;
    cloudtrail: CloudTrailClient;
  };
}

/**
 * A fresh moto account holding everything the checks look for, shaped as template.yaml and
 * infra/region-forwarder.yaml make it: a logging multi-Region trail, the root-usage rule on every
 * management event targeting the function, a forwarder in every other enabled Region, a topic
 * with a confirmed subscription, two empty queues, a dedup table with no digest overdue and a
 * valid configuration document.
 */
export const healthyAccount = async (): Promise<HealthyAccount> => {
  const accountId = freshAccountId();
  const at = <C extends { middlewareStack: object }>(client: C): C => inAccount(client, accountId);
  const suffix = randomUUID().slice(0, 8);
  // The stack's root-usage and configuration-change rules, invoking the function, as
  // template.yaml declares them.
  const { stackName, physicalId } = await deployTemplateResources(
    accountId,
    ['AlertKey', 'RootUsageRule', 'ConfigChangeRule', 'RuleDeadLetterQueue'],
    { replaced: standInFunctions('RootMonitorFunction', 'GuardFunction') },
  );
  const functionArn = `arn:aws:lambda:${HOME}:${accountId}:function:${await physicalId('RootMonitorFunction')}`;
  const ruleName = await physicalId('RootUsageRule');
  const homeBusArn = `arn:aws:events:${HOME}:${accountId}:event-bus/default`;

  const s3 = at(new S3Client({ region: HOME }));
  const cloudtrail = at(new CloudTrailClient({ region: HOME }));
  const trail = `trail-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: trail }));
  await cloudtrail.send(
    new CreateTrailCommand({ Name: trail, S3BucketName: trail, IsMultiRegionTrail: true }),
  );
  await cloudtrail.send(new StartLoggingCommand({ Name: trail }));

  // The forwarders' role, as infra/region-forwarder.yaml makes it: EventBridge's, and allowed to
  // put events on the home bus only.
  const iam = at(new IAMClient({ region: HOME }));
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: `root-monitor-forwarder-${suffix}`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: `root-monitor-forwarder-${suffix}`,
      PolicyName: 'put-on-monitoring-bus',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBusArn }],
      }),
    }),
  );
  const forwardingRole = Role?.Arn ?? '';
  const eventsIn = (region: string) => at(new EventBridgeClient({ region }));
  const events = eventsIn(HOME);
  const putRule = async (client: EventBridgeClient, name: string, target: string) => {
    await client.send(
      new PutRuleCommand({
        Name: name,
        EventPattern: ROOT_PATTERN,
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [{ Id: 't', Arn: target, RoleArn: forwardingRole }],
      }),
    );
  };
  const regions = await new AccountRegions(at(new EC2Client({ region: HOME }))).enabledRegions();
  await Promise.all(
    regions
      .filter((region) => region !== HOME)
      .map((region) => putRule(eventsIn(region), `root-monitor-forwarder-${suffix}`, homeBusArn)),
  );

  const sqs = at(new SQSClient({ region: HOME }));
  const queue = async (name: string) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${suffix}` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl ?? '', arn: Attributes?.QueueArn ?? '' };
  };
  const onFailure = await queue('OnFailureQueue');
  const deadLetter = await queue('RuleDeadLetterQueue');
  const inbox = await queue('chat-relay');

  const sns = at(new SNSClient({ region: HOME }));
  const { TopicArn: topicArn = '' } = await sns.send(
    new CreateTopicCommand({ Name: `alerts-${suffix}` }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: inbox.arn }),
  );

  const ssm = at(new SSMClient({ region: HOME }));
  const configParameter = `/root-monitor-${suffix}/config`;
  await ssm.send(
    new PutParameterCommand({
      Name: configParameter,
      Value: JSON.stringify({ version: 1, allow: [] }),
      Type: 'String',
    }),
  );

  const dedupTableName = await createDedupTable('health', at(new DynamoDBClient({ region: HOME })));

  await iam.send(new CreateUserCommand({ UserName: 'doctor' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'doctor' }));

  return {
    accountId,
    env: {
      MONITOR_FUNCTION_ARN: functionArn,
      ROOT_USAGE_RULE_NAME: ruleName,
      ALERT_TOPIC_ARN: topicArn,
      MONITOR_QUEUE_ARNS: `${onFailure.arn},${deadLetter.arn}`,
      DEDUP_TABLE_NAME: dedupTableName,
      CONFIG_PARAMETER: configParameter,
      MONITOR_STACK_NAME: stackName,
    },
    credentials: {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    },
    queueUrls: [onFailure.url, deadLetter.url],
    topicArn,
    clients: { sqs, ssm, events, cloudtrail },
  };
};
