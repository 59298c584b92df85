import { isAccountId } from '../alert/text/shell-safe.js';
import type { Alert } from '../engine/decision.js';
import { rootUsage } from '../engine/root-usage.js';
import { SEVERITIES, type Severity } from '../engine/severity.js';
import { isConsoleLogin, signInFailed } from '../engine/sign-in.js';
import type { FirstSeen, Sighting } from './first-seen.js';
import { rememberedSource } from './remembered-source.js';

/**
 * The sighting a root alert makes, or undefined when its source is not one to remember: a call
 * by another identity (a root session issued, a change of who controls root), a source that is
 * no address (AWS Internal, a service name), an account that is no account id, or a failed
 * sign-in, which is a guess at root's password rather than a use of root (remembered, it would
 * make the guesser's later successful sign-in look familiar).
 *
 * @param at when the event happened, never later than now (its claim's time)
 */
export const sightingOf = (alert: Alert, at: number, now: number): Sighting | undefined => {
  const { event } = alert;
  const usage = rootUsage(event);
  if (!usage.root || usage.kind !== 'root-call') return undefined;
  if (isConsoleLogin(event) && signInFailed(event)) return undefined;
  const source = rememberedSource(event.sourceIp);
  if (source === undefined || !isAccountId(event.accountId)) return undefined;
  return { accountId: event.accountId, source, eventId: event.eventId, at, now };
};

/** One step more severe; the most severe stays as it is. */
export const oneSeverityUp = (severity: Severity): Severity =>
  SEVERITIES[Math.max(0, SEVERITIES.indexOf(severity) - 1)] ?? severity;

/**
 * The alert as its mark makes it: a first-seen source raises it one severity (HIGH to CRITICAL);
 * learning and replay's marks leave it as it is. The rules' own severities (`matches`) stay, so
 * the alert can say what it was raised from.
 */
export const markedAlert = (alert: Alert, firstSeen: FirstSeen | undefined): Alert =>
  firstSeen?.kind === 'first-seen' ? { ...alert, severity: oneSeverityUp(alert.severity) } : alert;
