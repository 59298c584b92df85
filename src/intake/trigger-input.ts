import { isEnvelope, isScheduledEvent } from './eventbridge-envelope.js';
import { eventsFrom } from './events-from.js';
import { isObject, type TrailEvent } from './trail-event.js';

/**
 * The shapes an input can have: the alarm says which one a function got, and the metric counts
 * them by it (a fixed list of ids, never a value taken from the input).
 */
export const INPUT_SHAPES = [
  /** EventBridge's envelope around a CloudTrail event, as a rule delivers it. */
  'eventbridge-event',
  /** EventBridge's Scheduled Event, as a schedule delivers it. */
  'scheduled-event',
  /** Lambda's batch of SQS messages, as an event source mapping delivers it. */
  'sqs-batch',
  /** EventBridge's envelope around anything but a CloudTrail event. */
  'other-eventbridge-event',
  /** `{"detail": {...}}` without the rest of the envelope, as people type it or a transformer makes it. */
  'hand-typed-detail',
  /** A CloudTrail record on its own, the envelope's `detail` (an `InputPath` of `$.detail`). */
  'cloudtrail-record',
  /** A CloudTrail log file, `{"Records": [...]}`. */
  'cloudtrail-log-file',
  /** `{"rootMonitorTask": "digests"}`, the constant input an earlier digest schedule sent. */
  'digest-task',
  /** `{}`: a constant target input, or a console test left as it opens. */
  'empty-object',
  'other-object',
  'not-an-object',
] as const;

export type InputShape = (typeof INPUT_SHAPES)[number];

/** Each shape in words, for a message. */
export const SHAPE_NAMES: Readonly<Record<InputShape, string>> = {
  'eventbridge-event': 'an EventBridge event',
  'scheduled-event': 'a Scheduled Event',
  'sqs-batch': 'a batch of SQS messages',
  'other-eventbridge-event': 'an EventBridge event of another kind',
  'hand-typed-detail': 'a hand-typed {"detail": ...}',
  'cloudtrail-record': 'a bare CloudTrail record',
  'cloudtrail-log-file': 'a CloudTrail log file',
  'digest-task': 'the digest task {"rootMonitorTask": "digests"}',
  'empty-object': 'an empty object {}',
  'other-object': 'an object of no shape root-monitor knows',
  'not-an-object': 'no object at all',
};

/** The stack's functions, by the name of their entry under `src/functions/`. */
export type MonitorFunction = 'real-time' | 'guard' | 'digests' | 'health-check' | 'trail-files';

/** What invokes each function, and so the one shape of input it is ever given. */
export const TRIGGERS: Readonly<Record<MonitorFunction, { sends: InputShape; by: string }>> = {
  'real-time': { sends: 'eventbridge-event', by: 'the root-usage rule (RootUsageRule)' },
  guard: { sends: 'eventbridge-event', by: 'the configuration-change rule (ConfigChangeRule)' },
  digests: { sends: 'scheduled-event', by: 'its five-minute schedule (DigestSchedule)' },
  'health-check': { sends: 'scheduled-event', by: 'its health-check schedule (Scheduled)' },
  'trail-files': { sends: 'sqs-batch', by: 'its event source mapping on the trail-file queue' },
};

/** How CloudTrail names what EventBridge delivers: `AWS API Call via CloudTrail` and the like. */
const CLOUDTRAIL_DETAIL_TYPE = / via CloudTrail$/;

/** A field only a CloudTrail record has: what tells a bare record from any other object. */
const isCloudTrailRecord = (value: Record<string, unknown>): boolean =>
  typeof value.eventName === 'string' ||
  typeof value.eventSource === 'string' ||
  isObject(value.userIdentity);

const isSqsBatch = (input: Record<string, unknown>): boolean =>
  Array.isArray(input.Records) &&
  input.Records.length > 0 &&
  input.Records.every(
    (record: unknown) =>
      isObject(record) &&
      record.eventSource === 'aws:sqs' &&
      typeof record.messageId === 'string' &&
      typeof record.body === 'string',
  );

/** The shape of a function's input: which trigger, if any, sends it. */
export const shapeOf = (input: unknown): InputShape => {
  if (!isObject(input)) return 'not-an-object';
  if (isScheduledEvent(input)) return 'scheduled-event';
  if (isEnvelope(input)) {
    // Only AWS sends events whose source starts with `aws.`; the stack's rules admit no other.
    return input.source.startsWith('aws.') && CLOUDTRAIL_DETAIL_TYPE.test(input['detail-type'])
      ? 'eventbridge-event'
      : 'other-eventbridge-event';
  }
  if ('Records' in input) return isSqsBatch(input) ? 'sqs-batch' : 'cloudtrail-log-file';
  if ('detail' in input) return 'hand-typed-detail';
  if (input.rootMonitorTask === 'digests') return 'digest-task';
  if (isCloudTrailRecord(input)) return 'cloudtrail-record';
  return Object.keys(input).length === 0 ? 'empty-object' : 'other-object';
};

/**
 * The CloudTrail events an input holds, whatever its shape, so that a function that judges them
 * still judges them: an event handed over in the wrong shape is root usage all the same.
 *
 * @throws InputError naming `inputName` for a shape that should hold events and is malformed
 */
export const eventsHeld = (input: unknown, shape: InputShape, inputName: string): TrailEvent[] => {
  switch (shape) {
    case 'eventbridge-event':
    case 'hand-typed-detail':
    case 'cloudtrail-record':
    case 'cloudtrail-log-file':
      return eventsFrom(input, inputName);
    case 'other-eventbridge-event':
      return isObject(input) && isObject(input.detail) && isCloudTrailRecord(input.detail)
        ? eventsFrom(input, inputName)
        : [];
    default:
      return [];
  }
};

/** The input's top-level field names, for the alarm to quote (escaped where shown). */
export const fieldsOf = (input: unknown): string[] =>
  isObject(input) ? Object.keys(input).slice(0, 20) : [];
