import { switchesRootAccess } from '../src/engine/root-usage.js';
import type { CloudTrailRecord, TrailEvent } from '../src/intake/trail-event.js';

/*
 * Centralized root access, as the IAM API Reference names its calls
 * (EnableOrganizationsRootCredentialsManagement, EnableOrganizationsRootSessions and their
 * Disable counterparts): IAM records every API call under eventSource iam.amazonaws.com, in
 * us-east-1, and the call is refused (AccountNotManagementOrDelegatedAdministrator) outside the
 * organization's management or delegated administrator account. The engine lets these calls in
 * whoever makes them (ROOT_USAGE.rootAccessSwitched).
 */

/** Whether the event turns a centralized root access feature off (`Disable...`). */
export const turnsRootAccessOff = (event: TrailEvent): boolean =>
  switchesRootAccess(event) && event.eventName.startsWith('Disable');

/** Whether the event turns a centralized root access feature on (`Enable...`). */
export const turnsRootAccessOn = (event: TrailEvent): boolean =>
  switchesRootAccess(event) && event.eventName.startsWith('Enable');

/** What the call answers: the organization and the features still on. */
const featuresResponse = (enabledFeatures: readonly string[]) => ({
  organizationId: 'o-aa111bb222',
  enabledFeatures,
});

/**
 * For the rules' cases: a call switching a feature as `by` records it (root's, an IAM user's, a
 * role session's), answered with the features on after it.
 */
export const featureSwitch = (
  by: (overrides: CloudTrailRecord) => CloudTrailRecord,
  eventName: string,
  enabledFeatures: readonly string[],
): CloudTrailRecord => by({ eventName, responseElements: featuresResponse(enabledFeatures) });
