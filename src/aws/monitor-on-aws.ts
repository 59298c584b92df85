import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfigAlarm } from '../pipeline/config-alarm.js';
import { ConfigInForce } from '../pipeline/config-in-force.js';
import { Monitor } from '../pipeline/monitor.js';
import type { PipelineLogger } from '../pipeline/ports.js';
import type { Settings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { ConfigSource } from './config-source.js';
import { DedupTable } from './dedup-table.js';
import { Forensics } from './forensics.js';

/**
 * Every AWS call gives up within seconds (three attempts of at most 1 s to connect and 3 s to
 * answer), far inside the Lambda's 30 s timeout. A call left hanging until the timeout would end
 * the invocation with the dedup claim still standing, and the retry would be taken for a
 * redelivery; a call that fails in time releases the claim and throws, and the retry alerts.
 */
const BOUNDED = {
  // Without throwOnRequestTimeout the handler only warns when requestTimeout passes.
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface AwsClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
  ssm?: SSMClient;
}

/** The monitor on its AWS adapters: SSM for configuration, DynamoDB for dedup, SNS for alerts. */
export const monitorOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients = {},
): Monitor => {
  const store = new DedupTable(
    settings.dedupTableName,
    clients.dynamodb ?? new DynamoDBClient(BOUNDED),
  );
  const sink = new AlertTopic(clients.sns ?? new SNSClient(BOUNDED));
  const source = new ConfigSource({
    parameter: settings.configParameter,
    maxAgeSeconds: settings.configMaxAgeSeconds,
    client: clients.ssm ?? new SSMClient(BOUNDED),
  });
  return new Monitor({
    topicArn: settings.topicArn,
    monitor: settings.monitor,
    config: new ConfigInForce(source, settings.configParameter, logger),
    configAlarm: new ConfigAlarm(store, sink, settings.topicArn, logger),
    store,
    sink,
    forensics:
      settings.forensicsBucket === undefined
        ? undefined
        : new Forensics({
            bucket: settings.forensicsBucket,
            kmsKeyId: settings.forensicsKmsKeyId,
          }),
    logger,
  });
};
