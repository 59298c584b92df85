import type { Invocation } from '../pipeline/ports.js';
import type { DigestRunResult, UnexpectedInputResult } from '../pipeline/results.js';
import { leaseUntil, realTiming, type Timing } from '../pipeline/settle-claim.js';
import {
  runScheduled,
  type UnexpectedInputAlarm,
} from '../unexpected-input/unexpected-input-alarm.js';
import type { WindowDigests } from './window-digests.js';

export interface DigestScheduleParts {
  digests: WindowDigests;
  /** Tells the alarm topic when the function is given anything but its schedule's event. */
  unexpectedInput: UnexpectedInputAlarm;
  /** The function's timeout: no digest is held longer than an invocation can last. */
  maxInvocationMs: number;
  timing?: Timing;
}

/**
 * The digest function's work for one run of its schedule: send the digest of every collapse
 * window that has closed, each leased until the invocation ends. The input carries no work:
 * what is due is in the dedup table. Anything but EventBridge's Scheduled Event raises the
 * unexpected-input alarm, and the run goes ahead beside it.
 */
export class DigestSchedule {
  readonly #parts: DigestScheduleParts;
  readonly #timing: Timing;

  constructor(parts: DigestScheduleParts) {
    this.#parts = parts;
    this.#timing = parts.timing ?? realTiming;
  }

  /** @param invocation the Lambda context: each digest is leased until the invocation ends. */
  async handle(
    input: unknown,
    invocation?: Invocation,
  ): Promise<DigestRunResult | UnexpectedInputResult<DigestRunResult>> {
    const now = this.#timing.clock();
    const leaseEnd = leaseUntil(now, invocation, this.#parts.maxInvocationMs);
    return runScheduled(input, {
      run: async () => {
        const { results, unsent } = await this.#parts.digests.sendDue(now, leaseEnd);
        return { decision: 'digests', results, unsent } as const;
      },
      alarm: this.#parts.unexpectedInput,
      now,
      leaseUntil: leaseEnd,
    });
  }
}
