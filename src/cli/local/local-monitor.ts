import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { escapeText } from '../../alert/text/escape.js';
import { createDedupTable } from '../../aws/dedup-table-shape.js';
import { UsageError } from '../usage-error.js';
import { createQueueInbox } from './queue-inbox.js';

/** What the functions' settings name, to be made in the emulator as the stack would make it. */
export interface LocalResources {
  /** The account and Region of the topics' ARNs: the emulator's. */
  accountId: string;
  region: string;
  /** ALERT_TOPIC_ARN, then FALLBACK_TOPIC_ARN, of every function, each once. */
  topicArns: string[];
  tables: string[];
  parameters: string[];
  buckets: string[];
}

/** Credentials the emulator accepts: any. Never a real account's. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
  sessionToken: 'testing',
};

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

/**
 * The resources `settings` name (the variables of each function to run, by logical ID), all in
 * one account and Region, as one stack's are.
 *
 * @throws UsageError naming the file, the function and the variable when a topic ARN is not one,
 * or the topics are in different accounts or Regions
 */
export const resourcesNamed = (
  settings: Readonly<Record<string, Readonly<Record<string, string>>>>,
  file: string,
): LocalResources => {
  const named = escapeText(file, 500);
  const each = (variable: string): { functionId: string; value: string }[] =>
    Object.entries(settings).flatMap(([functionId, vars]) => {
      const value = vars[variable];
      return value === undefined || value === '' ? [] : [{ functionId, value }];
    });
  const distinct = (variable: string): string[] => [
    ...new Set(each(variable).map(({ value }) => value)),
  ];
  let home: { accountId: string; region: string; where: string } | undefined;
  for (const variable of ['ALERT_TOPIC_ARN', 'FALLBACK_TOPIC_ARN']) {
    for (const { functionId, value } of each(variable)) {
      const where = `${named}: ${functionId}.${variable}`;
      const [, region, accountId] = SNS_TOPIC_ARN.exec(value) ?? [];
      if (region === undefined || accountId === undefined) {
        throw new UsageError(
          `${where} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME): ${JSON.stringify(escapeText(value, 300))}`,
        );
      }
      home ??= { accountId, region, where };
      if (accountId !== home.accountId || region !== home.region) {
        throw new UsageError(
          `${where} is in ${accountId} ${region}, ${home.where} in ${home.accountId} ${home.region}: the emulator runs one account in one Region`,
        );
      }
    }
  }
  if (home === undefined) {
    throw new UsageError(
      `${named}: no ALERT_TOPIC_ARN for ${Object.keys(settings).join(', ')}; it names the topic alerts go to`,
    );
  }
  return {
    accountId: home.accountId,
    region: home.region,
    topicArns: [...new Set([...distinct('ALERT_TOPIC_ARN'), ...distinct('FALLBACK_TOPIC_ARN')])],
    tables: distinct('DEDUP_TABLE_NAME'),
    parameters: distinct('CONFIG_PARAMETER'),
    buckets: distinct('FORENSICS_BUCKET'),
  };
};

/** One message a topic delivered, as its SQS subscriber sees it. */
export interface Delivery {
  topicName: string;
  /** The `severity` message attribute, which subscription filters match on. */
  severity: string | undefined;
  subject: string | undefined;
}

/** A topic with a queue subscribed, as a person's email or chat integration would be. */
export interface TopicInbox {
  topicName: string;
  /** Everything delivered since the last call, oldest first; removes it from the queue. */
  drain(): Promise<Delivery[]>;
}

interface Envelope {
  Subject?: string | null;
  MessageAttributes?: Record<string, { Value?: string }>;
}

const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * Makes in the emulator at `endpoint` what template.yaml declares for the functions that
 * `resources` came from: the topics, each with an SQS queue subscribed; the dedup table with its
 * key, index and TTL; the configuration parameter holding `configDocument` (under a path, one
 * document in it); the forensics bucket.
 *
 * @returns the topics' inboxes, in the order of `resources.topicArns`
 */
export const createLocalMonitor = async (
  endpoint: string,
  resources: LocalResources,
  configDocument: string,
): Promise<TopicInbox[]> => {
  const config = { endpoint, region: resources.region, credentials: EMULATOR_CREDENTIALS };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  const ssm = new SSMClient(config);
  // Path-style: a bucket name as a host name would need DNS for the emulator's address.
  const s3 = new S3Client({ ...config, forcePathStyle: true });

  const inboxOf = async (topicArn: string): Promise<TopicInbox> => {
    const topicName = nameOf(topicArn);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
    if (TopicArn !== topicArn) {
      throw new Error(`the emulator made topic ${TopicArn}, not ${topicArn}`);
    }
    const queue = await createQueueInbox(sns, sqs, `${topicName}-inbox`);
    await queue.subscribe(TopicArn);
    const drain = async (): Promise<Delivery[]> =>
      (await queue.drain()).map((body) => {
        const envelope = JSON.parse(body) as Envelope;
        return {
          topicName,
          severity: envelope.MessageAttributes?.severity?.Value,
          subject: envelope.Subject ?? undefined,
        };
      });
    return { topicName, drain };
  };

  const inboxes = await Promise.all(resources.topicArns.map(inboxOf));
  await Promise.all([
    ...resources.tables.map((table) => createDedupTable(dynamodb, table)),
    ...resources.parameters.map((parameter) =>
      ssm.send(
        new PutParameterCommand({
          // A path holds documents under it; one is enough.
          Name: parameter.endsWith('/') ? `${parameter}config` : parameter,
          Type: 'String',
          Value: configDocument,
        }),
      ),
    ),
    ...resources.buckets.map((bucket) =>
      s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is the one Region that takes no location constraint.
          ...(resources.region === 'us-east-1'
            ? {}
            : {
                CreateBucketConfiguration: {
                  LocationConstraint: resources.region as BucketLocationConstraint,
                },
              }),
        }),
      ),
    ),
  ]);
  return inboxes;
};
