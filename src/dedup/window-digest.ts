import type { Severity } from '../engine/severity.js';

/**
 * What a collapse window keeps of an event it counted instead of alerting, for the digest sent
 * when the window closes. Every string is CloudTrail's, so attacker-controlled: escape it
 * wherever it is shown.
 */
export interface CountedEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  accountId: string;
  region: string;
  sourceIp: string;
  /** Event time, epoch milliseconds. */
  at: number;
  /** CloudTrail's errorCode: the call failed. */
  errorCode: string | undefined;
  severity: Severity;
  /** The rules it matched; only the fallback rule means no catalog rule described it. */
  ruleIds: readonly string[];
}

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
   * that digest was sent (a trail file, a redrive), which this one reports.
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
   * Takes the digest for sending until `leaseUntil` (wall clock); undefined when another run
   * holds it or it was sent meanwhile.
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
