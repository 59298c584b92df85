import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { digestScheduleOnAws } from '../../src/aws/digests-on-aws.js';
import { type AwsClients, monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import type { MonitorResources } from '../../src/engine/rule.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import type { Timing } from '../../src/pipeline/settle-claim.js';
import type { Settings } from '../../src/settings.js';
import { createDedupTable } from './dedup-table.js';
import { recordingLogger } from './recording-logger.js';
import { createTopicInbox } from './topic-inbox.js';

/**
 * Wall-clock time that the test moves on (a Lambda retry a minute later, a lease running out)
 * and that a wait for another invocation's alert spends at once.
 */
export const virtualTiming = (): Timing & { advance(ms: number): void } => {
  let offset = 0;
  return {
    clock: () => new Date(Date.now() + offset),
    sleep: async (ms) => {
      offset += ms;
    },
    advance: (ms) => {
      offset += ms;
    },
  };
};

/** A Lambda context for an invocation with `remainingMs` left. */
export const invocationWith = (remainingMs: number) => ({
  getRemainingTimeInMillis: () => remainingMs,
});

/** An EventBridge envelope around a CloudTrail record. */
export const envelope = (detail: CloudTrailRecord) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: '111122223333',
  time: '2026-03-14T02:51:08Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

/** What a schedule rule sends its target, the digest function's: a Scheduled Event. */
export const scheduledEvent = () => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:111122223333:rule/root-monitor-DigestSchedule'],
  detail: {},
});

/**
 * A deployed monitor's resources, unique to the caller: a topic with an SQS inbox, a dedup
 * table and a configuration parameter holding `config`; with `alarmTopic`, the stack's second
 * topic too, the function's fallback, on the same inbox. `monitor` adds to the resources the
 * tampering rule knows. With `eventBus`, alerts and digests are also put on that bus, as the
 * stack puts them on the default bus. Call after `useMoto()`.
 */
export const deployMonitor = async (
  config: object = { version: 1 },
  {
    configMaxAgeSeconds = 60,
    alarmTopic = false,
    monitor = {},
    eventBus,
  }: {
    configMaxAgeSeconds?: number;
    alarmTopic?: boolean;
    monitor?: MonitorResources;
    eventBus?: string;
  } = {},
) => {
  const suffix = randomUUID().slice(0, 8);
  const inbox = await createTopicInbox('alerts');
  const alarmTopicArn = alarmTopic ? await inbox.addTopic('alarms') : undefined;
  const dedupTableName = await createDedupTable();
  const configParameter = `/root-monitor-${suffix}/config`;
  await new SSMClient().send(
    new PutParameterCommand({
      Name: configParameter,
      Type: 'String',
      Value: JSON.stringify(config),
    }),
  );
  const settings: Settings = {
    topicArn: inbox.topicArn,
    fallbackTopicArn: alarmTopicArn,
    dedupTableName,
    alertEventBus: eventBus,
    configParameter,
    configMaxAgeSeconds,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: {
      configParameter,
      topicArn: inbox.topicArn,
      fallbackTopicArn: alarmTopicArn,
      dedupTableName,
      ...monitor,
    },
  };
  /**
   * A fresh Lambda container: its own caches and clients, the same AWS resources. `digests` is
   * the digest function's, in a container of its own with the same clients.
   */
  const container = (clients: AwsClients = {}, timing?: Timing) => {
    const logger = recordingLogger();
    return {
      monitor: monitorOnAws(settings, logger, clients, undefined, timing),
      digests: digestScheduleOnAws(settings, logger, clients, timing),
      logger,
    };
  };
  /** Every item in the table. */
  const items = async () =>
    (await new DynamoDBClient().send(new ScanCommand({ TableName: dedupTableName }))).Items ?? [];
  /** The dedup windows, without the notes of events handled (which carry no count). */
  const windows = async () => (await items()).filter((item) => item.suppressed !== undefined);
  /** The notes of root events a window counted or opened with (see `eventKeyOf`). */
  const notes = async () => (await items()).filter((item) => item.suppressed === undefined);
  return { inbox, alarmTopicArn, settings, container, items, windows, notes };
};
