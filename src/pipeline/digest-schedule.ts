import type { Invocation } from './monitor.js';
import type { DigestRunResult } from './results.js';
import { realTiming, type Timing } from './settle-claim.js';
import type { WindowDigests } from './window-digests.js';

export interface DigestScheduleParts {
  digests: WindowDigests;
  /** The function's timeout: no digest is held longer than an invocation can last. */
  maxInvocationMs: number;
  timing?: Timing;
}

/**
 * The digest function's work for one run of its schedule: send the digest of every collapse
 * window that has closed, each leased until the invocation ends. A run has no input to read:
 * what is due is in the dedup table.
 */
export class DigestSchedule {
  readonly #parts: DigestScheduleParts;
  readonly #timing: Timing;

  constructor(parts: DigestScheduleParts) {
    this.#parts = parts;
    this.#timing = parts.timing ?? realTiming;
  }

  /** @param invocation the Lambda context: each digest is leased until the invocation ends. */
  async handle(_input: unknown, invocation?: Invocation): Promise<DigestRunResult> {
    const now = this.#timing.clock();
    const remaining = invocation?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const leaseUntil =
      now.getTime() + Math.max(0, Math.min(remaining, this.#parts.maxInvocationMs));
    const { results, unsent } = await this.#parts.digests.sendDue(now, leaseUntil);
    return { decision: 'digests', results, unsent };
  }
}
