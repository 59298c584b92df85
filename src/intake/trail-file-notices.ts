import { InputError } from './input-error.js';
import { parseJson } from './parse-json.js';
import { isObject } from './trail-event.js';

/** Where a CloudTrail log file is. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

/**
 * Whether a key is a CloudTrail log file of events. Digest files (`CloudTrail-Digest/`) hold
 * hashes and Insights files (`CloudTrail-Insight/`) hold statistics: neither is an event.
 */
export const isLogFileKey = (key: string): boolean =>
  key.includes('/CloudTrail/') && key.endsWith('.json.gz');

/** S3 writes keys in notifications URL-encoded, with `+` for a space. */
const decodeKey = (key: string, name: string): string => {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw new InputError(`${name}: object key is not URL-encoded: ${JSON.stringify(key)}`);
  }
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The log files an SQS message announces. Accepted: an S3 event notification
 * (`{"Records": [{"s3": {...}}]}`), and CloudTrail's own notification (`{"s3Bucket": ...,
 * "s3ObjectKey": [...]}`), bare or in SNS's envelope. S3's test event announces nothing, and
 * keys that are not log files of events (digests, Insights) are left out.
 *
 * @throws InputError naming `name` when the message is none of these
 */
export const logFilesIn = (body: string, name: string): ObjectLocation[] => {
  let message = parseJson(body, name);
  if (isObject(message) && message.Type === 'Notification' && typeof message.Message === 'string') {
    message = parseJson(message.Message, `${name} (SNS message)`);
  }
  if (!isObject(message)) throw new InputError(`${name}: expected a JSON object`);
  if (message.Event === 's3:TestEvent') return [];
  const found: ObjectLocation[] = [];
  if (Array.isArray(message.Records)) {
    message.Records.forEach((record: unknown, index) => {
      const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined;
      const bucket = text(isObject(s3?.bucket) ? s3.bucket.name : undefined);
      const key = text(isObject(s3?.object) ? s3.object.key : undefined);
      if (bucket === undefined || key === undefined) {
        throw new InputError(
          `${name}: Records[${index}] names no s3.bucket.name and s3.object.key`,
        );
      }
      found.push({ bucket, key: decodeKey(key, name) });
    });
  } else if (text(message.s3Bucket) !== undefined && Array.isArray(message.s3ObjectKey)) {
    const bucket = message.s3Bucket as string;
    for (const key of message.s3ObjectKey) {
      if (text(key) === undefined) throw new InputError(`${name}: s3ObjectKey holds a non-string`);
      found.push({ bucket, key: key as string });
    }
  } else {
    throw new InputError(
      `${name}: neither an S3 event notification (Records) nor a CloudTrail notification (s3Bucket, s3ObjectKey)`,
    );
  }
  return found.filter(({ key }) => isLogFileKey(key));
};
