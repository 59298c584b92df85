import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { escapeText } from '../alert/escape.js';
import { describeError } from '../describe-error.js';
import type { MetricsRecorder, PipelineLogger } from '../pipeline/ports.js';
import { TrailFileBackstop } from '../pipeline/trail-file-backstop.js';
import type { Settings } from '../settings.js';
import { type AwsClients, monitorOnAws } from './monitor-on-aws.js';
import { objectBytes, TRAIL_FILE_CALLS } from './trail-bucket.js';

/** The backstop on its AWS adapters: the monitor's, plus S3 for the log files. */
export const trailFileBackstopOnAws = (
  settings: Settings,
  logger: PipelineLogger,
  clients: AwsClients & { s3?: S3Client } = {},
  metrics?: MetricsRecorder,
): TrailFileBackstop => {
  const s3 = clients.s3 ?? new S3Client(TRAIL_FILE_CALLS);
  return new TrailFileBackstop(
    monitorOnAws(settings, logger, clients, metrics),
    (bucket, key) => objectBytes(s3, bucket, key),
    logger,
  );
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
