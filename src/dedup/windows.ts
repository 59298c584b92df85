import type { TrailEvent } from '../intake/trail-event.js';

/**
 * How long an eventID is remembered for rules that alert once per event. EventBridge retries
 * a failed delivery for up to 24 hours, so a shorter memory would let a redelivery alert again.
 */
export const REDELIVERY_MINUTES = 24 * 60;

/** The time an event happened: its eventTime, or the clock for a hand-typed event without one. */
export const eventClock = (event: TrailEvent, now: Date): number =>
  (event.eventTime ?? now).getTime();
