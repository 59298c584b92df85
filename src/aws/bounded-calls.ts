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
 * call per ten parameters). Then the root alerts and the alarms go out side by side (the
 * configuration alarm, and the unexpected-input alarm when the input is not what the rule
 * sends), so the chain goes on with the longest of them; a change's announcement is the guard
 * function's, on a path of its own. Each is a claim; the publish, and again to the fallback
 * topic when the alert topic refuses it; marking the claim sent (its event noted under its own
 * key at the same time, see `DedupTable.markSent`) or releasing it. A claim is one UpdateItem,
 * or two when it takes over a pending claim released by a failed attempt or left by one that
 * died:
 * - so 1 + 2 + 2 + 1 = 6 calls while no other invocation writes the same keys.
 *   `test/pipeline/alert-path-calls.test.ts` measures the chain call by call, the alert topic
 *   refusing every message: 5 on a first attempt, 6 on Lambda's retry;
 * - a claim that finds its window rewritten by another invocation between its writes (replaced,
 *   taken over) looks again, writing the window at most three times with a count of the event
 *   between each (`DedupTable.claim`): 5 calls for the claim, 9 in all, the bound here.
 * A root alert's source is noted beside its claim (one UpdateItem, with the learning start's
 * PutItem beside it in a container's first; see `FirstSeenTable`), which adds no call to the
 * chain. A claim meeting another invocation's pending alert asks again until IN_FLIGHT_WAIT_MS
 * after it began, counted apart. The template's function Timeout must leave this, the wait, the budget
 * of the findings and the alerts' events (which go side by side) and the snapshot's room. The
 * events are put after every alert is out, and are no part of this chain.
 */
export const ALERT_PATH_MAX_CALLS = 9;

/**
 * The template's function Timeout. A claim's lease ends with the invocation holding it, and
 * never later than this: Lambda's second retry (about three minutes after the first attempt)
 * then finds the claim of an invocation that died free to take over.
 */
export const FUNCTION_TIMEOUT_SECONDS = 145;
