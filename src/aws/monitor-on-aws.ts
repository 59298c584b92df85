import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../rules/index.js';
import { ConfigAlarm } from '../config-watch/config-alarm.js';
import { ConfigInForce } from '../config-watch/config-in-force.js';
import { FIRST_SEEN_DEFAULTS } from '../first-seen/first-seen-settings.js';
import { Monitor } from '../pipeline/monitor.js';
import { type MetricsRecorder, NO_METRICS, type PipelineLogger } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { Settings } from '../settings.js';
import { AlertTopic } from './alert-topic.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { ConfigSource } from './config-source.js';
import { DedupTable } from './dedup-table.js';
import { EventBus } from './event-bus.js';
import { FirstSeenTable } from './first-seen-table.js';
import { Forensics } from './forensics.js';
import { findingTargetOf, SecurityHubFindings } from './security-hub.js';
import { unexpectedInputAlarmOnAws } from './unexpected-input-on-aws.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface AwsClients {
  dynamodb?: DynamoDBClient;
  sns?: SNSClient;
  ssm?: SSMClient;
  securityHub?: SecurityHubClient;
  eventBridge?: EventBridgeClient;
}

/**
 * The monitor on its AWS adapters: SSM for configuration, DynamoDB for dedup and the sources
 * root used, SNS for alerts, and EventBridge for the alerts' events.
 */
export const monitorOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients = {},
  metrics?: MetricsRecorder,
  /** The clock and the pauses of a claim's wait; tests move them on. */
  timing?: Timing,
): Monitor => {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS);
  const store = new DedupTable(settings.dedupTableName, dynamodb);
  const sns = clients.sns ?? new SNSClient(BOUNDED_CALLS);
  const sink = new AlertTopic(sns, {
    fallbackTopicArn: settings.fallbackTopicArn,
    logger,
  });
  const ssm = clients.ssm ?? new SSMClient(BOUNDED_CALLS);
  const source = new ConfigSource({
    parameter: settings.configParameter,
    maxAgeSeconds: settings.configMaxAgeSeconds,
    client: ssm,
  });
  return new Monitor({
    catalog: CATALOG,
    topicArn: settings.topicArn,
    alarmTopicArn: settings.fallbackTopicArn,
    monitor: settings.monitor,
    config: new ConfigInForce(
      source,
      {
        catalog: CATALOG,
        sourceName: settings.configParameter,
        staleAlarmSeconds: settings.configStaleAlarmSeconds,
      },
      logger,
    ),
    configAlarm: new ConfigAlarm(store, sink, settings.topicArn, logger),
    unexpectedInput: unexpectedInputAlarmOnAws('real-time', settings, {
      store,
      sns,
      logger,
      metrics: metrics ?? NO_METRICS,
    }),
    store,
    sources: new FirstSeenTable(
      settings.dedupTableName,
      dynamodb,
      settings.firstSeen ?? FIRST_SEEN_DEFAULTS,
    ),
    sink,
    forensics:
      settings.forensicsBucket === undefined
        ? undefined
        : new Forensics({
            bucket: settings.forensicsBucket,
            kmsKeyId: settings.forensicsKmsKeyId,
          }),
    findings: settings.securityHubFindings
      ? new SecurityHubFindings({
          target: findingTargetOf(settings.topicArn),
          client: clients.securityHub,
        })
      : undefined,
    events:
      settings.alertEventBus === undefined
        ? undefined
        : new EventBus({ busName: settings.alertEventBus, client: clients.eventBridge }),
    logger,
    metrics,
    maxInvocationMs: FUNCTION_TIMEOUT_SECONDS * 1000,
    ...(timing === undefined ? {} : { timing }),
  });
};
