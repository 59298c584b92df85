import { isObject } from './trail-event.js';

/**
 * The fields EventBridge puts around every event it delivers to a target, a schedule's too. A
 * target given a constant `Input`, an `InputPath` or an `InputTransformer` receives whatever
 * shape that makes instead.
 */
export interface EventBridgeEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: unknown[];
  detail: Record<string, unknown>;
}

const ENVELOPE_STRINGS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region'];

/** Every field of the envelope there, of its type. */
export const isEnvelope = (input: unknown): input is EventBridgeEnvelope =>
  isObject(input) &&
  ENVELOPE_STRINGS.every((field) => typeof input[field] === 'string') &&
  Array.isArray(input.resources) &&
  isObject(input.detail);

/** What a schedule rule (`rate(...)`, `cron(...)`) sends its target: no event of anyone's. */
export const SCHEDULED_EVENT = { source: 'aws.events', detailType: 'Scheduled Event' } as const;

/** The event EventBridge sends when a schedule fires, as it sends it. */
export const isScheduledEvent = (input: unknown): input is EventBridgeEnvelope =>
  isEnvelope(input) &&
  input.source === SCHEDULED_EVENT.source &&
  input['detail-type'] === SCHEDULED_EVENT.detailType;
