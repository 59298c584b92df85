import type { Alert } from '../engine/decision.js';
import type { FirstSeen } from '../first-seen/first-seen.js';
import { isoSeconds } from './event-facts.js';

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

/** A duration for a person: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export const durationText = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
};

/** What a reader needs to know while the configuration is stale, in our own words. */
export const staleConfigText = (readAt: Date): string =>
  `stale: SSM cannot be read, so the allowlist in force is the one read at ${isoSeconds(readAt)} (UTC); changes made since are not applied`;
