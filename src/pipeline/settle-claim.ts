import { escapeText } from '../alert/text/escape.js';
import type { ClaimOutcome, ClaimRequest, DedupStore } from '../dedup/dedup-store.js';
import { RootMonitorError } from '../errors.js';

/**
 * How long a claim waits for another invocation's pending alert on the same key to be sent.
 * Concurrent events of one burst (a console session fires several calls at once) meet a window
 * whose alert is being published that very moment; a publish takes well under a second.
 */
export const IN_FLIGHT_WAIT_MS = 3_000;

/** The first pause before asking again; each next one doubles, up to the longest. */
const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 500;

export interface Timing {
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export const realTiming: Timing = {
  clock: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Until when a claim made now is held: the end of the invocation that makes it, and never
 * longer than an invocation can last (the function's timeout).
 */
export const leaseUntil = (
  now: Date,
  invocation: { getRemainingTimeInMillis(): number } | undefined,
  maxInvocationMs: number,
): number => {
  const remaining = invocation?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
  return now.getTime() + Math.max(0, Math.min(remaining, maxInvocationMs));
};

/**
 * Claims, and while another invocation's claim on the key is pending under a live lease, asks
 * again with growing pauses for at most IN_FLIGHT_WAIT_MS. An outcome still `in-flight` after
 * that is the caller's to fail on: the event must not be acknowledged behind an alert that may
 * never go out.
 */
export const settleClaim = async (
  store: DedupStore,
  request: ClaimRequest,
  { clock, sleep }: Timing,
): Promise<ClaimOutcome> => {
  const giveUpAt = clock().getTime() + IN_FLIGHT_WAIT_MS;
  let outcome = await store.claim(request);
  for (
    let pause = FIRST_PAUSE_MS;
    outcome.kind === 'in-flight';
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS)
  ) {
    if (clock().getTime() + pause > giveUpAt) break;
    await sleep(pause);
    outcome = await store.claim({ ...request, now: clock().getTime() });
  }
  return outcome;
};

/**
 * Thrown for an event whose key another invocation holds: Lambda's retry finds that alert
 * sent (and counts this event against it) or its lease run out (and alerts itself); past the
 * retries, the event is parked in the on-failure destination.
 */
export class ClaimInFlightError extends RootMonitorError {
  override name = 'ClaimInFlightError';

  constructor(dedupKey: string, leaseUntil: number) {
    const lease = new Date(leaseUntil);
    const until = Number.isNaN(lease.getTime()) ? String(leaseUntil) : lease.toISOString();
    super(
      `The alert for ${escapeText(dedupKey, 256)} is still being sent by another invocation (lease until ${until}); failing so that Lambda retries this event`,
    );
  }
}
