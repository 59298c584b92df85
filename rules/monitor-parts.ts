import type { TrailEvent } from '../src/intake/trail-event.js';

/**
 * Calls that change a part of the monitor whatever resource they name: the trail records every
 * root call (the stack may not know its name), the default bus's permissions admit the other
 * Regions' and accounts' forwarders, and an event source mapping's update or deletion names only
 * its UUID (the backstop reads its queue through one).
 */
/** The calls that stop a trail or change what it records. */
export const TRAIL_CHANGES = [
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'PutInsightSelectors',
] as const;

const CHANGES_ANY_RESOURCE: Readonly<Record<string, readonly string[]>> = {
  'cloudtrail.amazonaws.com': TRAIL_CHANGES,
  'events.amazonaws.com': ['PutPermission', 'RemovePermission'],
  'lambda.amazonaws.com': ['UpdateEventSourceMapping', 'DeleteEventSourceMapping'],
};

// Lambda records most calls with the API version they were made against
// (UpdateFunctionConfiguration20150331v2): the call is the name without it.
const LAMBDA_API_VERSION = /20\d{6}(?:v\d+)?$/;

/** The API call an event records: Lambda's without its version suffix. */
export const callOf = (event: TrailEvent): string =>
  event.eventSource === 'lambda.amazonaws.com'
    ? event.eventName.replace(LAMBDA_API_VERSION, '')
    : event.eventName;

/** Whether the call changes a part of the monitor whichever resource it names. */
export const changesMonitorPathAnywhere = (event: TrailEvent): boolean =>
  CHANGES_ANY_RESOURCE[event.eventSource]?.includes(callOf(event)) === true;

/** The identity AWS services act as when CloudFormation carries out a stack operation. */
export const CLOUDFORMATION = 'cloudformation.amazonaws.com';

/** Whether CloudFormation made the call, for a stack operation (it does not name the stack). */
export const byCloudFormation = (event: TrailEvent): boolean => event.invokedBy === CLOUDFORMATION;

/**
 * Calls on the alert path itself: a topic, a subscription or a key. Their announcement goes to
 * the alarm topic too, since the change may be the one that silences the alert topic.
 */
export const onAlertPath = (event: TrailEvent): boolean =>
  event.eventSource === 'sns.amazonaws.com' || event.eventSource === 'kms.amazonaws.com';
