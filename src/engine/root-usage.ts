import { isObject, type TrailEvent } from '../intake/trail-event.js';

export type RootUsage = { root: true } | { root: false; reason: string };

// Reasons end up in logs and replay output; values read from the record are echoed only when
// they are plain words, so a crafted record cannot smuggle text through a reason.
const PLAIN_WORD = /^[A-Za-z]{1,40}$/;
const PLAIN_HOST = /^[A-Za-z0-9.-]{1,100}$/;

/**
 * Whether an event is use of the root user, as the CIS / Security Hub CloudWatch.1 filter
 * defines it: `userIdentity.type` is `Root`, no AWS service acted on root's behalf
 * (`invokedBy`), and it is not AWS's own `AwsServiceEvent`. Failed calls, read-only calls and
 * centralized-root (AssumeRoot) sessions are root usage: each is a use of root credentials.
 */
export const rootUsage = (event: TrailEvent): RootUsage => {
  if (event.identityType !== 'Root') {
    return { root: false, reason: identityReason(event) };
  }
  if (event.invokedBy !== undefined) {
    const service = PLAIN_HOST.test(event.invokedBy) ? ` (invokedBy ${event.invokedBy})` : '';
    return { root: false, reason: `an AWS service acted for root${service}` };
  }
  if (event.eventType === 'AwsServiceEvent') {
    return { root: false, reason: 'AWS itself acted, not a caller (eventType AwsServiceEvent)' };
  }
  return { root: true };
};

const identityReason = (event: TrailEvent): string => {
  const identity = event.record.userIdentity;
  if (!isObject(identity)) return 'the event has no userIdentity';
  // CloudTrail itself writes type "Unknown" for some callers, so ask the record, not the view.
  if (typeof identity.type !== 'string' || identity.type === '') {
    return 'the event has no identity type';
  }
  return PLAIN_WORD.test(event.identityType)
    ? `identity type is ${event.identityType}`
    : 'identity type is not Root';
};
