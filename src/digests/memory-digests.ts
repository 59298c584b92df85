import { randomUUID } from 'node:crypto';
import type { CountedEvent } from '../dedup/counted-event.js';
import {
  type DigestClaim,
  type DigestStore,
  digestWindowIdOf,
  oldestFirst,
  type WindowDigest,
  windowIdOf,
} from './window-digest.js';

/** The window a counted event waits in, as its note in the table names it. */
export type CountedIn = Pick<WindowDigest, 'key' | 'openerId' | 'openedAt' | 'closesAt'>;

/** A closed or open window's events not yet reported, and what its digests reported. */
interface WindowEvents extends CountedIn {
  due: CountedEvent[];
  reported: number;
  lease: { token: string; leaseUntil: number } | undefined;
}

/**
 * Digests in memory, for replay: what the table's DigestsDue index is to `DigestTable`. The
 * dedup windows (`MemoryDedupStore`) note here each event they count, and it waits for its
 * window's digest; a digest is claimed under a lease, and once marked sent its events leave.
 */
export class MemoryDigests implements DigestStore {
  readonly #windows = new Map<string, WindowEvents>();
  /**
   * The windows with events not yet reported: replay asks for due digests before every event,
   * and an archive of years holds far more windows than are waiting at any one time.
   */
  readonly #waiting = new Set<WindowEvents>();

  /** Notes an event counted in a window, to wait for the window's digest. */
  note(window: CountedIn, counted: CountedEvent): void {
    const windowId = windowIdOf(window.key, window.openerId);
    let events = this.#windows.get(windowId);
    if (events === undefined) {
      events = { ...window, due: [], reported: 0, lease: undefined };
      this.#windows.set(windowId, events);
    }
    events.due.push(counted);
    this.#waiting.add(events);
  }

  async *dueDigests(closedBy: number): AsyncIterable<WindowDigest> {
    const closed = [...this.#waiting].filter((window) => window.closesAt <= closedBy);
    yield* oldestFirst(
      closed.map(({ key, openerId, openedAt, closesAt, due }) => ({
        key,
        openerId,
        openedAt,
        closesAt,
        events: due,
        reportedBefore: 0,
      })),
    );
  }

  async claimDigest(
    digest: WindowDigest,
    leaseUntil: number,
    now: number,
  ): Promise<DigestClaim | undefined> {
    const window = this.#windows.get(digestWindowIdOf(digest));
    if (window === undefined || (window.lease !== undefined && window.lease.leaseUntil > now)) {
      return undefined;
    }
    // Another run may have sent it since `dueDigests` listed it: only what still waits is its.
    const due = new Set(window.due.map((event) => event.eventId));
    const events = digest.events.filter((event) => due.has(event.eventId));
    if (events.length === 0) return undefined;
    const token = randomUUID();
    window.lease = { token, leaseUntil };
    return { digest: { ...digest, events, reportedBefore: window.reported }, token };
  }

  async markDigestSent({ digest, token }: DigestClaim): Promise<void> {
    const window = this.#windows.get(digestWindowIdOf(digest));
    if (window === undefined) return;
    const reported = new Set(digest.events.map((event) => event.eventId));
    window.due = window.due.filter((event) => !reported.has(event.eventId));
    if (window.due.length === 0) this.#waiting.delete(window);
    if (window.lease?.token !== token) return;
    window.reported += reported.size;
    window.lease = undefined;
  }

  async releaseDigest({ digest, token }: DigestClaim): Promise<void> {
    const window = this.#windows.get(digestWindowIdOf(digest));
    if (window?.lease?.token === token) window.lease = undefined;
  }
}
