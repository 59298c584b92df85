import { createHash, randomUUID } from 'node:crypto';
import { serialize } from './serialize.js';

/** What a field reads as when the event does not carry it. */
export const UNKNOWN = 'Unknown';

/** A CloudTrail record as delivered: every field optional, every value attacker-influenced. */
export type CloudTrailRecord = Record<string, unknown>;

/**
 * Where a record came from when it arrived inside an EventBridge envelope. The envelope's
 * account and Region are AWS's, so they back up a record that lacks its own.
 */
export interface Envelope {
  account?: string;
  region?: string;
}

/**
 * A typed, defaulted view of one CloudTrail record. Reads never throw: a missing or
 * mistyped field reads as {@link UNKNOWN} (strings) or `undefined`.
 */
export interface TrailEvent {
  readonly record: CloudTrailRecord;
  /** CloudTrail's eventID, or a digest of the record when it has none (hand-typed tests). */
  readonly eventId: string;
  readonly eventTime: Date | undefined;
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventType: string;
  readonly accountId: string;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly identityType: string;
  readonly identityArn: string;
  readonly invokedBy: string | undefined;
  /** True for a centralized-root session opened by sts:AssumeRoot. */
  readonly assumedRoot: boolean;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly readOnly: boolean | undefined;
  readonly requestParameters: Record<string, unknown> | undefined;
  readonly responseElements: Record<string, unknown> | undefined;
  readonly additionalEventData: Record<string, unknown> | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objectAt = (value: unknown, key: string): Record<string, unknown> | undefined => {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : undefined;
};

/** The non-empty string at `path` inside `value`, or undefined; any field may be missing. */
export const stringIn = (value: unknown, ...path: string[]): string | undefined => {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
};

/**
 * Years a CloudTrail event can plausibly carry. JavaScript dates reach the year 275760, where
 * adding the hour of a lookup window overflows and any date arithmetic throws; an event outside
 * these years is treated as having no time, like one with an unreadable time.
 */
const EARLIEST_EVENT = Date.UTC(1970, 0, 1);
const LATEST_EVENT = Date.UTC(10000, 0, 1);

const parseTime = (value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const time = new Date(value);
  const ms = time.getTime();
  return ms >= EARLIEST_EVENT && ms < LATEST_EVENT ? time : undefined;
};

const readOnlyOf = (value: unknown): boolean | undefined => {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
};

/**
 * A stable id for a record without one, so a redelivered hand-typed event is still recognised.
 * A record too deep to serialize gets a fresh id: it may then alert twice, never not at all.
 */
const digestOf = (record: CloudTrailRecord): string => {
  const json = serialize(record) ?? randomUUID();
  return `sha256-${createHash('sha256').update(json).digest('hex').slice(0, 32)}`;
};

export { isObject };

export const toTrailEvent = (record: CloudTrailRecord, envelope: Envelope = {}): TrailEvent => {
  const identity = objectAt(record, 'userIdentity');
  // Centralized-root sessions: the facts collected name `userIdentity.assumedRoot`, AWS's own
  // example has it under `sessionContext`; either is read.
  const assumedRoot = identity?.assumedRoot ?? objectAt(identity, 'sessionContext')?.assumedRoot;
  return {
    record,
    eventId: stringIn(record, 'eventID') ?? digestOf(record),
    eventTime: parseTime(stringIn(record, 'eventTime')),
    eventName: stringIn(record, 'eventName') ?? UNKNOWN,
    eventSource: stringIn(record, 'eventSource') ?? UNKNOWN,
    eventType: stringIn(record, 'eventType') ?? UNKNOWN,
    accountId:
      stringIn(record, 'recipientAccountId') ??
      stringIn(identity, 'accountId') ??
      envelope.account ??
      UNKNOWN,
    region: stringIn(record, 'awsRegion') ?? envelope.region ?? UNKNOWN,
    sourceIp: stringIn(record, 'sourceIPAddress') ?? UNKNOWN,
    userAgent: stringIn(record, 'userAgent') ?? UNKNOWN,
    identityType: stringIn(identity, 'type') ?? UNKNOWN,
    identityArn: stringIn(identity, 'arn') ?? UNKNOWN,
    invokedBy: stringIn(identity, 'invokedBy'),
    assumedRoot: assumedRoot === true || assumedRoot === 'true',
    errorCode: stringIn(record, 'errorCode'),
    errorMessage: stringIn(record, 'errorMessage'),
    readOnly: readOnlyOf(isObject(record) ? record.readOnly : undefined),
    requestParameters: objectAt(record, 'requestParameters'),
    responseElements: objectAt(record, 'responseElements'),
    additionalEventData: objectAt(record, 'additionalEventData'),
  };
};

/** The time an event happened: its eventTime, or the clock for a hand-typed event without one. */
export const eventClock = (event: TrailEvent, now: Date): number =>
  (event.eventTime ?? now).getTime();
