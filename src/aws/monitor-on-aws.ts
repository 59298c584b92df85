import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../rules/index.js';
import { ConfigAlarm } from '../config-watch/config-alarm.js';
import { ConfigInForce } from '../config-watch/config-in-force.js';
import { FIRST_SEEN_DEFAULTS } from '../first-seen/first-seen-settings.js';
import { Monitor } from '../pipeline/monitor.js';
import { type MetricsRecorder, NO_METRICS, type PipelineLogger } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { Settings } from '../settings.js';
import { type AlertingClients, alertingBaseOnAws, eventBusOnAws } from './alerting-base-on-aws.js';
import { BOUNDED_CALLS } from './bounded-calls.js';
import { ConfigSource } from './config-source.js';
import { FirstSeenTable } from './first-seen-table.js';
import { Forensics } from './forensics.js';
import { RootSessionTable } from './root-session-table.js';
import { findingTargetOf, SecurityHubFindings } from './security-hub.js';

/** Clients to share or to fault; by default each is built from the environment, as the SDK does. */
export interface AwsClients extends AlertingClients {
  ssm?: SSMClient;
  securityHub?: SecurityHubClient;
}

/**
 * The monitor on its AWS adapters: SSM for configuration, DynamoDB for dedup, the root sessions
 * it has seen opened and the sources root used, SNS for alerts, and EventBridge for the alerts'
 * events.
 */
export const monitorOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients = {},
  metrics?: MetricsRecorder,
  /** The clock and the pauses of a claim's wait; tests move them on. */
  timing?: Timing,
): Monitor => {
  const { dynamodb, store, sink, handler } = alertingBaseOnAws(
    'real-time',
    settings,
    logger,
    clients,
    metrics ?? NO_METRICS,
    timing,
  );
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
    store,
    sessions: new RootSessionTable(settings.dedupTableName, dynamodb),
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
    events: eventBusOnAws(settings, clients),
    metrics,
    ...handler,
  });
};
