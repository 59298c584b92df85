import type { ClaimOutcome, ClaimRequest, DedupStore } from './claim.js';

interface Window {
  eventId: string;
  until: number;
  suppressed: number;
  /** The window this one replaced, restored if the claim is released. */
  replaced: Window | undefined;
}

/**
 * Dedup windows in memory, for replay. Same semantics as the DynamoDB table: a window is open
 * until `until`; the event that opened it is a redelivery, not a suppression, even after it.
 */
export class MemoryDedupStore implements DedupStore {
  readonly #windows = new Map<string, Window>();

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const open = this.#windows.get(request.key);
    if (open?.eventId === request.eventId) return { kind: 'duplicate', redelivery: true };
    if (open !== undefined && open.until > request.at) {
      open.suppressed += 1;
      return { kind: 'duplicate', redelivery: false };
    }
    this.#windows.set(request.key, {
      eventId: request.eventId,
      until: request.until,
      suppressed: 0,
      replaced: open,
    });
    return { kind: 'claimed', suppressedBefore: open?.suppressed ?? 0 };
  }

  async release(request: ClaimRequest): Promise<void> {
    const open = this.#windows.get(request.key);
    if (open?.eventId !== request.eventId) return;
    if (open.replaced === undefined) this.#windows.delete(request.key);
    else this.#windows.set(request.key, open.replaced);
  }
}
