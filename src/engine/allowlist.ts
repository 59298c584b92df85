import type { AllowEntry } from '../config/config.js';
import { type IpRange, inRange, parseIpRange, parseSourceIp } from '../config/ip-range.js';
import { inWindow } from '../config/weekly-window.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { RootSessionJoin } from '../root-sessions/session-join.js';
import { callerArnsOf, rootSessionRequest } from './root-session.js';

/** Ranges parsed once per entry, not once per event. */
const rangesByEntry = new WeakMap<AllowEntry, readonly IpRange[]>();

const rangesOf = (entry: AllowEntry): readonly IpRange[] => {
  const ranges = rangesByEntry.get(entry);
  if (ranges === undefined) {
    // Validation has already refused unparseable text; the filter only satisfies the types.
    const parsed = (entry.sourceIps ?? []).map(parseIpRange);
    const valid = parsed.filter((range): range is IpRange => range !== undefined);
    rangesByEntry.set(entry, valid);
    return valid;
  }
  return ranges;
};

const sourceIpMatches = (entry: AllowEntry, sourceIp: string): boolean => {
  const address = parseSourceIp(sourceIp);
  return address !== undefined && rangesOf(entry).some((range) => inRange(address, range));
};

const anyOf = (values: readonly string[] | undefined, value: string): boolean =>
  values === undefined || values.includes(value);

const callerMatches = (entry: AllowEntry, event: TrailEvent): boolean =>
  entry.principalArns === undefined ||
  callerArnsOf(event).some((arn) => entry.principalArns?.includes(arn));

/** Only a root session's own request names a task policy; no other event can match one. */
const taskPolicyMatches = (entry: AllowEntry, event: TrailEvent): boolean => {
  if (entry.taskPolicyArns === undefined) return true;
  const policy = rootSessionRequest(event)?.taskPolicyArn;
  return policy !== undefined && entry.taskPolicyArns.includes(policy);
};

/**
 * Only a call of a root session whose `sts:AssumeRoot` the monitor saw names who opened it and
 * its task policy; a session not seen matches no entry that names either.
 */
const sessionMatches = (entry: AllowEntry, session: RootSessionJoin | undefined): boolean => {
  if (entry.sessionPrincipalArns === undefined && entry.sessionTaskPolicyArns === undefined) {
    return true;
  }
  if (session?.kind !== 'seen') return false;
  const { openedBy, openedByRole, taskPolicyArn } = session.session;
  const openers = [openedBy, ...(openedByRole === undefined ? [] : [openedByRole])];
  return (
    (entry.sessionPrincipalArns === undefined ||
      openers.some((arn) => entry.sessionPrincipalArns?.includes(arn))) &&
    (entry.sessionTaskPolicyArns === undefined ||
      entry.sessionTaskPolicyArns.includes(taskPolicyArn))
  );
};

/**
 * Whether an entry covers an event: every field the entry has must match. Time conditions
 * use the event's own time, so a replay decides as the Lambda did.
 *
 * @param at the event's eventTime, or the clock when the event has none
 * @param session the root session the event belongs to, as the pipeline joined it
 */
export const entryMatches = (
  entry: AllowEntry,
  event: TrailEvent,
  at: Date,
  session?: RootSessionJoin,
): boolean =>
  anyOf(entry.eventNames, event.eventName) &&
  anyOf(entry.eventSources, event.eventSource) &&
  anyOf(entry.accounts, event.accountId) &&
  anyOf(entry.regions, event.region) &&
  (entry.assumedRoot === undefined || entry.assumedRoot === event.assumedRoot) &&
  callerMatches(entry, event) &&
  taskPolicyMatches(entry, event) &&
  sessionMatches(entry, session) &&
  (entry.sourceIps === undefined || sourceIpMatches(entry, event.sourceIp)) &&
  (entry.notBefore === undefined || Date.parse(entry.notBefore) <= at.getTime()) &&
  (entry.expires === undefined || at.getTime() < Date.parse(entry.expires)) &&
  (entry.windows === undefined || entry.windows.some((window) => inWindow(at, window)));

/** The first entry, in document order, that covers the event. */
export const findEntry = (
  entries: readonly AllowEntry[],
  event: TrailEvent,
  at: Date,
  session?: RootSessionJoin,
): AllowEntry | undefined => entries.find((entry) => entryMatches(entry, event, at, session));
