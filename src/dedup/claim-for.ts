import { randomUUID } from 'node:crypto';
import type { Alert } from '../engine/decision.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { ClaimRequest } from './claim.js';

/**
 * How long an eventID is remembered for rules that alert once per event. EventBridge retries
 * a failed delivery for up to 24 hours, so a shorter memory would let a redelivery alert again.
 */
export const REDELIVERY_MINUTES = 24 * 60;

/** The time an event happened: its eventTime, or the clock for a hand-typed event without one. */
export const eventClock = (event: TrailEvent, now: Date): number =>
  (event.eventTime ?? now).getTime();

/**
 * The dedup claim an alert makes: its window opens at the event's time, but never later than
 * now. A future eventTime (a misdated or forged event) would otherwise hold the window open, and
 * suppress every later event for its key, until that future arrives. The claim is held until
 * `leaseUntil`, the end of the invocation sending the alert.
 */
export const claimFor = (alert: Alert, now: Date, leaseUntil: number): ClaimRequest => {
  const at = Math.min(eventClock(alert.event, now), now.getTime());
  return {
    key: alert.dedupKey,
    eventId: alert.event.eventId,
    at,
    until: at + alert.dedupMinutes * 60_000,
    token: randomUUID(),
    leaseUntil,
    now: now.getTime(),
  };
};
