import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DigestSchedule } from '../pipeline/digest-schedule.js';
import type { PipelineLogger } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import { WindowDigests } from '../pipeline/window-digests.js';
import type { AlertingSettings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { DigestTable } from './digest-table.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface DigestClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
}

/** The digest schedule on its AWS adapters: the dedup table's index of digests due, and SNS. */
export const digestScheduleOnAws = (
  settings: AlertingSettings,
  logger: PipelineLogger,
  clients: DigestClients = {},
  /** The clock; tests move it on. */
  timing?: Timing,
): DigestSchedule =>
  new DigestSchedule({
    digests: new WindowDigests({
      store: new DigestTable(
        settings.dedupTableName,
        clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS),
      ),
      sink: new AlertTopic(clients.sns ?? new SNSClient(BOUNDED_CALLS), {
        fallbackTopicArn: settings.fallbackTopicArn,
        logger,
      }),
      topicArn: settings.topicArn,
      logger,
      ...(timing === undefined ? {} : { clock: timing.clock }),
    }),
    maxInvocationMs: FUNCTION_TIMEOUT_SECONDS * 1000,
    ...(timing === undefined ? {} : { timing }),
  });
