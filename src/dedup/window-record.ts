import type { ClaimRequest, UntrustedWindow } from './dedup-store.js';

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
  /**
   * A sent window that no claim could have written: it opens in the future, or ends later than
   * any window this key can have. Replace it like a closed one, and say so: it can only come
   * from a forged write or a broken clock, and left alone it would swallow every event of its key.
   */
  | 'untrusted'
  /** Another claim is pending under a live lease: touch nothing, ask again later. */
  | 'in-flight';

/**
 * One judgement for every store, so replay and the Lambda decide alike. A pending window never
 * acknowledges or counts anything: its alert may never be sent. Past its lease (the invocation
 * that held it died, or gave it up) it is taken over by whichever claim comes next. A sent
 * window counts every event of its key that happened before it closes, however much older than
 * its opener: concurrent invocations claim a burst's events in any order, and CloudTrail does
 * not order a log file's records, so "older than the opener" is ordinary delivery order, not
 * news. Nothing counted is hidden: the window's digest reports it.
 */
export const judge = (record: WindowRecord | undefined, request: ClaimRequest): Verdict => {
  if (record === undefined) return 'open';
  if (record.token !== undefined && record.token === request.token) return 'own';
  if (record.status === 'pending') return record.leaseUntil > request.now ? 'in-flight' : 'open';
  if (isUntrusted(record, request)) return 'untrusted';
  if (record.eventId === request.eventId) return 'redelivery';
  return record.until > request.at ? 'suppress' : 'open';
};

/**
 * How far ahead of this machine's clock another machine's may run: a window that opens later
 * than this (claims never open a window later than their own now), or closes this much later
 * than the longest window from now, was not written by a claim.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether a sent window is beyond what any claim writes (see `ClaimRequest.trustedUntil`):
 * opened in the future, or closing later than the longest window the key can have from now.
 */
export const isUntrusted = (record: WindowRecord, request: ClaimRequest): boolean =>
  request.trustedUntil !== undefined &&
  record.status === 'sent' &&
  (record.at > request.now + CLOCK_SKEW_MS || record.until > request.trustedUntil + CLOCK_SKEW_MS);

/**
 * The suppressed events a new window takes over from the record it replaces: a sent window's
 * count, or what a pending window was carrying for an alert that never went out. An untrusted
 * window's count is its forger's word, and is not carried.
 */
export const carriedFrom = (record: WindowRecord | undefined): number =>
  record === undefined
    ? 0
    : record.status === 'sent'
      ? record.suppressed
      : record.suppressedBefore + record.suppressed;

/** What an untrusted window said of itself, for the alarm. */
export const untrustedWindowOf = (record: WindowRecord): UntrustedWindow => ({
  openerId: record.eventId,
  openedAt: record.at,
  closesAt: record.until,
});
