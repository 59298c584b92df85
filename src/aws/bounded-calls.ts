/**
 * Every AWS call the function makes gives up within seconds: at most three attempts of 1 s to
 * connect and 3 s to answer. A call that fails in time releases the claim and throws, and the
 * Lambda retry alerts at once; one left hanging until the Lambda timed out would leave the claim
 * pending until its lease ran out, costing a retry.
 */
export const BOUNDED_CALLS = {
  maxAttempts: 3,
  // Without throwOnRequestTimeout the handler only warns when requestTimeout passes.
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;

/** The longest one bounded call can take: every attempt timing out, plus the SDK's backoff. */
export const BOUNDED_CALL_MAX_MS =
  BOUNDED_CALLS.maxAttempts *
    (BOUNDED_CALLS.requestHandler.connectionTimeout + BOUNDED_CALLS.requestHandler.requestTimeout) +
  1_000;

/**
 * The longest chain of calls one alert can wait on, each call waiting for the one before it.
 * First the configuration read (GetParameter; a path's documents take GetParametersByPath, one
 * call per ten parameters). Then the root alerts and the alarms go out side by side, so the
 * chain goes on with the longest of them (a change's announcement is the guard function's, on
 * a path of its own):
 * - a root alert: its claim, one UpdateItem, or two when it takes over a pending claim released
 *   by a failed attempt or left by one that died (a claim meeting another invocation's pending
 *   alert asks again until IN_FLIGHT_WAIT_MS after it began, counted apart); the publish, and
 *   again to the fallback topic when the alert topic refuses it; marking the claim sent (its
 *   event noted under its own key at the same time, see `DedupTable.markSent`) or releasing it.
 *   At most 2 + 2 + 1 = 5;
 * - the configuration alarm: its claim (two with a takeover), publish, fallback publish, mark
 *   or release: at most 5;
 * - the unexpected-input alarm, when the input is not what the rule sends: the same, at most 5.
 * At most 8 then, within this 9, unless other invocations rewrite a key's window between the
 * writes of one claim, which then tries again (at most three rounds, see `DedupTable.claim`).
 * `test/pipeline/alert-path-calls.test.ts` measures the chain as the function makes it, the
 * alert topic refusing every message, on a first attempt and on Lambda's retry: 7 at most, for
 * root's own write of an invalid configuration on the retry.
 * The template's function Timeout must leave this, the wait, the budget of the findings and the
 * alerts' events (which go side by side) and the snapshot's room. The events are put after
 * every alert is out, and are no part of this chain.
 */
export const ALERT_PATH_MAX_CALLS = 9;

/**
 * The template's function Timeout. A claim's lease ends with the invocation holding it, and
 * never later than this: Lambda's second retry (about three minutes after the first attempt)
 * then finds the claim of an invocation that died free to take over.
 */
export const FUNCTION_TIMEOUT_SECONDS = 145;
