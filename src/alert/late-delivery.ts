import type { TrailFileDelivery } from './notice.js';

const unit = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

/** `42 seconds`, `17 minutes`, `2 hours 5 minutes`, `3 days 4 hours`: two units at most. */
export const durationOf = (seconds: number): string => {
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return [unit(hours, 'hour'), ...(minutes % 60 ? [unit(minutes % 60, 'minute')] : [])].join(' ');
  const days = Math.floor(hours / 24);
  return [unit(days, 'day'), ...(hours % 24 ? [unit(hours % 24, 'hour')] : [])].join(' ');
};

/**
 * The sentence an alert from a trail file leads with: real-time delivery missed the event, and
 * how late this alert is. `file` is given already escaped for the medium it goes to.
 */
export const lateDeliveryLine = (delivery: TrailFileDelivery, file: string): string => {
  const late =
    delivery.lateSeconds === undefined
      ? 'the event has no valid time, so how late is unknown'
      : `this alert is ${durationOf(delivery.lateSeconds)} after the event`;
  return `Real-time delivery (EventBridge) missed this event: it was found in the CloudTrail log file ${file}, and ${late}.`;
};
