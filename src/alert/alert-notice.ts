import type { Alert } from '../engine/decision.js';
import type { FirstSeen } from '../first-seen/first-seen.js';

/**
 * How an event reached the monitor when real-time delivery (EventBridge) missed it: found in a
 * CloudTrail log file, minutes later.
 */
export interface TrailFileDelivery {
  /** The log file, `s3://bucket/key`. */
  file: string;
  /** Seconds from the event's time to the alert; undefined when the event has no valid time. */
  lateSeconds: number | undefined;
}

/** An alert on its way to people and machines, with what the dedup claim reported. */
export interface AlertNotice {
  alert: Alert;
  /** Events collapsed into the previous dedup window for the same key, reported by this alert. */
  suppressedBefore: number;
  /** Set when the event came from a trail file: real-time delivery never brought it. */
  fromTrailFile?: TrailFileDelivery;
  /**
   * Set while the configuration cannot be refreshed: when the documents still in force were
   * read, so a reader knows an allowlist change made since then is not applied.
   */
  configReadAt?: Date;
  /** Set when root had not used the event's source address (see `FirstSeen`). */
  firstSeen?: FirstSeen;
}
