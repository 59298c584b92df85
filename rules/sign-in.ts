import type { TrailEvent } from '../src/intake/trail-event.js';

// What a sign-in is and whether it failed is the engine's: first-seen sources read it too.
export { isConsoleLogin, signInFailed } from '../src/engine/sign-in.js';

/**
 * MFA counts as used only when `additionalEventData.MFAUsed` says yes, in any case (AWS's own
 * example writes `YES`). A missing value is no proof that MFA was used.
 */
export const mfaUsed = (event: TrailEvent): boolean => {
  const used = event.additionalEventData?.MFAUsed;
  return typeof used === 'string' && used.toLowerCase() === 'yes';
};
