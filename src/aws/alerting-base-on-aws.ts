import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { MonitorFunction } from '../intake/trigger-input.js';
import type { PipelineLogger, UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { AlertingSettings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { DedupTable } from './dedup-table.js';
import { EventBus } from './event-bus.js';
import { unexpectedInputAlarmOnAws } from './unexpected-input-on-aws.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface AlertingClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
  eventBridge?: EventBridgeClient;
}

/**
 * What every function that alerts is built on alike: its DynamoDB and SNS clients, the dedup
 * table, the alert topic (falling back to the alarm topic), and the parts its handler runs with:
 * the unexpected-input alarm, the logger, the function's timeout and the clock.
 */
export const alertingBaseOnAws = (
  fn: MonitorFunction,
  settings: AlertingSettings,
  logger: PipelineLogger,
  clients: AlertingClients,
  metrics: UnexpectedInputMetrics,
  /** The clock and the pauses of a claim's wait; tests move them on. */
  timing: Timing | undefined,
) => {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS);
  const sns = clients.sns ?? new SNSClient(BOUNDED_CALLS);
  const store = new DedupTable(settings.dedupTableName, dynamodb);
  return {
    dynamodb,
    sns,
    store,
    sink: new AlertTopic(sns, { fallbackTopicArn: settings.fallbackTopicArn, logger }),
    handler: {
      unexpectedInput: unexpectedInputAlarmOnAws(fn, settings, { store, sns, logger, metrics }),
      logger,
      maxInvocationMs: FUNCTION_TIMEOUT_SECONDS * 1000,
      ...(timing === undefined ? {} : { timing }),
    },
  };
};

/** The event bus alerts and digests are also put on, when the settings name one. */
export const eventBusOnAws = (
  settings: AlertingSettings,
  clients: AlertingClients,
): EventBus | undefined =>
  settings.alertEventBus === undefined
    ? undefined
    : new EventBus({ busName: settings.alertEventBus, client: clients.eventBridge });
