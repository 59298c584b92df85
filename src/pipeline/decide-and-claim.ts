import type { Config } from '../config/config.js';
import { claimFor } from '../dedup/claim-for.js';
import type { Arrival } from '../dedup/counted-event.js';
import type { ClaimOutcome, ClaimRequest, UntrustedWindow } from '../dedup/dedup-store.js';
import { decide } from '../engine/decide.js';
import type { Alert, Allowlisted, Ignored } from '../engine/decision.js';
import type { Rule, RuleContext } from '../engine/rule.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { RootSessionJoin } from '../root-sessions/session-join.js';

/** What judging one event needs: the engine's inputs, and the dedup store behind `claim`. */
export interface JudgeParts {
  /** The rules, in priority order. */
  catalog: readonly Rule[];
  config: Config;
  context: RuleContext;
  now: Date;
  /** Wall clock: until when a claim made now is held while its alert is being sent. */
  leaseUntil: number;
  arrival: Arrival;
  /**
   * Claims the alert's dedup window; undefined when the store cannot say, and the alert goes
   * out unclaimed (twice rather than never).
   */
  claim(request: ClaimRequest): Promise<ClaimOutcome | undefined>;
  /**
   * The centralized-root session a root event belongs to (see `SessionJoiner`); without it, no
   * event is joined with a session. Never rejects: an unreadable record of sessions is a join
   * that says so.
   */
  joinSession?(event: TrailEvent): Promise<RootSessionJoin | undefined>;
}

/** What became of one event once decided and claimed. */
export type Judged =
  | Ignored
  | Allowlisted
  /**
   * Another alert covers it: its redelivery, or a window of its key that counted it (`openerId`,
   * the event whose alert opened it).
   */
  | { kind: 'duplicate'; alert: Alert; redelivery: boolean; openerId: string | undefined }
  /** Another invocation holds the key with its alert not yet sent: not acknowledged. */
  | { kind: 'in-flight'; alert: Alert; leaseUntil: number }
  /**
   * To be sent. `claimed` is false when the store could not say; the claim is then not to be
   * marked. `replacedUntrusted` is a window no claim wrote, which the claim replaced.
   */
  | {
      kind: 'alert';
      alert: Alert;
      claim: ClaimRequest;
      claimed: boolean;
      suppressedBefore: number;
      replacedUntrusted: UntrustedWindow | undefined;
    };

/**
 * Decide, claim and count: the one path replay and every function take for a CloudTrail event,
 * so that a rule of dedup is written once. A collapse window counts every event of its key that
 * happened before it closes, whatever order they arrive in (see `judge`).
 */
export const decideAndClaim = async (event: TrailEvent, parts: JudgeParts): Promise<Judged> => {
  const rootSession = await parts.joinSession?.(event);
  const context = rootSession === undefined ? parts.context : { ...parts.context, rootSession };
  const decision = decide(event, parts.catalog, parts.config, context, parts.now);
  if (decision.kind !== 'alert') return decision;
  const claim = claimFor(decision, parts.now, parts.leaseUntil, parts.arrival);
  const outcome = await parts.claim(claim);
  switch (outcome?.kind) {
    case 'duplicate':
      return {
        kind: 'duplicate',
        alert: decision,
        redelivery: outcome.redelivery,
        openerId: outcome.redelivery ? undefined : outcome.openerId,
      };
    case 'in-flight':
      return { kind: 'in-flight', alert: decision, leaseUntil: outcome.leaseUntil };
    case 'claimed':
      return {
        kind: 'alert',
        alert: decision,
        claim,
        claimed: true,
        suppressedBefore: outcome.suppressedBefore,
        replacedUntrusted: outcome.replacedUntrusted,
      };
    case undefined:
      return {
        kind: 'alert',
        alert: decision,
        claim,
        claimed: false,
        suppressedBefore: 0,
        replacedUntrusted: undefined,
      };
  }
};
