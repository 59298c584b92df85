import { utcText } from '../alert/text/times.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { RootSessionJoin } from './session-join.js';
import { taskPolicyNameOf } from './task-policies.js';

/**
 * How an alert, a log line and replay speak of the root session an event belongs to. Every value
 * from a record (the opener's ARN, its address, the policy, the key) passes through `text`, the
 * escaping of the medium; the rest is our own words.
 */
export type Escape = (value: string) => string;

/** What a log line, the alert's bus event and replay's JSON say of the session: flat keys. */
export interface SessionFields {
  /** `seen`: its sts:AssumeRoot is known; `unseen`: none was seen; `unreadable`: the lookup failed. */
  rootSession: 'seen' | 'unseen' | 'unreadable';
  sessionAccessKeyId?: string;
  sessionOpenedBy?: string;
  sessionOpenedByRole?: string;
  sessionSourceIp?: string;
  sessionTaskPolicy?: string;
  sessionOpenedAt?: string;
  sessionExpiresAt?: string;
  /** The sts:AssumeRoot event's id and Region, to find it in the management account's trail. */
  sessionAssumeRootEventId?: string;
  sessionAssumeRootRegion?: string;
  /** Whether the task policy allows the call: `within`, `outside`, `unknown-policy`. */
  taskPolicyCheck?: string;
}

/** The session's fields, each value escaped by `text`; none for an event of no session. */
export const sessionLogFields = (
  join: RootSessionJoin | undefined,
  text: Escape,
): SessionFields | Record<string, never> => {
  if (join === undefined) return {};
  if (join.kind === 'unseen') {
    return {
      rootSession: join.lookup === 'failed' ? 'unreadable' : 'unseen',
      ...(join.accessKeyId === undefined ? {} : { sessionAccessKeyId: text(join.accessKeyId) }),
    };
  }
  const { session } = join;
  return {
    rootSession: 'seen',
    sessionAccessKeyId: text(session.accessKeyId),
    sessionOpenedBy: text(session.openedBy),
    ...(session.openedByRole === undefined
      ? {}
      : { sessionOpenedByRole: text(session.openedByRole) }),
    sessionSourceIp: text(session.sourceIp),
    sessionTaskPolicy: text(session.taskPolicyArn),
    sessionOpenedAt: new Date(session.openedAt).toISOString(),
    sessionExpiresAt: new Date(session.expiresAt).toISOString(),
    sessionAssumeRootEventId: text(session.eventId),
    sessionAssumeRootRegion: text(session.region),
    taskPolicyCheck: join.taskPolicy,
  };
};

/** `S3UnlockBucketPolicy`, or the whole ARN when it is not a root-task policy's. */
const policyName = (arn: string): string => taskPolicyNameOf(arn) ?? arn;

/**
 * One line for a person: who opened the session, from where, with which task policy, and when;
 * or that its sts:AssumeRoot was not seen, and what that may mean.
 */
export const sessionSummary = (join: RootSessionJoin, text: Escape): string => {
  if (join.kind === 'unseen') {
    if (join.lookup === 'failed') {
      return 'a root session opened by sts:AssumeRoot, but root-monitor could not read its record of sessions, so it cannot say who opened this one';
    }
    return `a root session opened by sts:AssumeRoot, but no AssumeRoot for its access key was seen: the management (or delegated administrator) account's events may not reach root-monitor (root-monitor doctor checks the forwarders), or the AssumeRoot is still on its way`;
  }
  const { session } = join;
  const role =
    session.openedByRole === undefined || session.openedByRole === session.openedBy
      ? ''
      : ` (role ${text(session.openedByRole)})`;
  return `opened by ${text(session.openedBy)}${role} from ${text(session.sourceIp)} with task policy ${text(policyName(session.taskPolicyArn))} at ${utcText(session.openedAt)} (UTC), expiring ${utcText(session.expiresAt)}; sts:AssumeRoot event ${text(session.eventId)} in ${text(session.region)}`;
};

/** Whether the task policy allows the call, in words; undefined for a session not seen. */
export const taskPolicyCheckText = (
  join: RootSessionJoin,
  event: TrailEvent,
  text: Escape,
): string | undefined => {
  if (join.kind !== 'seen') return undefined;
  const policy = text(policyName(join.session.taskPolicyArn));
  const call = `${text(event.eventSource)} ${text(event.eventName)}`;
  switch (join.taskPolicy) {
    case 'within':
      return `within the task policy ${policy}`;
    case 'outside':
      return `OUTSIDE the task policy ${policy}: it does not allow ${call}${event.errorCode === undefined ? '' : ' (AWS refused it; the attempt still counts)'}`;
    case 'unknown-policy':
      return `the task policy ${policy} is not one root-monitor knows, so it cannot tell whether ${call} is allowed`;
  }
};

/** A few words for replay's note column and one-line formats. */
export const sessionNote = (join: RootSessionJoin, text: Escape): string => {
  if (join.kind === 'unseen') {
    return join.lookup === 'failed'
      ? 'root session unreadable'
      : 'root session, no AssumeRoot seen';
  }
  const { session } = join;
  const check =
    join.taskPolicy === 'outside'
      ? ', outside its task policy'
      : join.taskPolicy === 'unknown-policy'
        ? ', task policy unknown'
        : '';
  return `session of ${text(session.openedBy)} (${text(policyName(session.taskPolicyArn))})${check}`;
};
