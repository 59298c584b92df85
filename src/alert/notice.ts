import type { Alert } from '../engine/decision.js';

/** An alert on its way to people and machines, with what the dedup claim reported. */
export interface AlertNotice {
  alert: Alert;
  /** Events collapsed into the previous dedup window for the same key, reported by this alert. */
  suppressedBefore: number;
}
