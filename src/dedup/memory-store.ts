import type { ClaimOutcome, ClaimRequest, DedupStore } from './claim.js';
import { carriedFrom, judge, type WindowRecord } from './window-record.js';

/**
 * Dedup windows in memory, for replay. The same judgement as the DynamoDB table (see
 * `judge`): a window is pending until its alert is marked sent, and only a sent window counts
 * suppressed events or acknowledges its opener's redelivery, even after it closes.
 */
export class MemoryDedupStore implements DedupStore {
  readonly #windows = new Map<string, WindowRecord>();

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const record = this.#windows.get(request.key);
    switch (judge(record, request)) {
      case 'own':
        return { kind: 'claimed', suppressedBefore: record?.suppressedBefore ?? 0 };
      case 'redelivery':
        return { kind: 'duplicate', redelivery: true };
      case 'in-flight':
        return { kind: 'in-flight', leaseUntil: record?.leaseUntil ?? request.leaseUntil };
      case 'suppress':
        if (record !== undefined) record.suppressed += 1;
        return { kind: 'duplicate', redelivery: false };
      case 'late':
        return { kind: 'late', openedAt: record?.at ?? request.at };
      case 'open': {
        const suppressedBefore = carriedFrom(record);
        this.#windows.set(request.key, {
          eventId: request.eventId,
          token: request.token,
          status: 'pending',
          leaseUntil: request.leaseUntil,
          at: request.at,
          until: request.until,
          suppressed: 0,
          suppressedBefore,
        });
        return { kind: 'claimed', suppressedBefore };
      }
    }
  }

  async markSent(request: ClaimRequest, _messageId?: string): Promise<boolean> {
    const record = this.#owned(request);
    if (record === undefined) return false;
    record.status = 'sent';
    return true;
  }

  /** The lease ends now: the next claim for the key takes the window over, with its count. */
  async release(request: ClaimRequest): Promise<void> {
    const record = this.#owned(request);
    if (record?.status === 'pending') record.leaseUntil = 0;
  }

  #owned(request: ClaimRequest): WindowRecord | undefined {
    const record = this.#windows.get(request.key);
    return record?.token === request.token ? record : undefined;
  }
}
