import { randomUUID } from 'node:crypto';
import type { Alert } from '../engine/decision.js';
import { eventClock } from '../intake/trail-event.js';
import type { Arrival, CountedEvent } from './counted-event.js';
import type { ClaimRequest } from './dedup-store.js';

/**
 * How long an eventID is remembered for rules that alert once per event. EventBridge retries
 * a failed delivery for up to 24 hours, so a shorter memory would let a redelivery alert again.
 */
export const REDELIVERY_MINUTES = 24 * 60;

/**
 * The longest collapse window a configuration can set (`dedupMinutes`), so the longest any claim
 * writes: a window said to last longer was not written by a claim.
 */
export const LONGEST_DEDUP_MINUTES = 24 * 60;

/**
 * The key of an event's own record: the window of a rule that alerts once per event, or the note
 * that an event was counted in (or opened) a collapse window. One key per eventID, so that every
 * path an event comes by finds what became of it.
 */
export const eventKeyOf = (eventId: string): string => `event#${eventId}`;

/**
 * The dedup claim an alert makes: its window opens at the event's time, but never later than
 * now. A future eventTime (a misdated or forged event) would otherwise hold the window open, and
 * suppress every later event for its key, until that future arrives. The claim is held until
 * `leaseUntil`, the end of the invocation sending the alert.
 */
export const claimFor = (
  alert: Alert,
  now: Date,
  leaseUntil: number,
  arrival: Arrival = 'real-time',
): ClaimRequest => {
  const at = Math.min(eventClock(alert.event, now), now.getTime());
  return {
    key: alert.dedupKey,
    eventId: alert.event.eventId,
    at,
    until: at + alert.dedupMinutes * 60_000,
    token: randomUUID(),
    leaseUntil,
    now: now.getTime(),
    counted: countedEventOf(alert, at, now, arrival),
    ...(alert.dedupKey === eventKeyOf(alert.event.eventId)
      ? {}
      : { trustedUntil: now.getTime() + LONGEST_DEDUP_MINUTES * 60_000 }),
  };
};

/** What a collapse window keeps of the alert's event if it counts it. */
const countedEventOf = (
  { event, severity, matches }: Alert,
  at: number,
  now: Date,
  arrival: Arrival,
): CountedEvent => ({
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
  countedAt: now.getTime(),
  arrival,
});

/**
 * The claim that a configuration change is announced once per eventID (EventBridge delivers at
 * least once), for as long as EventBridge retries.
 */
export const announcementClaimFor = (
  eventId: string,
  now: Date,
  leaseUntil: number,
): ClaimRequest => ({
  key: `config-change#${eventId}`,
  eventId,
  at: now.getTime(),
  until: now.getTime() + REDELIVERY_MINUTES * 60_000,
  token: randomUUID(),
  leaseUntil,
  now: now.getTime(),
});
