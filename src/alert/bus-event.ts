import { digestSubjectOf } from '../digests/digest-message.js';
import { digestRecordOf } from '../digests/digest-record.js';
import type { WindowDigest } from '../digests/window-digest.js';
import { alertFields, LOG_FIELD_MAX_CHARS } from './alert-fields.js';
import type { AlertNotice } from './alert-notice.js';
import { subjectFor } from './render/subject.js';
import { escapeText } from './text/escape.js';

/**
 * The `source` of every event the monitor puts on the event bus: the name it goes by in its
 * logs and in the SNS `service` attribute. PutEvents refuses sources that start with `aws.`,
 * and the root-usage rule admits only those, so the monitor's own events never come back to it.
 */
export const EVENT_SOURCE = 'root-monitor';

/**
 * One detail-type per kind, rather than one with a field to tell them apart: a rule that pages
 * on alerts matches on the detail-type alone and is not paged again by the digest that follows,
 * and EventBridge's schema discovery infers one schema per detail-type, which two shapes under
 * one name would muddle.
 */
export const ALERT_DETAIL_TYPE = 'Root Monitor Alert';
export const DIGEST_DETAIL_TYPE = 'Root Monitor Digest';

/**
 * A dedup key holds the event's source address. Bounded so that, with its truncation marker, it
 * stays within the 255 characters PagerDuty takes as a `dedup_key`; an honest key is far shorter.
 */
const DEDUP_KEY_MAX_CHARS = 200;

/** Events that matched no rule, and event names, listed in a digest's detail at most. */
const DIGEST_LIST_MAX = 20;

/** An event for the bus, its source being {@link EVENT_SOURCE}. */
export interface BusEvent {
  detailType: typeof ALERT_DETAIL_TYPE | typeof DIGEST_DETAIL_TYPE;
  /** JSON: every CloudTrail text in it escaped and bounded as in the log line. */
  detail: string;
}

const text = (value: string): string => escapeText(value, LOG_FIELD_MAX_CHARS);

/** Every string of a JSON value, object keys included, escaped and bounded as in the log line. */
const escapedStrings = (value: unknown): unknown => {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map(escapedStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [text(key), escapedStrings(item)]),
    );
  }
  return value;
};

/**
 * An alert as the `ROOT_ACCOUNT_USAGE` log line has it (`alertFields`), led by the email's
 * subject as `summary`: printable ASCII of at most 99 characters made of our own words and
 * well-formed values only, safe as a pager's title or a chat message's text.
 */
export const alertEventFor = (notice: AlertNotice): BusEvent => ({
  detailType: ALERT_DETAIL_TYPE,
  detail: JSON.stringify({
    summary: subjectFor(notice),
    ...alertFields(notice),
    dedupKey: escapeText(notice.alert.dedupKey, DEDUP_KEY_MAX_CHARS),
  }),
});

/**
 * A window digest as replay's JSON line has it (`digestRecordOf`), led by the email's subject as
 * `summary`, with the event that opened the window; its lists are cut to their first entries
 * (the most frequent event names, the oldest events), saying how many more there were.
 */
export const digestEventFor = (digest: WindowDigest): BusEvent => {
  const { dedupKey, eventNames, unmatched, ...record } = digestRecordOf(digest);
  const names = Object.entries(eventNames);
  const listed = escapedStrings({
    ...record,
    openerEventId: digest.openerId,
    eventNames: Object.fromEntries(names.slice(0, DIGEST_LIST_MAX)),
    ...(names.length > DIGEST_LIST_MAX
      ? { eventNamesNotShown: names.length - DIGEST_LIST_MAX }
      : {}),
    unmatched: unmatched.slice(0, DIGEST_LIST_MAX),
    ...(unmatched.length > DIGEST_LIST_MAX
      ? { unmatchedNotShown: unmatched.length - DIGEST_LIST_MAX }
      : {}),
  }) as Record<string, unknown>;
  return {
    detailType: DIGEST_DETAIL_TYPE,
    detail: JSON.stringify({
      summary: digestSubjectOf(digest),
      dedupKey: escapeText(dedupKey, DEDUP_KEY_MAX_CHARS),
      ...listed,
    }),
  };
};
