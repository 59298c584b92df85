import type { SNSClient } from '@aws-sdk/client-sns';
import { ownAccountOf } from '../config-watch/config-change-event.js';
import type { DedupStore } from '../dedup/dedup-store.js';
import type { MonitorFunction } from '../intake/trigger-input.js';
import type { PipelineLogger, UnexpectedInputMetrics } from '../pipeline/ports.js';
import { UnexpectedInputAlarm } from '../unexpected-input/unexpected-input-alarm.js';
import { AlertTopic } from './alert-topic.js';

/** Where the alarm goes: the alarm topic (FALLBACK_TOPIC_ARN), else the alert topic. */
export interface AlarmTopics {
  topicArn: string;
  fallbackTopicArn?: string | undefined;
}

/**
 * The unexpected-input alarm of one function on AWS: claimed in the dedup table, sent to the
 * alarm topic like the stack's other alarms, and to the alert topic when SNS refuses the alarm
 * topic itself (its key disabled, the topic gone), so that one broken topic cannot hide it.
 */
export const unexpectedInputAlarmOnAws = (
  fn: MonitorFunction,
  topics: AlarmTopics,
  parts: {
    store: DedupStore;
    sns: SNSClient;
    logger: PipelineLogger;
    metrics: UnexpectedInputMetrics;
    /** The deployed function's name: Lambda's AWS_LAMBDA_FUNCTION_NAME by default. */
    functionName?: string | undefined;
  },
): UnexpectedInputAlarm => {
  const alarmTopic = topics.fallbackTopicArn ?? topics.topicArn;
  return new UnexpectedInputAlarm({
    function: fn,
    functionName: parts.functionName ?? (process.env.AWS_LAMBDA_FUNCTION_NAME?.trim() || undefined),
    store: parts.store,
    sink: new AlertTopic(parts.sns, {
      fallbackTopicArn: alarmTopic === topics.topicArn ? undefined : topics.topicArn,
      logger: parts.logger,
    }),
    topicArn: alarmTopic,
    accountId: ownAccountOf(topics.topicArn),
    logger: parts.logger,
    metrics: parts.metrics,
  });
};
