import type { ClaimOutcome, ClaimRequest, DedupStore } from './claim.js';

/** The opener of a released window: no event has this id. */
const RELEASED = '(released)';

interface Closed {
  eventId: string;
  until: number;
  suppressed: number;
}

interface Window extends Closed {
  /**
   * The window this one replaced, restored if the claim is released. Only its own fields: a
   * chain back through every earlier window would grow with each alert a long replay makes.
   */
  replaced: Closed | undefined;
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
      replaced:
        open === undefined
          ? undefined
          : { eventId: open.eventId, until: open.until, suppressed: open.suppressed },
    });
    return { kind: 'claimed', suppressedBefore: open?.suppressed ?? 0 };
  }

  /**
   * The window becomes the one it replaced again, or an expired one, keeping its suppressed
   * count: those events were acknowledged as duplicates of an alert that never went out.
   */
  async release(request: ClaimRequest): Promise<void> {
    const open = this.#windows.get(request.key);
    if (open?.eventId !== request.eventId) return;
    const { replaced } = open;
    this.#windows.set(request.key, {
      eventId: replaced?.eventId ?? RELEASED,
      until: replaced?.until ?? request.at,
      suppressed: open.suppressed + (replaced?.suppressed ?? 0),
      replaced: undefined,
    });
  }
}
