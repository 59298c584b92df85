import type { AlertNotice } from '../../alert/alert-notice.js';
import type { Alert, Allowlisted, Ignored } from '../../engine/decision.js';

/** What replay concluded about one event, once the dedup claim (for an alert) has answered. */
export type Replayed =
  | { decision: 'alert'; notice: AlertNotice }
  | { decision: 'allowlisted'; allowlisted: Allowlisted }
  /** An alert collapsed into an earlier one (same dedup key in its window, or the same eventID). */
  | {
      decision: 'duplicate';
      alert: Alert;
      /** The event id of the alert whose collapse window counted this event, when known. */
      countedBy?: string | undefined;
    }
  /** Not root usage; printed only when asked for (`--show-ignored`). */
  | { decision: 'ignored'; ignored: Ignored };

/** A root-usage event: every decision but `ignored`. */
export type RootUsage = Exclude<Replayed, { decision: 'ignored' }>;

/** The engine's decision behind a replayed root-usage event. */
export const decisionOf = (replayed: RootUsage): Alert | Allowlisted => {
  if (replayed.decision === 'alert') return replayed.notice.alert;
  if (replayed.decision === 'allowlisted') return replayed.allowlisted;
  return replayed.alert;
};
