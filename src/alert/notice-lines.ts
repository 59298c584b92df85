import type { TrailFileDelivery } from './alert-notice.js';
import { durationText } from './text/durations.js';
import { utcText } from './text/times.js';

/** The sentences a root alert adds when it comes late or the allowlist in force is stale. */

/**
 * The sentence an alert from a trail file leads with: real-time delivery missed the event, and
 * how late this alert is. `file` is given already escaped for the medium it goes to.
 */
export const lateDeliveryLine = (delivery: TrailFileDelivery, file: string): string => {
  const late =
    delivery.lateSeconds === undefined
      ? 'the event has no valid time, so how late is unknown'
      : `this alert is ${durationText(delivery.lateSeconds * 1000, 'words')} after the event`;
  return `Real-time delivery (EventBridge) missed this event: it was found in the CloudTrail log file ${file}, and ${late}.`;
};

/** What a reader needs to know while the configuration is stale, in our own words. */
export const staleConfigLine = (readAt: Date): string =>
  `stale: SSM cannot be read, so the allowlist in force is the one read at ${utcText(readAt)} (UTC); changes made since are not applied`;
