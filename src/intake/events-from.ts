import { isScheduledEvent } from './eventbridge-envelope.js';
import { InputError } from './input-error.js';
import { isObject, type TrailEvent, toTrailEvent } from './trail-event.js';

/**
 * Turns one parsed input into CloudTrail events. Accepted shapes:
 * - an EventBridge event (`detail-type` + `detail`), or the hand-typed `{"detail": {...}}`;
 * - a CloudTrail log file, `{"Records": [...]}`;
 * - a bare CloudTrail record;
 * - a schedule's Scheduled Event, which carries none: the digest function sends digests then,
 *   and replay prints them where their windows close.
 *
 * @param input the parsed JSON value
 * @param inputName how to name the input in an error, e.g. a file path or `event`
 */
export const eventsFrom = (input: unknown, inputName: string): TrailEvent[] => {
  if (!isObject(input)) {
    throw new InputError(
      `${inputName}: expected a JSON object (an EventBridge event, a CloudTrail record or {"Records": [...]}), got ${describe(input)}`,
    );
  }
  if (isScheduledEvent(input)) return [];
  if ('Records' in input) {
    const records = input.Records;
    if (!Array.isArray(records)) {
      throw new InputError(
        `${inputName}: field Records must be an array, got ${describe(records)}`,
      );
    }
    return records.map((record: unknown, index) => {
      if (!isObject(record)) {
        throw new InputError(
          `${inputName}: Records[${index}] must be an object, got ${describe(record)}`,
        );
      }
      return toTrailEvent(record);
    });
  }
  if ('detail' in input) {
    const detail = input.detail;
    if (!isObject(detail)) {
      throw new InputError(`${inputName}: field detail must be an object, got ${describe(detail)}`);
    }
    return [
      toTrailEvent(detail, {
        account:
          typeof input.account === 'string' && input.account !== '' ? input.account : undefined,
        region: typeof input.region === 'string' && input.region !== '' ? input.region : undefined,
      }),
    ];
  }
  return [toTrailEvent(input)];
};

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};
