import type { Alert } from '../engine/decision.js';
import type { ClaimRequest } from './claim.js';
import { eventClock } from './windows.js';

/** The dedup claim an alert makes: its window opens at the event's time. */
export const claimFor = (alert: Alert, now: Date): ClaimRequest => {
  const at = eventClock(alert.event, now);
  return {
    key: alert.dedupKey,
    eventId: alert.event.eventId,
    at,
    until: at + alert.dedupMinutes * 60_000,
  };
};
