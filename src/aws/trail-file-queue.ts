import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { escapeText } from '../alert/text/escape.js';
import { describeError } from '../errors.js';
import { shapeOf, TRIGGERS } from '../intake/trigger-input.js';
import { judgeDelivery } from '../pipeline/judge-delivery.js';
import type { Monitor } from '../pipeline/monitor.js';
import { type MetricsRecorder, NO_METRICS, type PipelineLogger } from '../pipeline/ports.js';
import type { InvocationResult } from '../pipeline/results.js';
import { TrailFileBackstop } from '../pipeline/trail-file-backstop.js';
import type { Settings } from '../settings.js';
import type { UnexpectedInputAlarm } from '../unexpected-input/unexpected-input-alarm.js';
import { BOUNDED_CALLS, FUNCTION_TIMEOUT_SECONDS } from './bounded-calls.js';
import { DedupTable } from './dedup-table.js';
import { type AwsClients, monitorOnAws } from './monitor-on-aws.js';
import { objectBytes, TRAIL_FILE_CALLS } from './trail-bucket.js';
import { unexpectedInputAlarmOnAws } from './unexpected-input-on-aws.js';

/** The backstop function's parts: the backstop, the monitor it judges with, its alarm. */
export interface TrailFileFunction {
  backstop: TrailFileBackstop;
  monitor: Monitor;
  /** Tells the alarm topic when the function is given anything but its queue's batch. */
  unexpectedInput: UnexpectedInputAlarm;
}

/** The backstop function on its AWS adapters: the monitor's, plus S3 for the log files. */
export const trailFileFunctionOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients & { s3?: S3Client } = {},
  metrics?: MetricsRecorder,
): TrailFileFunction => {
  const s3 = clients.s3 ?? new S3Client(TRAIL_FILE_CALLS);
  const monitor = monitorOnAws(settings, logger, clients, metrics);
  return {
    backstop: new TrailFileBackstop(monitor, (bucket, key) => objectBytes(s3, bucket, key), logger),
    monitor,
    unexpectedInput: unexpectedInputAlarmOnAws('trail-files', settings, {
      store: new DedupTable(
        settings.dedupTableName,
        clients.dynamodb ?? new DynamoDBClient(BOUNDED_CALLS),
      ),
      sns: clients.sns ?? new SNSClient(BOUNDED_CALLS),
      logger,
      metrics: metrics ?? NO_METRICS,
    }),
  };
};

/** The backstop on its AWS adapters: the monitor's, plus S3 for the log files. */
export const trailFileBackstopOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients & { s3?: S3Client } = {},
  metrics?: MetricsRecorder,
): TrailFileBackstop => trailFileFunctionOnAws(settings, logger, clients, metrics).backstop;

/**
 * One invocation of the backstop function: a batch from its queue, answered with partial batch
 * failures. Anything else (a log file, a CloudTrail event handed to it by hand) raises the
 * unexpected-input alarm, and the CloudTrail events it holds are judged as real time would.
 */
export const handleTrailFileInput = async (
  parts: TrailFileFunction,
  input: unknown,
  logger: PipelineLogger,
  context?: Context,
): Promise<SQSBatchResponse | InvocationResult> => {
  if (shapeOf(input) === TRIGGERS['trail-files'].sends) {
    return handleTrailFileMessages(parts.backstop, input as SQSEvent, logger, context);
  }
  const now = new Date();
  const remaining = context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
  return judgeDelivery(input, {
    expected: TRIGGERS['trail-files'].sends,
    judge: (events) => parts.monitor.handleEvents(events, context),
    alarm: parts.unexpectedInput,
    logger,
    now,
    leaseUntil: now.getTime() + Math.min(remaining, FUNCTION_TIMEOUT_SECONDS * 1000),
  });
};

/**
 * One batch from the trail-file queue, answered with SQS partial batch failures: a message
 * whose files could not all be read and alerted is named in `batchItemFailures` and comes back
 * after the visibility timeout, while the others are deleted. After the queue's maxReceiveCount
 * it is parked in the dead-letter queue, which is alarmed. Messages are handled one after
 * another, so that one file's root events keep their order in the dedup windows.
 */
export const handleTrailFileMessages = (
  backstop: TrailFileBackstop,
  event: SQSEvent,
  logger: PipelineLogger,
  context?: Context,
): Promise<SQSBatchResponse> => {
  const handleRecord = async ({ body, messageId }: SQSRecord): Promise<void> => {
    try {
      await backstop.handleMessage(body, messageId, context);
    } catch (error) {
      logger.error('Trail file message failed; SQS will deliver it again', {
        messageId: escapeText(messageId, 128),
        // Error messages name the object, whose key the bucket's writers chose.
        error: escapeText(describeError(error), 2000),
      });
      throw error;
    }
  };
  return processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
    ...(context === undefined ? {} : { context }),
    // A batch in which every message failed is answered like any other: each is named.
    throwOnFullBatchFailure: false,
    processInParallel: false,
  });
};
