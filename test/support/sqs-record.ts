import type { SQSRecord } from 'aws-lambda';

/** A message as Lambda's SQS event source hands it to the function, first delivery. */
export const sqsRecordOf = ({
  body,
  queueArn,
  messageId,
  receiptHandle = 'handle',
  md5OfBody = '',
}: {
  body: string;
  queueArn: string;
  messageId: string;
  receiptHandle?: string;
  md5OfBody?: string;
}): SQSRecord => ({
  messageId,
  receiptHandle,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'S3',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody,
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
});
