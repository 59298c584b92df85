import type { TrailEvent } from '../intake/trail-event.js';

/** Root console sign-ins are `ConsoleLogin` events from the sign-in service. */
export const isConsoleLogin = (event: TrailEvent): boolean =>
  event.eventSource === 'signin.amazonaws.com' && event.eventName === 'ConsoleLogin';

/**
 * A sign-in failed when CloudTrail says so: `responseElements.ConsoleLogin` is `Failure`, or the
 * record carries an error. A sign-in not recorded as failed counts as successful, so a record
 * with missing fields can never hide a root sign-in.
 */
export const signInFailed = (event: TrailEvent): boolean => {
  const outcome = event.responseElements?.ConsoleLogin;
  return (
    (typeof outcome === 'string' && outcome.toLowerCase() === 'failure') ||
    event.errorMessage !== undefined ||
    event.errorCode !== undefined
  );
};
