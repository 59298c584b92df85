import type { TrailEvent } from '../src/intake/trail-event.js';

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

/**
 * MFA counts as used only when `additionalEventData.MFAUsed` says yes, in any case (AWS's own
 * example writes `YES`). A missing value is no proof that MFA was used.
 */
export const mfaUsed = (event: TrailEvent): boolean => {
  const used = event.additionalEventData?.MFAUsed;
  return typeof used === 'string' && used.toLowerCase() === 'yes';
};
