import { DigestSchedule } from '../digests/digest-schedule.js';
import { WindowDigests } from '../digests/window-digests.js';
import { NO_METRICS, type PipelineLogger, type UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { Timing } from '../pipeline/settle-claim.js';
import type { AlertingSettings } from '../settings.js';
import { type AlertingClients, alertingBaseOnAws, eventBusOnAws } from './alerting-base-on-aws.js';
import { DigestTable } from './digest-table.js';

/**
 * The digest schedule on its AWS adapters: the dedup table's index of digests due, SNS, and
 * EventBridge for the digests' events.
 */
export const digestScheduleOnAws = (
  settings: AlertingSettings,
  logger: PipelineLogger,
  clients: AlertingClients = {},
  /** The clock; tests move it on. */
  timing?: Timing,
  metrics: UnexpectedInputMetrics = NO_METRICS,
): DigestSchedule => {
  const { dynamodb, sink, handler } = alertingBaseOnAws(
    'digests',
    settings,
    logger,
    clients,
    metrics,
    timing,
  );
  return new DigestSchedule({
    digests: new WindowDigests({
      store: new DigestTable(settings.dedupTableName, dynamodb),
      sink,
      topicArn: settings.topicArn,
      logger,
      events: eventBusOnAws(settings, clients),
      ...(timing === undefined ? {} : { clock: timing.clock }),
    }),
    ...handler,
  });
};
