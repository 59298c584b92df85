import { randomUUID } from 'node:crypto';
import { escapeText } from '../alert/text/escape.js';
import { utcText } from '../alert/text/times.js';
import { SCHEDULED_EVENT } from '../intake/eventbridge-envelope.js';
import { isObject, stringIn } from '../intake/trail-event.js';
import { SHAPE_NAMES, shapeOf } from '../intake/trigger-input.js';
import type { DeclaredHandler } from './declared-handler.js';
import { UsageError } from './usage-error.js';

/** EventBridge's detail-type for a CloudTrail record, by its eventType. */
const DETAIL_TYPES: Readonly<Record<string, string>> = {
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
};

/** `iam.amazonaws.com` is `aws.iam`, as EventBridge names the source of a service's events. */
const sourceOf = (record: Record<string, unknown>): string => {
  const service = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(stringIn(record, 'eventSource') ?? '');
  return `aws.${service?.[1] ?? 'cloudtrail'}`;
};

/**
 * A CloudTrail record inside the envelope EventBridge puts around it. What the record does not
 * say (a hand-typed test's account, say) is left empty, and reads as unknown, as it did bare.
 */
const envelopeOf = (
  record: Record<string, unknown>,
  around: { account?: unknown; region?: unknown } = {},
) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': DETAIL_TYPES[stringIn(record, 'eventType') ?? ''] ?? 'AWS API Call via CloudTrail',
  source: sourceOf(record),
  account:
    stringIn(record, 'recipientAccountId') ??
    stringIn(record, 'userIdentity', 'accountId') ??
    (typeof around.account === 'string' ? around.account : ''),
  time: stringIn(record, 'eventTime') ?? utcText(new Date()),
  region: stringIn(record, 'awsRegion') ?? (typeof around.region === 'string' ? around.region : ''),
  resources: [],
  detail: record,
});

/** What a schedule sends its target when it fires now. */
export const scheduledEventNow = () => ({
  version: '0',
  id: randomUUID(),
  'detail-type': SCHEDULED_EVENT.detailType,
  source: SCHEDULED_EVENT.source,
  account: '',
  time: utcText(new Date()),
  region: process.env.AWS_REGION ?? '',
  resources: [],
  detail: {},
});

const isS3Notification = (input: unknown): boolean =>
  isObject(input) &&
  Array.isArray(input.Records) &&
  input.Records.length > 0 &&
  input.Records.every((record: unknown) => isObject(record) && record.eventSource === 'aws:s3');

/** An S3 notification as the trail-file queue hands it to the function: one SQS message. */
const sqsBatchOf = (notification: unknown) => ({
  Records: [
    {
      messageId: randomUUID(),
      receiptHandle: 'root-monitor-invoke',
      body: JSON.stringify(notification),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:root-monitor-invoke',
      awsRegion: process.env.AWS_REGION ?? 'us-east-1',
    },
  ],
});

/**
 * The inputs the function's trigger would send for `input`, one per invocation: so that
 * `invoke` takes the shapes people have at hand (a bare record, a hand-typed `{"detail": ...}`,
 * a log file, an S3 notification, nothing for a schedule) and the function sees exactly what
 * its trigger sends, never an unexpected input.
 *
 * @param input the parsed --event file; undefined when none was given
 * @param name the file, to name in an error
 * @throws UsageError for a shape the trigger cannot be made to send
 */
export const asDelivered = (input: unknown, declared: DeclaredHandler, name: string): unknown[] => {
  const shape = input === undefined ? undefined : shapeOf(input);
  const refuse = (what: string) =>
    new UsageError(
      `${escapeText(name, 500)} is ${shape === undefined ? 'missing' : SHAPE_NAMES[shape]}; ${declared.logicalId} is invoked by ${what}. Give --as-is to hand the file over unchanged, as a tampered target would.`,
    );
  switch (declared.trigger) {
    case 'schedule':
      if (input === undefined) return [scheduledEventNow()];
      if (shape === 'scheduled-event') return [input];
      throw refuse('its schedule, which sends a Scheduled Event (omit --event to have one made)');
    case 'queue':
      if (shape === 'sqs-batch') return [input];
      if (isS3Notification(input)) return [sqsBatchOf(input)];
      throw refuse('its SQS queue: give an SQS batch, or the S3 notification of a new log file');
    case 'rule':
      if (!isObject(input)) throw refuse('a rule, which sends CloudTrail events');
      if (shape === 'eventbridge-event') return [input];
      if (shape === 'hand-typed-detail' && isObject(input.detail)) {
        return [envelopeOf(input.detail, input)];
      }
      if (shape === 'cloudtrail-record') return [envelopeOf(input)];
      if (shape === 'cloudtrail-log-file' && Array.isArray(input.Records)) {
        // EventBridge delivers each record of a file on its own.
        return input.Records.map((record: unknown, index) => {
          if (!isObject(record)) {
            throw new UsageError(`${escapeText(name, 500)}: Records[${index}] is not an object`);
          }
          return envelopeOf(record);
        });
      }
      throw refuse(
        'a rule, which sends CloudTrail events: give an EventBridge event, a CloudTrail record or log file, or {"detail": {...}}',
      );
  }
};
