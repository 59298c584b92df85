import { randomUUID } from 'node:crypto';
import {
  countedNoteUntil,
  type DigestClaim,
  type DigestStore,
  digestWindowIdOf,
  oldestFirst,
  type WindowDigest,
  windowIdOf,
} from '../digests/window-digest.js';
import { eventKeyOf, REDELIVERY_MINUTES } from './claim-for.js';
import type { CountedEvent } from './counted-event.js';
import type { ClaimOutcome, ClaimRequest, DedupStore } from './dedup-store.js';
import { carriedFrom, judge, untrustedWindowOf, type WindowRecord } from './window-record.js';

/** A closed or open window's events not yet reported, and what its digests reported. */
interface WindowEvents {
  key: string;
  openerId: string;
  openedAt: number;
  closesAt: number;
  due: CountedEvent[];
  reported: number;
  lease: { token: string; leaseUntil: number } | undefined;
}

/**
 * Dedup windows in memory, for replay. The same judgement as the DynamoDB table (see
 * `judge`): a window is pending until its alert is marked sent, and only a sent window counts
 * suppressed events or acknowledges its opener's redelivery, even after it closes. Each event
 * a window counts or opens with is noted under its own key, as the table notes it, and the
 * counted ones wait for the window's digest.
 */
export class MemoryDedupStore implements DedupStore, DigestStore {
  readonly #windows = new Map<string, WindowRecord>();
  /** Each counted event's window, as its note in the table says. */
  readonly #countedIn = new Map<string, string>();
  readonly #digests = new Map<string, WindowEvents>();
  /**
   * The windows with events not yet reported: replay asks for due digests before every event,
   * and an archive of years holds far more windows than are waiting at any one time.
   */
  readonly #waiting = new Set<WindowEvents>();

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const record = this.#windows.get(request.key);
    const verdict = judge(record, request);
    switch (verdict) {
      case 'own':
        return { kind: 'claimed', suppressedBefore: record?.suppressedBefore ?? 0 };
      case 'redelivery':
        return { kind: 'duplicate', redelivery: true };
      case 'in-flight':
        return { kind: 'in-flight', leaseUntil: record?.leaseUntil ?? request.leaseUntil };
      case 'suppress':
        if (record === undefined) throw new Error('unreachable: suppressed without a window');
        if (request.counted !== undefined) return this.#count(request, request.counted, record);
        record.suppressed += 1;
        return { kind: 'duplicate', redelivery: false, openerId: record.eventId };
      case 'untrusted':
      case 'open': {
        const untrusted = verdict === 'untrusted' ? record : undefined;
        const suppressedBefore = untrusted === undefined ? carriedFrom(record) : 0;
        this.#windows.set(request.key, {
          eventId: request.eventId,
          token: request.token,
          status: 'pending',
          leaseUntil: request.leaseUntil,
          at: request.at,
          // In whole seconds, as the table keeps it for TTL: replay's windows close when the
          // Lambda's do, and its digests name the same times.
          until: Math.ceil(request.until / 1000) * 1000,
          suppressed: 0,
          suppressedBefore,
        });
        return untrusted === undefined
          ? { kind: 'claimed', suppressedBefore }
          : { kind: 'claimed', suppressedBefore, replacedUntrusted: untrustedWindowOf(untrusted) };
      }
    }
  }

  /** The opener is noted even when the window is no longer its claim's: its alert went out. */
  async markSent(request: ClaimRequest, _messageId?: string): Promise<boolean> {
    const noteKey = eventKeyOf(request.eventId);
    if (
      request.counted !== undefined &&
      noteKey !== request.key &&
      !this.#noted(noteKey, request)
    ) {
      this.#windows.set(noteKey, noteOf(request, request.at + REDELIVERY_MINUTES * 60_000));
      this.#countedIn.delete(noteKey);
    }
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
    const window = this.#digests.get(digestWindowIdOf(digest));
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
    const window = this.#digests.get(digestWindowIdOf(digest));
    if (window === undefined) return;
    const reported = new Set(digest.events.map((event) => event.eventId));
    window.due = window.due.filter((event) => !reported.has(event.eventId));
    if (window.due.length === 0) this.#waiting.delete(window);
    if (window.lease?.token !== token) return;
    window.reported += reported.size;
    window.lease = undefined;
  }

  async releaseDigest({ digest, token }: DigestClaim): Promise<void> {
    const window = this.#digests.get(digestWindowIdOf(digest));
    if (window?.lease?.token === token) window.lease = undefined;
  }

  /**
   * Notes the event counted in `window`, to wait for its digest, unless it was noted before:
   * counted in this window already, or handled otherwise (an opener, an earlier window).
   */
  #count(request: ClaimRequest, counted: CountedEvent, window: WindowRecord): ClaimOutcome {
    const noteKey = eventKeyOf(request.eventId);
    const windowId = windowIdOf(request.key, window.eventId);
    if (this.#noted(noteKey, request)) {
      return this.#countedIn.get(noteKey) === windowId
        ? { kind: 'duplicate', redelivery: false, openerId: window.eventId }
        : { kind: 'duplicate', redelivery: true };
    }
    this.#windows.set(noteKey, noteOf(request, countedNoteUntil(request.at, window.until)));
    this.#countedIn.set(noteKey, windowId);
    let events = this.#digests.get(windowId);
    if (events === undefined) {
      events = {
        key: request.key,
        openerId: window.eventId,
        openedAt: window.at,
        closesAt: window.until,
        due: [],
        reported: 0,
        lease: undefined,
      };
      this.#digests.set(windowId, events);
    }
    events.due.push(counted);
    this.#waiting.add(events);
    window.suppressed += 1;
    return { kind: 'duplicate', redelivery: false, openerId: window.eventId };
  }

  /** Whether the event's own key holds a record still in force at the event's time. */
  #noted(noteKey: string, request: ClaimRequest): boolean {
    const note = this.#windows.get(noteKey);
    return note !== undefined && note.until > request.at;
  }

  #owned(request: ClaimRequest): WindowRecord | undefined {
    const record = this.#windows.get(request.key);
    return record?.token === request.token ? record : undefined;
  }
}

/** The note that an event was handled: a sent record of its own, which `judge` reads as such. */
const noteOf = (request: ClaimRequest, until: number): WindowRecord => ({
  eventId: request.eventId,
  token: undefined,
  status: 'sent',
  leaseUntil: 0,
  at: request.at,
  until,
  suppressed: 0,
  suppressedBefore: 0,
});
