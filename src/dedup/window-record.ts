import type { ClaimRequest } from './claim.js';

/**
 * A key's dedup window as a store keeps it, in the states of Powertools' idempotency records:
 * `pending` while its alert is being sent, under a lease that ends with the invocation sending
 * it; `sent` once SNS accepted the alert.
 */
export interface WindowRecord {
  /** The event whose alert opened the window. */
  eventId: string;
  /** The claim that wrote it; undefined for a window written before claims carried one. */
  token: string | undefined;
  status: 'pending' | 'sent';
  /** Wall clock: a pending window past its lease belongs to whoever takes it over. */
  leaseUntil: number;
  /** Event time: when the window opened (its opening event's time); 0 when not recorded. */
  at: number;
  /** Event time: when the window closes. */
  until: number;
  /** Events counted against the window since its alert was sent. */
  suppressed: number;
  /** Events of the window this one replaced, which its alert reports. */
  suppressedBefore: number;
}

/** What a claim meets in the store, and what it does about it. */
export type Verdict =
  /** Nothing holds the key: open a window, replacing the record there (if any). */
  | 'open'
  /** The claim's own write, committed by an attempt whose answer was lost. */
  | 'own'
  /** The event whose alert was sent, delivered again. */
  | 'redelivery'
  /** Another event's alert was sent and its window covers this event: count it. */
  | 'suppress'
  /** Another event's alert was sent, but this event happened before its window opened. */
  | 'late'
  /** Another claim is pending under a live lease: touch nothing, ask again later. */
  | 'in-flight';

/**
 * One judgement for every store, so replay and the Lambda decide alike. A pending window never
 * acknowledges or counts anything: its alert may never be sent. Past its lease (the invocation
 * that held it died, or gave it up) it is taken over by whichever claim comes next. A sent
 * window covers the events from its opener's time until it closes: an older event (a redrive
 * after an outage, a parked event replayed, a late trail file) is not swallowed by it.
 */
export const judge = (record: WindowRecord | undefined, request: ClaimRequest): Verdict => {
  if (record === undefined) return 'open';
  if (record.token !== undefined && record.token === request.token) return 'own';
  if (record.status === 'pending') return record.leaseUntil > request.now ? 'in-flight' : 'open';
  if (record.eventId === request.eventId) return 'redelivery';
  if (request.at < record.at) return 'late';
  return record.until > request.at ? 'suppress' : 'open';
};

/**
 * The suppressed events a new window takes over from the record it replaces: a sent window's
 * count, or what a pending window was carrying for an alert that never went out.
 */
export const carriedFrom = (record: WindowRecord | undefined): number =>
  record === undefined
    ? 0
    : record.status === 'sent'
      ? record.suppressed
      : record.suppressedBefore + record.suppressed;
