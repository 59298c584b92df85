import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { DigestSchedule } from '../digests/digest-schedule.js';
import { WindowDigests } from '../digests/window-digests.js';
import { NO_METRICS, type PipelineLogger, type UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { AlertingSettings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { DedupTable } from './dedup-table.js';
import { DigestTable } from './digest-table.js';
import { EventBus } from './event-bus.js';
import { unexpectedInputAlarmOnAws } from './unexpected-input-on-aws.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface DigestClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
  eventBridge?: EventBridgeClient;
}

/**
 * The digest schedule on its AWS adapters: the dedup table's index of digests due, SNS, and
 * EventBridge for the digests' events.
 */
export const digestScheduleOnAws = (
  settings: AlertingSettings,
  logger: PipelineLogger,
  clients: DigestClients = {},
  /** The clock; tests move it on. */
  timing?: Timing,
  metrics: UnexpectedInputMetrics = NO_METRICS,
): DigestSchedule => {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS);
  const sns = clients.sns ?? new SNSClient(BOUNDED_CALLS);
  return new DigestSchedule({
    digests: new WindowDigests({
      store: new DigestTable(settings.dedupTableName, dynamodb),
      sink: new AlertTopic(sns, { fallbackTopicArn: settings.fallbackTopicArn, logger }),
      topicArn: settings.topicArn,
      logger,
      events:
        settings.alertEventBus === undefined
          ? undefined
          : new EventBus({ busName: settings.alertEventBus, client: clients.eventBridge }),
      ...(timing === undefined ? {} : { clock: timing.clock }),
    }),
    unexpectedInput: unexpectedInputAlarmOnAws('digests', settings, {
      store: new DedupTable(settings.dedupTableName, dynamodb),
      sns,
      logger,
      metrics,
    }),
    maxInvocationMs: FUNCTION_TIMEOUT_SECONDS * 1000,
    ...(timing === undefined ? {} : { timing }),
  });
};
