/**
 * A request to open a dedup window for an alert. Times are epoch milliseconds taken from the
 * event's eventTime (the clock only when the event has none), so replay and the Lambda agree.
 */
export interface ClaimRequest {
  key: string;
  eventId: string;
  /** When the event happened. */
  at: number;
  /** When the window that this alert opens closes. */
  until: number;
}

export type ClaimOutcome =
  /** This alert may be sent. `suppressedBefore` counts events collapsed into the previous window. */
  | { kind: 'claimed'; suppressedBefore: number }
  /** Another alert for the key is inside its window; this event was counted. */
  | { kind: 'duplicate'; redelivery: false }
  /** The very event that opened the window arrived again (at-least-once delivery). */
  | { kind: 'duplicate'; redelivery: true };

/** Where dedup windows live: memory for replay, DynamoDB for the Lambda. */
export interface DedupStore {
  /** Opens the window for `request.key` unless one is open; exactly one concurrent caller wins. */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** Undoes a claim whose alert could not be sent, so a retry can send it. */
  release(request: ClaimRequest): Promise<void>;
}
