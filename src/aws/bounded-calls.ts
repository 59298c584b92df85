/**
 * Every AWS call the function makes gives up within seconds: at most three attempts of 1 s to
 * connect and 3 s to answer. A call left hanging until the Lambda timed out would end the
 * invocation with the dedup claim still standing, and the retry would be taken for a
 * redelivery; a call that fails in time releases the claim and throws, and the retry alerts.
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
 * The longest chain of calls one alert can wait on: reading the configuration, claiming,
 * publishing (and again to the fallback topic when the alert topic refuses it) and releasing the
 * claim, then the configuration alarm's claim, publish, fallback publish and release. The
 * template's function Timeout must leave this and the snapshot's budget room.
 */
export const ALERT_PATH_MAX_CALLS = 9;
