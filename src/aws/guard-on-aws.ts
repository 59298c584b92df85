import { SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../rules/index.js';
import { ConfigChangeAnnouncer } from '../config-watch/config-change-announcer.js';
import { Guard } from '../guard/guard.js';
import { NO_METRICS, type PipelineLogger, type UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { Settings } from '../settings.js';
import { type AlertingClients, alertingBaseOnAws } from './alerting-base-on-aws.js';
import { BOUNDED_CALLS } from './bounded-calls.js';
import { monitorOnAws } from './monitor-on-aws.js';
import { ParameterHistoryReader } from './parameter-history.js';

/**
 * The guard on its AWS adapters: SSM's parameter history for what a change did, DynamoDB for
 * one announcement per event, SNS for the announcements.
 */
export const guardOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AlertingClients & { ssm?: SSMClient } = {},
  /** The clock and the pauses of a claim's wait; tests move them on. */
  timing?: Timing,
  metrics: UnexpectedInputMetrics = NO_METRICS,
): Guard => {
  const { dynamodb, sns, store, sink, handler } = alertingBaseOnAws(
    'guard',
    settings,
    logger,
    clients,
    metrics,
    timing,
  );
  const ssm = clients.ssm ?? new SSMClient(BOUNDED_CALLS);
  return new Guard({
    configParameter: settings.configParameter,
    topicArn: settings.topicArn,
    announcer: new ConfigChangeAnnouncer({
      topicArn: settings.topicArn,
      path: settings.configParameter.endsWith('/'),
      history: new ParameterHistoryReader(ssm),
      store,
      sink,
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
    ...handler,
  });
};
