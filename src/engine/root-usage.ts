import { isObject, stringIn, type TrailEvent } from '../intake/trail-event.js';

/**
 * What root usage is, as data: the engine below, the EventBridge pattern in `template.yaml` (a
 * test holds the two together) and any query over trail files read it from here.
 * docs/reference/rules.md, "What counts as root usage", gives the source for every value.
 *
 * An event is root usage when either
 * - its `userIdentity.type` is {@link ROOT_USAGE.identityType}, its `eventType` is not
 *   {@link ROOT_USAGE.serviceEventType} (AWS itself, not a caller), and its
 *   `userIdentity.invokedBy` is absent or one of {@link ROOT_USAGE.consoleInvokers} (the console
 *   acting for the person signed in). Any other `invokedBy` is an AWS service acting on its own,
 *   whose triggering call by root is recorded, and alerted, by itself; or
 * - it hands someone control of a root user, whoever makes it: the call that opens a root
 *   session, {@link ROOT_USAGE.sessionIssued}; a change to a member account's root email or
 *   contacts made from the organization's management (or delegated administrator) account,
 *   {@link ROOT_USAGE.memberRecoveryChanged}; or centralized root access turned on or off,
 *   {@link ROOT_USAGE.rootAccessSwitched}. These are the root usage whose caller need not be root.
 */
export const ROOT_USAGE = {
  identityType: 'Root',
  serviceEventType: 'AwsServiceEvent',
  consoleInvokers: ['signin.amazonaws.com', 'console.amazonaws.com'],
  sessionIssued: { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoot' },
  /**
   * The Account Management API's changes to an account's primary (root) email address and its
   * contacts (Account Management Reference Guide, "Logging AWS Account Management API calls
   * using AWS CloudTrail"). Made from the management or delegated administrator account, the
   * call names the member account in `requestParameters.accountId` (the API reference: "the
   * management account can't specify its own AccountId"); whoever receives the root email can
   * reset the member's root password.
   */
  memberRecoveryChanged: {
    eventSource: 'account.amazonaws.com',
    eventNames: [
      'StartPrimaryEmailUpdate',
      'AcceptPrimaryEmailUpdate',
      'PutAlternateContact',
      'DeleteAlternateContact',
      'PutContactInformation',
    ],
    memberAccountParameter: 'accountId',
  },
  /**
   * Centralized root access (IAM API Reference), which only the management or delegated
   * administrator account may switch: root credentials management and root sessions
   * (`sts:AssumeRoot`) for every member account.
   */
  rootAccessSwitched: {
    eventSource: 'iam.amazonaws.com',
    eventNames: [
      'EnableOrganizationsRootCredentialsManagement',
      'EnableOrganizationsRootSessions',
      'DisableOrganizationsRootCredentialsManagement',
      'DisableOrganizationsRootSessions',
    ],
  },
} as const;

/**
 * What marks a call made through the AWS Management Console, besides a console `invokedBy`.
 * These never decide whether an event is root usage; they tell the person on call which path
 * root took. `userAgent` is not among them: the caller writes it.
 */
export const CONSOLE_MARKERS = {
  /**
   * Console actions that are not API calls. (A sign-in, `AwsConsoleSignIn`, is not a call made
   * through the console but the way into it; its rules say so themselves.)
   */
  eventTypes: ['AwsConsoleAction'],
  /** Top-level record field, present (and `"true"`) only for console-session credentials. */
  sessionCredentialFromConsole: 'true',
} as const;

export type RootUsage =
  /** Root's own identity made the call (its credentials, a console session or AssumeRoot's). */
  | { root: true; kind: 'root-call' }
  /** Another identity opened a root session (`sts:AssumeRoot`): the start of root's use. */
  | { root: true; kind: 'root-session-issued' }
  /**
   * Any identity changed who controls a root user: a member account's root email or contacts,
   * from the management account, or centralized root access turned on or off.
   */
  | { root: true; kind: 'root-control-changed' }
  | { root: false; reason: string };

// Reasons end up in logs and replay output; values read from the record are echoed only when
// they are plain words, so a crafted record cannot smuggle text through a reason.
const PLAIN_WORD = /^[A-Za-z]{1,40}$/;
const PLAIN_HOST = /^[A-Za-z0-9.-]{1,100}$/;

const includes = (values: readonly string[], value: string | undefined): boolean =>
  value !== undefined && values.includes(value);

/**
 * Whether the event is the call that opens a centralized-root session, by any identity. Only an
 * event with exactly this source and name is let in; with the changes of root control below,
 * these are the only calls of a non-root identity that reach the rules.
 */
export const issuesRootSession = (event: TrailEvent): boolean =>
  event.eventSource === ROOT_USAGE.sessionIssued.eventSource &&
  event.eventName === ROOT_USAGE.sessionIssued.eventName;

/**
 * The member account a call names in `requestParameters.accountId`, when that is not the account
 * the call was recorded in (`recipientAccountId`; a record without one is taken at its word).
 * Raw event text; undefined when the call names no other account.
 */
const memberAccountNamed = (event: TrailEvent): string | undefined => {
  const named = stringIn(
    event.requestParameters,
    ROOT_USAGE.memberRecoveryChanged.memberAccountParameter,
  );
  return named !== undefined && named !== stringIn(event.record, 'recipientAccountId')
    ? named
    : undefined;
};

/** Whether the event is an Account Management API change to an account's email or contacts. */
export const changesAccountContacts = (event: TrailEvent): boolean =>
  event.eventSource === ROOT_USAGE.memberRecoveryChanged.eventSource &&
  includes(ROOT_USAGE.memberRecoveryChanged.eventNames, event.eventName);

/**
 * The member account whose root email or contacts the event changes from another account (raw
 * event text), by any identity; undefined for any other event. The same call on the caller's own
 * account is root usage only when root makes it.
 */
export const memberRecoveryTarget = (event: TrailEvent): string | undefined =>
  changesAccountContacts(event) ? memberAccountNamed(event) : undefined;

/** Whether the event turns centralized root access on or off, by any identity. */
export const switchesRootAccess = (event: TrailEvent): boolean =>
  event.eventSource === ROOT_USAGE.rootAccessSwitched.eventSource &&
  includes(ROOT_USAGE.rootAccessSwitched.eventNames, event.eventName);

/**
 * Whether an event is use of the root user. Failed calls, read-only calls, centralized-root
 * (AssumeRoot) sessions and calls the console made for a person signed in as root are root
 * usage: each is a use of root credentials. So are the calls of any identity that hand over
 * control of a root user. See {@link ROOT_USAGE}.
 */
export const rootUsage = (event: TrailEvent): RootUsage => {
  if (issuesRootSession(event)) return { root: true, kind: 'root-session-issued' };
  if (memberRecoveryTarget(event) !== undefined || switchesRootAccess(event)) {
    return { root: true, kind: 'root-control-changed' };
  }
  if (event.identityType !== ROOT_USAGE.identityType) {
    return { root: false, reason: identityReason(event) };
  }
  if (event.invokedBy !== undefined && !includes(ROOT_USAGE.consoleInvokers, event.invokedBy)) {
    const service = PLAIN_HOST.test(event.invokedBy) ? ` (invokedBy ${event.invokedBy})` : '';
    return { root: false, reason: `an AWS service acted for root${service}` };
  }
  if (event.eventType === ROOT_USAGE.serviceEventType) {
    return { root: false, reason: 'AWS itself acted, not a caller (eventType AwsServiceEvent)' };
  }
  return { root: true, kind: 'root-call' };
};

/**
 * Whether the call came through the AWS Management Console: the console acted for the person
 * signed in (`invokedBy`), the call used console-session credentials, or it is a console action.
 * Every marker is written by AWS, never by the caller.
 */
export const throughConsole = (event: TrailEvent): boolean =>
  includes(ROOT_USAGE.consoleInvokers, event.invokedBy) ||
  includes(CONSOLE_MARKERS.eventTypes, event.eventType) ||
  (isObject(event.record) &&
    event.record.sessionCredentialFromConsole === CONSOLE_MARKERS.sessionCredentialFromConsole);

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
