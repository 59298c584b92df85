import type { CountedEvent } from '../dedup/counted-event.js';
import { FALLBACK_RULE_ID } from '../engine/rule.js';
import { bySeverity, type Severity } from '../engine/severity.js';
import { matchedNoRule, type WindowDigest } from './window-digest.js';

/**
 * What a window digest says, worked out once for every medium (SNS, replay's lines). Strings
 * are still CloudTrail's, raw: whoever shows them escapes them.
 */
export interface DigestFacts {
  /** The rule whose alert opened the window: the dedup key's first part. */
  ruleId: string;
  /**
   * The principal (ARN) whose calls the window collapsed, for a window keyed by principal (a
   * change to the monitor), not by source address; raw key text.
   */
  principal: string | undefined;
  accountId: string;
  sourceIp: string;
  severity: Severity;
  /** Epoch ms of the oldest and newest event reported. */
  firstAt: number;
  lastAt: number;
  /** Events by eventName, most first (ties by name). */
  byName: readonly NameCount[];
  /** The failed calls, grouped by errorCode and eventName, most first. */
  failed: readonly FailedCount[];
  failedTotal: number;
  /** Events no catalog rule described, oldest first. */
  unmatched: readonly CountedEvent[];
  /**
   * Events that happened before the opening alert's event and arrived after it (concurrent
   * deliveries, a trail file): how many, and the earliest one's time (epoch ms).
   */
  beforeOpener: { count: number; earliestAt: number };
  /**
   * Events read from CloudTrail log files because real-time delivery missed them: how many, and
   * the longest any waited from its time to being counted (ms).
   */
  fromTrailFiles: { count: number; longestWaitMs: number };
}

export interface NameCount {
  eventName: string;
  count: number;
}

export interface FailedCount {
  errorCode: string;
  eventName: string;
  count: number;
}

/** Digests are MEDIUM, unless a counted event was itself more severe. */
const DIGEST_FLOOR: Severity = 'MEDIUM';

/** The worst severity among the digest's events, never below MEDIUM. */
export const digestSeverity = (digest: WindowDigest): Severity =>
  [DIGEST_FLOOR, ...digest.events.map((event) => event.severity)].sort(bySeverity)[0] ??
  DIGEST_FLOOR;

const byCountThenName = (
  a: { count: number; key: string },
  b: { count: number; key: string },
): number => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const counted = <T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, [T, number]> => {
  const counts = new Map<string, [T, number]>();
  for (const item of items) {
    const key = keyOf(item);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, [item, 1]);
    else entry[1]++;
  }
  return counts;
};

export const digestFacts = (digest: WindowDigest): DigestFacts => {
  const { events } = digest;
  const [first] = events;
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const { at } of events) {
    if (!Number.isFinite(at)) continue;
    firstAt = Math.min(firstAt, at);
    lastAt = Math.max(lastAt, at);
  }
  const byName = [...counted(events, (event) => event.eventName)]
    .map(([key, [, count]]) => ({ key, count }))
    .sort(byCountThenName)
    .map(({ key, count }) => ({ eventName: key, count }));
  const failedEvents = events.filter((event) => event.errorCode !== undefined);
  const failed = [
    ...counted(failedEvents, (event) => JSON.stringify([event.errorCode, event.eventName])),
  ]
    .map(([key, [event, count]]) => ({ key, count, event }))
    .sort(byCountThenName)
    .map(({ event, count }) => ({
      errorCode: event.errorCode ?? '',
      eventName: event.eventName,
      count,
    }));
  const separator = digest.key.indexOf('#');
  return {
    ruleId: separator < 0 ? digest.key : digest.key.slice(0, separator),
    principal: principalOf(digest.key),
    accountId: first?.accountId ?? '',
    sourceIp: first?.sourceIp ?? '',
    severity: digestSeverity(digest),
    firstAt,
    lastAt,
    byName,
    failed,
    failedTotal: failedEvents.length,
    unmatched: events.filter((event) => matchedNoRule(event, FALLBACK_RULE_ID)),
    beforeOpener: beforeOpenerOf(digest),
    fromTrailFiles: fromTrailFilesOf(events),
  };
};

/** The key's last part when it is an ARN: `rule#account#arn:aws:iam::...`. */
const principalOf = (key: string): string | undefined => {
  const last = key.split('#').slice(2).join('#');
  return last.startsWith('arn:') ? last : undefined;
};

const beforeOpenerOf = ({ events, openedAt }: WindowDigest): DigestFacts['beforeOpener'] => {
  const before = events.filter((event) => event.at < openedAt);
  return {
    count: before.length,
    earliestAt: Math.min(...before.map((event) => event.at)),
  };
};

const fromTrailFilesOf = (events: readonly CountedEvent[]): DigestFacts['fromTrailFiles'] => {
  const read = events.filter((event) => event.arrival === 'trail-file');
  return {
    count: read.length,
    longestWaitMs: Math.max(0, ...read.map((event) => event.countedAt - event.at)),
  };
};
