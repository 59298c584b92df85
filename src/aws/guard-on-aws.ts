import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../rules/index.js';
import { ConfigChangeAnnouncer } from '../config-watch/config-change-announcer.js';
import { Guard } from '../guard/guard.js';
import { NO_METRICS, type PipelineLogger, type UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { Settings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { DedupTable } from './dedup-table.js';
import { monitorOnAws } from './monitor-on-aws.js';
import { ParameterHistoryReader } from './parameter-history.js';
import { unexpectedInputAlarmOnAws } from './unexpected-input-on-aws.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface GuardClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
  ssm?: SSMClient;
  eventBridge?: EventBridgeClient;
}

/**
 * The guard on its AWS adapters: SSM's parameter history for what a change did, DynamoDB for
 * one announcement per event, SNS for the announcements.
 */
export const guardOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: GuardClients = {},
  /** The clock and the pauses of a claim's wait; tests move them on. */
  timing?: Timing,
  metrics: UnexpectedInputMetrics = NO_METRICS,
): Guard => {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS);
  const store = new DedupTable(settings.dedupTableName, dynamodb);
  const sns = clients.sns ?? new SNSClient(BOUNDED_CALLS);
  const ssm = clients.ssm ?? new SSMClient(BOUNDED_CALLS);
  return new Guard({
    configParameter: settings.configParameter,
    topicArn: settings.topicArn,
    announcer: new ConfigChangeAnnouncer({
      topicArn: settings.topicArn,
      path: settings.configParameter.endsWith('/'),
      history: new ParameterHistoryReader(ssm),
      store,
      sink: new AlertTopic(sns, { fallbackTopicArn: settings.fallbackTopicArn, logger }),
      logger,
      catalog: CATALOG,
      ...(timing === undefined ? {} : { timing }),
    }),
    // The same pipeline as the real-time function's, on the guard's own clients and role; the
    // forensic snapshot and Security Hub stay the real-time function's. Its alerts go on the
    // event bus like every other: a change to the monitor is what a pager must hear of.
    monitor: monitorOnAws(
      { ...settings, forensicsBucket: undefined, securityHubFindings: false },
      logger,
      { dynamodb, sns, ssm, eventBridge: clients.eventBridge },
      undefined,
      timing,
    ),
    unexpectedInput: unexpectedInputAlarmOnAws('guard', settings, {
      store,
      sns,
      logger,
      metrics,
    }),
    logger,
    maxInvocationMs: FUNCTION_TIMEOUT_SECONDS * 1000,
    ...(timing === undefined ? {} : { timing }),
  });
};
