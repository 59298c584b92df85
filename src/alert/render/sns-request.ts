import type { ChatNotification } from './chat-notification.js';

/**
 * The SNS Publish request, shaped like the SDK's PublishCommand input so the caller can pass it
 * straight through; declared here so building a message needs no AWS SDK.
 */
export interface SnsPublishRequest {
  TopicArn: string;
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

/** SNS's limit for one publish: 256 KiB of UTF-8 across message, subject and attributes. */
export const SNS_MAX_REQUEST_BYTES = 262_144;

/**
 * Head-room under the limit, for any byte SNS counts that we do not (its own envelope, a
 * future attribute): a message that misses by a few bytes is an alert that never arrives.
 */
const SNS_SAFETY_MARGIN_BYTES = 4096;

const SNS_BUDGET_BYTES = SNS_MAX_REQUEST_BYTES - SNS_SAFETY_MARGIN_BYTES;

/** The bytes SNS counts against its limit, counting every attribute's name, type and value. */
export const requestBytes = (request: SnsPublishRequest): number => {
  let bytes = Buffer.byteLength(request.Message) + Buffer.byteLength(request.Subject);
  for (const [name, value] of Object.entries(request.MessageAttributes)) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType) +
      Buffer.byteLength(value.StringValue);
  }
  return bytes;
};

export const fitsSns = (request: SnsPublishRequest): boolean =>
  requestBytes(request) <= SNS_BUDGET_BYTES;

/**
 * The request built with the largest `n` in `[0, max]` that fits the budget (the size grows with
 * `n`): about log2(max) builds. When even `n = 0` does not fit, that request is returned anyway
 * and SNS rejects it, so the caller throws and the alert is retried instead of silently lost.
 */
export const largestFitting = (
  max: number,
  build: (n: number) => SnsPublishRequest,
): SnsPublishRequest => {
  const whole = build(max);
  if (fitsSns(whole)) return whole;
  let best = build(0);
  if (!fitsSns(best)) return best;
  let low = 0;
  let high = max - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = build(middle);
    if (fitsSns(candidate)) {
      low = middle;
      best = candidate;
    } else {
      high = middle - 1;
    }
  }
  return best;
};

/** A String attribute; SNS rejects an empty value, so an empty one reads `Unknown`. */
export const stringAttribute = (value: string): { DataType: 'String'; StringValue: string } => ({
  DataType: 'String',
  StringValue: value === '' ? 'Unknown' : value,
});

/**
 * The request's `Message`, one text per protocol (`MessageStructure: json`): the `email`
 * protocol gets the plain text; every other protocol gets `default`, the Chatbot notification.
 * Chatbot subscribes through SNS and reads `default`, and SQS, Lambda and HTTPS subscribers get
 * the same payload with the structured alert in `metadata.additionalContext`, so one payload
 * serves chat and machines.
 */
export const messageByProtocol = (chat: ChatNotification, email: string): string =>
  JSON.stringify({ default: JSON.stringify(chat), email });
