import { MemoryDigests } from '../digests/memory-digests.js';
import { countedNoteUntil, windowIdOf } from '../digests/window-digest.js';
import { eventKeyOf, REDELIVERY_MINUTES } from './claim-for.js';
import type { CountedEvent } from './counted-event.js';
import type { ClaimOutcome, ClaimRequest, DedupStore } from './dedup-store.js';
import { carriedFrom, judge, untrustedWindowOf, type WindowRecord } from './window-record.js';

/**
 * Dedup windows in memory, for replay. The same judgement as the DynamoDB table (see
 * `judge`): a window is pending until its alert is marked sent, and only a sent window counts
 * suppressed events or acknowledges its opener's redelivery, even after it closes. Each event
 * a window counts or opens with is noted under its own key, as the table notes it, and the
 * counted ones wait for the window's digest in `digests`, as the table's notes wait in its index.
 */
export class MemoryDedupStore implements DedupStore {
  readonly #windows = new Map<string, WindowRecord>();
  /** Each counted event's window, as its note in the table says. */
  readonly #countedIn = new Map<string, string>();
  readonly #digests: MemoryDigests;

  /** @param digests where counted events wait for their window's digest */
  constructor(digests: MemoryDigests = new MemoryDigests()) {
    this.#digests = digests;
  }

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
    this.#digests.note(
      { key: request.key, openerId: window.eventId, openedAt: window.at, closesAt: window.until },
      counted,
    );
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
