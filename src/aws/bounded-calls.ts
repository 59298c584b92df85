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
 * The longest chain of calls one alert can wait on: reading the configuration; claiming (a
 * claim that meets another invocation's pending alert on the key asks again until
 * IN_FLIGHT_WAIT_MS after it began, so the step is one call and that wait); publishing, and again
 * to the fallback topic when the alert topic refuses it; marking the claim sent (noting its
 * event under its own key at the same time, see `DedupTable.markSent`) or releasing it;
 * then the configuration alarm's claim, publish, fallback publish, and mark or release. The
 * template's function Timeout must leave this, the wait and the snapshot's budget room.
 */
export const ALERT_PATH_MAX_CALLS = 9;

/**
 * The template's function Timeout. A claim's lease ends with the invocation holding it, and
 * never later than this: Lambda's second retry (about three minutes after the first attempt)
 * then finds the claim of an invocation that died free to take over.
 */
export const FUNCTION_TIMEOUT_SECONDS = 145;
