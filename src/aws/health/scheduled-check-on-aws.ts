import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Check } from '../../health/check.js';
import { HealthAlarm } from '../../health/health-alarm.js';
import type { HealthSettings } from '../../health/health-settings.js';
import { type HealthMetrics, ScheduledCheck } from '../../health/scheduled-check.js';
import { EmfRecorder } from '../../metrics/emf-recorder.js';
import { HealthEmfMetrics } from '../../metrics/health-metrics.js';
import type { PipelineLogger, UnexpectedInputMetrics } from '../../pipeline/ports.js';
import { AlertTopic } from '../alert-topic.js';
import { BOUNDED_CALLS } from '../bounded-calls.js';
import { DedupTable } from '../dedup-table.js';
import { unexpectedInputAlarmOnAws } from '../unexpected-input-on-aws.js';
import { healthChecksOnAws } from './health-checks-on-aws.js';

/** The scheduled health check on AWS: the checks, the dedup table, the alert topic, EMF metrics. */
export const scheduledCheckOnAws = (
  settings: HealthSettings,
  logger: PipelineLogger,
  parts: {
    checks?: readonly Check[];
    metrics?: HealthMetrics;
    inputMetrics?: UnexpectedInputMetrics;
  } = {},
): ScheduledCheck => {
  const home = { ...BOUNDED_CALLS, region: settings.homeRegion };
  const store = new DedupTable(settings.dedupTableName, new DynamoDBClient(home));
  const sns = new SNSClient(home);
  const alarm = new HealthAlarm({
    store,
    // Both topics, each on its own: no fallback from one to the other.
    sink: new AlertTopic(sns, { logger }),
    topicArns: [
      settings.topicArn,
      ...(settings.fallbackTopicArn === undefined ? [] : [settings.fallbackTopicArn]),
    ],
    accountId: settings.homeBusArn.split(':')[4],
    logger,
  });
  return new ScheduledCheck(
    parts.checks ?? healthChecksOnAws(settings),
    alarm,
    parts.metrics ?? new HealthEmfMetrics(),
    logger,
    unexpectedInputAlarmOnAws('health-check', settings, {
      store,
      sns,
      logger,
      metrics: parts.inputMetrics ?? new EmfRecorder(logger),
    }),
  );
};
