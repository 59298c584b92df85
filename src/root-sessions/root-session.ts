import { rootSessionRequest } from '../engine/root-session.js';
import { eventClock, stringIn, type TrailEvent } from '../intake/trail-event.js';

/**
 * A root session opened by `sts:AssumeRoot`, as the monitor remembers it: who opened it, from
 * where, in which member account, under which task policy, and the access key that every call
 * of the session carries in the member account's trail (`userIdentity.accessKeyId`; IAM User
 * Guide, "Track privileged tasks in AWS CloudTrail"). Values are raw event text, escaped where
 * they are shown.
 */
export interface RootSession {
  /** `responseElements.credentials.accessKeyId` of the AssumeRoot call. */
  accessKeyId: string;
  /** The caller of AssumeRoot: a user's ARN, or a role session's. */
  openedBy: string;
  /** For a role session, the role's ARN (`sessionContext.sessionIssuer.arn`). */
  openedByRole: string | undefined;
  /** The caller's source address (`sourceIPAddress`). */
  sourceIp: string;
  /** The member account (`requestParameters.targetPrincipal`, an account id or its root ARN). */
  targetAccount: string;
  /** `requestParameters.taskPolicyArn.arn`. */
  taskPolicyArn: string;
  /** When AssumeRoot was called, epoch ms. */
  openedAt: number;
  /** When the session's credentials expire, epoch ms. */
  expiresAt: number;
  /** The AssumeRoot event's eventID, to find it in the management account's trail. */
  eventId: string;
  /** The Region whose STS endpoint issued it (AssumeRoot has no global endpoint). */
  region: string;
}

/** AssumeRoot's longest session (STS API Reference, AssumeRoot `DurationSeconds`; the default). */
export const LONGEST_SESSION_SECONDS = 900;

/**
 * Access key ids are upper-case letters and digits (IAM API Reference, `AccessKeyIdType`: 16 to
 * 128 characters). Only such a key is remembered or looked up, so that no text from a record can
 * shape a table key.
 */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

export const isAccessKeyId = (text: string | undefined): text is string =>
  text !== undefined && ACCESS_KEY_ID.test(text);

/** A member account as AssumeRoot's `TargetPrincipal` takes it: its id, or its root user's ARN. */
const accountOf = (targetPrincipal: string): string =>
  /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(targetPrincipal)?.[1] ?? targetPrincipal;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * CloudTrail writes a credential's expiry as `May 4, 2026, 9:28:11 AM` (UTC), not as ISO 8601;
 * both are read. Undefined for anything else.
 */
export const parseExpiration = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const written = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/.exec(
    text,
  );
  if (written !== null) {
    const [, month = '', day, year, hour, minute, second, half] = written;
    const monthIndex = MONTHS.indexOf(month);
    const hours = (Number(hour) % 12) + (half === 'PM' ? 12 : 0);
    if (monthIndex < 0 || Number(hour) > 12) return undefined;
    return Date.UTC(Number(year), monthIndex, Number(day), hours, Number(minute), Number(second));
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return undefined;
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
};

/**
 * When a session opened at `openedAt` expires: the expiry AWS wrote, within AssumeRoot's
 * longest session; else the duration asked for (`requestParameters.durationSeconds`); else the
 * longest session, which is also the default.
 */
const expiryOf = (event: TrailEvent, openedAt: number): number => {
  const latest = openedAt + LONGEST_SESSION_SECONDS * 1000;
  const written = parseExpiration(stringIn(event.responseElements, 'credentials', 'expiration'));
  if (written !== undefined && written > openedAt && written <= latest) return written;
  const asked = event.requestParameters?.durationSeconds;
  if (typeof asked === 'number' && asked >= 0 && asked <= LONGEST_SESSION_SECONDS) {
    return openedAt + asked * 1000;
  }
  return latest;
};

/**
 * The root session an event opened: a successful `sts:AssumeRoot` that names its member
 * account, its task policy and the session's access key. Undefined for any other event, a
 * refused call (no credentials), or a record lacking one of them.
 *
 * @param now stands in for a missing eventTime, and bounds a future one
 */
export const sessionOpenedBy = (event: TrailEvent, now: Date): RootSession | undefined => {
  const request = rootSessionRequest(event);
  if (request === undefined || event.errorCode !== undefined) return undefined;
  const { targetAccount, taskPolicyArn, sessionAccessKeyId } = request;
  if (!isAccessKeyId(sessionAccessKeyId)) return undefined;
  if (targetAccount === undefined || taskPolicyArn === undefined) return undefined;
  const openedAt = Math.min(eventClock(event, now), now.getTime());
  return {
    accessKeyId: sessionAccessKeyId,
    openedBy: event.identityArn,
    openedByRole: stringIn(event.record, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn'),
    sourceIp: event.sourceIp,
    targetAccount: accountOf(targetAccount),
    taskPolicyArn,
    openedAt,
    expiresAt: expiryOf(event, openedAt),
    eventId: event.eventId,
    region: event.region,
  };
};
