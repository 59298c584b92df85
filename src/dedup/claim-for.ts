import { randomUUID } from 'node:crypto';
import type { Alert } from '../engine/decision.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { ClaimRequest } from './claim.js';
import type { CountedEvent } from './window-digest.js';

/**
 * How long an eventID is remembered for rules that alert once per event. EventBridge retries
 * a failed delivery for up to 24 hours, so a shorter memory would let a redelivery alert again.
 */
export const REDELIVERY_MINUTES = 24 * 60;

/**
 * The key of an event's own record: the window of a rule that alerts once per event, a late
 * event's alert, or the note that an event was counted in (or opened) a collapse window. One key
 * per eventID, so that every path an event comes by finds what became of it.
 */
export const eventKeyOf = (eventId: string): string => `event#${eventId}`;

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
    counted: countedEventOf(alert, at),
  };
};

/** What a collapse window keeps of the alert's event if it counts it. */
const countedEventOf = ({ event, severity, matches }: Alert, at: number): CountedEvent => ({
  eventId: event.eventId,
  eventName: event.eventName,
  eventSource: event.eventSource,
  accountId: event.accountId,
  region: event.region,
  sourceIp: event.sourceIp,
  at,
  errorCode: event.errorCode,
  severity,
  ruleIds: matches.map((match) => match.rule.id),
});
