import type { CountedEvent } from './counted-event.js';

/**
 * A request to open a dedup window for an alert. Window times are epoch milliseconds taken from
 * the event's eventTime (the clock only when the event has none), so replay and the Lambda
 * agree; the lease and `now` are the wall clock, since they bound an invocation, not an event.
 */
export interface ClaimRequest {
  key: string;
  eventId: string;
  /** When the event happened. */
  at: number;
  /** When the window that this alert opens closes. */
  until: number;
  /** Unique to this claim: tells its own write from another invocation's, even for one event. */
  token: string;
  /** Wall clock: until when the claim is held while its alert is being sent (the invocation's end). */
  leaseUntil: number;
  /** Wall clock: when the claim is made, to judge other claims' leases. */
  now: number;
  /**
   * What a collapse window keeps of the event if it counts it, for the window's digest; set for
   * root events, which alone are counted. A claim of a root event also notes, once sent or
   * counted, that its event was handled (see `eventKeyOf`).
   */
  counted?: CountedEvent;
  /**
   * Wall clock: the latest a genuine window of this key can close, set for keys whose window
   * counts other events. A sent window closing later, or opening in the future, was not written
   * by a claim and is replaced (see `judge`).
   */
  trustedUntil?: number;
}

export type ClaimOutcome =
  /**
   * This alert may be sent. `suppressedBefore` counts events collapsed into the previous window.
   * `replacedUntrusted` is the window it replaced that no claim could have written (see
   * `judge`): a forged write or a broken clock, to be raised as an alarm.
   */
  | { kind: 'claimed'; suppressedBefore: number; replacedUntrusted?: UntrustedWindow }
  /**
   * Another alert for the key was sent and its window covers this event; it was counted.
   * `openerId` is the event whose alert opened that window.
   */
  | { kind: 'duplicate'; redelivery: false; openerId: string }
  /** The very event whose alert was sent arrived again (at-least-once delivery). */
  | { kind: 'duplicate'; redelivery: true }
  /**
   * Another invocation holds the key, its alert not yet known to be sent, and its lease is live:
   * nothing may be counted against it. Ask again later, or fail so that a retry does.
   */
  | { kind: 'in-flight'; leaseUntil: number };

/** What an untrusted window claimed to be, for the alarm that it was replaced. */
export interface UntrustedWindow {
  openerId: string;
  /** Event time, epoch ms, as the record says. */
  openedAt: number;
  closesAt: number;
}

/**
 * Where dedup windows live: memory for replay, DynamoDB for the Lambda. A claim is `pending`
 * until its alert is known to be sent; only a `sent` window acknowledges redeliveries and
 * counts suppressed events.
 */
export interface DedupStore {
  /** Opens the window for `request.key` unless one is open; exactly one concurrent caller wins. */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /**
   * Marks the claim sent once SNS accepted its alert, and notes a root event's alert under its
   * own key (see `eventKeyOf`), so that the event is known as alerted once its window is
   * replaced. False when the claim is no longer this request's (its lease ran out and another
   * invocation took it over).
   */
  markSent(request: ClaimRequest, messageId: string | undefined): Promise<boolean>;
  /** Gives up a claim whose alert could not be sent, so a retry can take it at once. */
  release(request: ClaimRequest): Promise<void>;
}
