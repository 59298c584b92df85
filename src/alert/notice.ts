import type { Alert } from '../engine/decision.js';
import { isoSeconds } from './event-facts.js';

/** An alert on its way to people and machines, with what the dedup claim reported. */
export interface AlertNotice {
  alert: Alert;
  /** Events collapsed into the previous dedup window for the same key, reported by this alert. */
  suppressedBefore: number;
  /**
   * Set while the configuration cannot be refreshed: when the documents still in force were
   * read, so a reader knows an allowlist change made since then is not applied.
   */
  configReadAt?: Date;
}

/** What a reader needs to know while the configuration is stale, in our own words. */
export const staleConfigText = (readAt: Date): string =>
  `stale: SSM cannot be read, so the allowlist in force is the one read at ${isoSeconds(readAt)} (UTC); changes made since are not applied`;
