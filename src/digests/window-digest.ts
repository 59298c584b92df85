import { REDELIVERY_MINUTES } from '../dedup/claim-for.js';
import type { CountedEvent } from '../dedup/counted-event.js';

/**
 * What a closed collapse window's digest reports: the events it counted since its last digest
 * (all of them, the first time).
 */
export interface WindowDigest {
  /** The window's dedup key: `rule#account#address`. */
  key: string;
  /** The event whose alert opened the window. */
  openerId: string;
  /** Event time, epoch milliseconds: the opener's time, and when the window closes. */
  openedAt: number;
  closesAt: number;
  /** The events this digest reports, oldest first; never empty. */
  events: readonly CountedEvent[];
  /**
   * Events an earlier digest of this window reported: non-zero only for events counted after
   * that digest was sent (a trail file, a redrive), which this one reports. Known once the
   * digest is claimed: `dueDigests` gives 0.
   */
  reportedBefore: number;
}

/**
 * A digest being sent: claimed under a lease like an alert, so that two scheduled runs never
 * send it both, and marked sent only after SNS accepted it.
 */
export interface DigestClaim {
  digest: WindowDigest;
  /** Unique to this claim. */
  token: string;
}

/**
 * Where closed windows wait for their digest: memory for replay, DynamoDB for the Lambda.
 * A digest is reported once; events counted after it was sent make the window due again, and
 * the next digest reports the whole window with what is new.
 */
export interface DigestStore {
  /** Windows closed by `closedBy` (event time, epoch ms) with events not yet reported, oldest first. */
  dueDigests(closedBy: number): AsyncIterable<WindowDigest>;
  /**
   * Takes the digest for sending until `leaseUntil` (wall clock), with `reportedBefore` read;
   * undefined when another run holds it.
   */
  claimDigest(
    digest: WindowDigest,
    leaseUntil: number,
    now: number,
  ): Promise<DigestClaim | undefined>;
  /** Records the digest's events reported; events counted meanwhile stay due. */
  markDigestSent(claim: DigestClaim): Promise<void>;
  /** Gives up a digest that could not be sent, so the next run takes it at once. */
  releaseDigest(claim: DigestClaim): Promise<void>;
}

/** The fallback rule alone: the event matched no rule of the catalog that describes it. */
export const matchedNoRule = (event: CountedEvent, fallbackRuleId: string): boolean =>
  event.ruleIds.length === 1 && event.ruleIds[0] === fallbackRuleId;

/**
 * How long a counted event waits for its window's digest after the window closes: a schedule
 * broken for longer loses the digest (the event's alert went out as the window's), and a
 * week is long enough for someone to notice the schedule.
 */
export const DIGEST_WAIT_MS = 7 * 24 * 60 * 60_000;

/** One name for a window across its replacements: its key and the event that opened it. */
export const windowIdOf = (key: string, openerId: string): string => `${key}#${openerId}`;

/** The name of the window a digest reports on (see {@link windowIdOf}). */
export const digestWindowIdOf = (digest: WindowDigest): string =>
  windowIdOf(digest.key, digest.openerId);

/** Due digests in the order a store yields them: the earliest closed first, events oldest first. */
export const oldestFirst = (digests: readonly WindowDigest[]): WindowDigest[] =>
  digests
    .map((digest) => ({ ...digest, events: [...digest.events].sort((a, b) => a.at - b.at) }))
    .sort((a, b) => a.closesAt - b.closesAt);

/**
 * Until when a counted event is noted: for redeliveries, and until its window's digest can no
 * longer be sent, whichever is later.
 */
export const countedNoteUntil = (at: number, closesAt: number): number =>
  Math.max(at + REDELIVERY_MINUTES * 60_000, closesAt + DIGEST_WAIT_MS);
