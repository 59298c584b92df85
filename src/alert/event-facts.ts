import type { Alert } from '../engine/decision.js';
import { rootSessionRequest } from '../engine/root-session.js';
import {
  issuesRootSession,
  memberRecoveryTarget,
  ROOT_USAGE,
  switchesRootAccess,
  throughConsole,
} from '../engine/root-usage.js';
import { whatChanged } from '../guard/what-changed.js';
import { stringIn, type TrailEvent, UNKNOWN } from '../intake/trail-event.js';
import { utcText } from './text/times.js';

/**
 * What an on-call reader asks about an event beyond its headline fields. Values are raw event
 * text: whoever shows them escapes them for the medium.
 */

/** `2026-03-01T03:14:15Z (UTC)`; the time is re-printed from the parsed date, never copied. */
export const whenOf = (event: TrailEvent): string =>
  event.eventTime === undefined
    ? 'Unknown (the event has no valid eventTime)'
    : `${utcText(event.eventTime)} (UTC)`;

/** Raw outcome text: the error code and message of a failed call, or the sign-in result. */
export const outcomeOf = (event: TrailEvent): { failed: boolean; text: string } => {
  if (event.errorCode !== undefined) {
    const message = event.errorMessage === undefined ? '' : ` - ${event.errorMessage}`;
    return { failed: true, text: `failed: ${event.errorCode}${message}` };
  }
  const signIn = stringIn(event.responseElements, 'ConsoleLogin');
  if (signIn !== undefined) return { failed: !/^success$/i.test(signIn), text: signIn };
  return { failed: false, text: 'succeeded' };
};

/** Raw MFA evidence: the sign-in's MFAUsed, or the session's mfaAuthenticated attribute. */
export const mfaOf = (event: TrailEvent): string => {
  const used = stringIn(event.additionalEventData, 'MFAUsed');
  if (used !== undefined) return used;
  const session = stringIn(
    event.record,
    'userIdentity',
    'sessionContext',
    'attributes',
    'mfaAuthenticated',
  );
  if (session !== undefined) return `session MFA-authenticated: ${session}`;
  return 'not recorded in the event';
};

/**
 * Whether the alert names its caller rather than "the root user": a root session issued, or a
 * call of another identity that changes who controls a root user.
 */
export const callerIsNamed = (event: TrailEvent): boolean =>
  issuesRootSession(event) || event.identityType !== ROOT_USAGE.identityType;

/**
 * Our own words for how root acted.
 *
 * @param inRootSession the pipeline joined the event with the sts:AssumeRoot that opened its
 *   session, which a record without `assumedRoot` does not say itself
 */
export const sessionOf = (event: TrailEvent, inRootSession = false): string => {
  if (issuesRootSession(event)) {
    return 'not root itself: this caller asked sts:AssumeRoot for a root session in the target account below (centralized root access, at most 15 minutes)';
  }
  if (event.identityType !== ROOT_USAGE.identityType) {
    if (memberRecoveryTarget(event) !== undefined) {
      return "not root itself: this caller changed the root email or contacts of the target account below, a member account, from the organization's management or delegated administrator account";
    }
    if (switchesRootAccess(event)) {
      return 'not root itself: this caller switched centralized root access, which governs the root user of every member account of the organization';
    }
    return 'not root itself: another identity, the Identity ARN below';
  }
  if (event.assumedRoot || inRootSession) {
    return 'centralized root access: an sts:AssumeRoot session opened from the organization management or delegated administrator account';
  }
  if (throughConsole(event)) {
    return "the root user's own credentials, through the AWS Management Console: a person signed in as root";
  }
  return "the root user's own credentials (password sign-in, a console session or a root access key)";
};

/** Raw access key id of the call, when the event has one (console sign-in has none). */
export const accessKeyOf = (event: TrailEvent): string | undefined =>
  stringIn(event.record, 'userIdentity', 'accessKeyId');

/** The rules that fired an alert though an allowlist entry matched: those it cannot silence. */
export const unsilenceableRules = (alert: Alert): string =>
  alert.matches
    .filter((match) => !match.rule.allowlistable)
    .map((match) => match.rule.id)
    .join(', ') || 'a matching rule';

/**
 * What a call did to another account or to the monitor, as labelled facts in the order every
 * medium lists them: the root session it asked for (sts:AssumeRoot), the member account whose
 * root email or contacts it changed, and what it changed.
 */
export const callFacts = (event: TrailEvent): [label: string, value: string][] => {
  const facts: [label: string, value: string][] = [];
  const request = rootSessionRequest(event);
  if (request !== undefined) {
    facts.push(
      ['Target account', request.targetAccount ?? UNKNOWN],
      ['Task policy', request.taskPolicyArn ?? UNKNOWN],
      ['Session key', request.sessionAccessKeyId ?? 'none issued'],
    );
  }
  const member = memberRecoveryTarget(event);
  if (member !== undefined) facts.push(['Target account', member]);
  const changed = whatChanged(event);
  if (changed !== undefined) facts.push(['What changed', changed]);
  return facts;
};
