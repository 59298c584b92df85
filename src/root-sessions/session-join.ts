import { rootUsage } from '../engine/root-usage.js';
import { stringIn, type TrailEvent } from '../intake/trail-event.js';
import { isAccessKeyId, type RootSession } from './root-session.js';
import { type TaskPolicyVerdict, taskPolicyVerdict } from './task-policies.js';

/**
 * What the monitor knows of the root session a member-account root event belongs to:
 * - `seen`: the `sts:AssumeRoot` that opened it, and whether its task policy allows this call;
 * - `unseen`: the record says it is a centralized-root session (`assumedRoot`), but no
 *   AssumeRoot with its access key has been seen (`lookup: 'none-remembered'`), or the record of
 *   sessions could not be read (`lookup: 'failed'`).
 * Any other event has no join (undefined): not root, or root's own console session or key.
 */
export type RootSessionJoin =
  | { kind: 'seen'; session: RootSession; taskPolicy: TaskPolicyVerdict }
  | { kind: 'unseen'; accessKeyId: string | undefined; lookup: 'none-remembered' | 'failed' };

/**
 * Clock difference allowed between the AssumeRoot record and the session's calls: both times
 * are AWS's, but written by different services in different Regions.
 */
const SKEW_MS = 5 * 60_000;

/**
 * The access key to look a root call's session up by: the key of a record that says it was made
 * in a centralized-root session (`userIdentity.assumedRoot`, which CloudTrail writes only on such
 * sessions' records). Root's own console sessions carry temporary keys too, and are never looked
 * up: a lookup is one more call before the alert, and no AssumeRoot opened them. A session record
 * without the flag is therefore judged as root's own call: alerted, never allowlisted by session.
 */
export const sessionAccessKeyOf = (event: TrailEvent): string | undefined => {
  if (!event.assumedRoot) return undefined;
  const usage = rootUsage(event);
  if (!usage.root || usage.kind !== 'root-call') return undefined;
  const key = stringIn(event.record, 'userIdentity', 'accessKeyId');
  return isAccessKeyId(key) ? key : undefined;
};

/**
 * Whether a remembered session is the one that made this call: the same key, used in the account
 * the session was opened for, while it lasted. Anything else is no join: a key is AWS's, but a
 * session found under it that names another account or time cannot have made the call.
 */
const madeBy = (session: RootSession, event: TrailEvent, key: string): boolean => {
  if (session.accessKeyId !== key || session.targetAccount !== event.accountId) return false;
  const at = event.eventTime?.getTime();
  return (
    at === undefined || (session.openedAt - SKEW_MS <= at && at <= session.expiresAt + SKEW_MS)
  );
};

/**
 * Joins a root event with the session it belongs to.
 *
 * @param found the session remembered under the event's key (see {@link sessionAccessKeyOf}), if any
 * @param lookupFailed the record of sessions could not be read
 */
export const joinSession = (
  event: TrailEvent,
  found: RootSession | undefined,
  lookupFailed = false,
): RootSessionJoin | undefined => {
  const key = sessionAccessKeyOf(event);
  if (key !== undefined && found !== undefined && madeBy(found, event, key)) {
    return {
      kind: 'seen',
      session: found,
      taskPolicy: taskPolicyVerdict(found.taskPolicyArn, event),
    };
  }
  if (!event.assumedRoot) return undefined;
  const usage = rootUsage(event);
  if (!usage.root || usage.kind !== 'root-call') return undefined;
  return {
    kind: 'unseen',
    accessKeyId: key,
    lookup: lookupFailed ? 'failed' : 'none-remembered',
  };
};
