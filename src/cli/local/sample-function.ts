import { isScheduledEvent } from '../../intake/eventbridge-envelope.js';
import { isObject } from '../../intake/trail-event.js';

/**
 * The function of template.yaml whose trigger sends a sample: the digest function's schedule a
 * Scheduled Event, the guard's rule a call to Systems Manager (the samples' change to the
 * configuration parameter), the root-usage rule every other.
 */
export const functionForSample = (sample: unknown): string => {
  if (isScheduledEvent(sample)) return 'DigestFunction';
  // An EventBridge event or a hand-typed {"detail": ...} holds the record; else it is one.
  const record = isObject(sample) && isObject(sample.detail) ? sample.detail : sample;
  return isObject(record) && record.eventSource === 'ssm.amazonaws.com'
    ? 'GuardFunction'
    : 'RootMonitorFunction';
};
