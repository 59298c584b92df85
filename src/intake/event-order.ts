import type { TrailEvent } from './trail-event.js';

/**
 * A CloudTrail log file's events in event-time order. CloudTrail does not order the records
 * inside a file, so the order they are written in says nothing; a stable sort keeps records of
 * one time as written, and records without a valid time come last.
 */
export const inEventTimeOrder = (events: readonly TrailEvent[]): TrailEvent[] =>
  [...events].sort(
    (a, b) =>
      (a.eventTime?.getTime() ?? Number.POSITIVE_INFINITY) -
        (b.eventTime?.getTime() ?? Number.POSITIVE_INFINITY) || 0,
  );
