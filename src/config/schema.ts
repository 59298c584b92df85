// valibot, not zod: its schemas are plain objects, so importing it and building this schema
// cost about 1.5 ms of CPU where zod/mini took about twelve. The configuration is validated on
// every cold start, which sits on the paging path (bench/cold-start.ts measures both).
import * as v from 'valibot';
import { LONGEST_DEDUP_MINUTES } from '../dedup/claim-for.js';
import { SEVERITIES } from '../engine/severity.js';
import { BROADEST_PREFIX, isTooBroad, parseIpRange } from './ip-range.js';
import { DAYS, isTimeZone, minutesOf } from './weekly-window.js';

/** A JSON object: valibot takes an array for an object, JSON does not. */
const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with exactly these fields, refusing any other. */
const strict = <const TEntries extends v.ObjectEntries>(entries: TEntries) =>
  v.pipe(
    v.custom<Record<string, unknown>>(isJsonObject, 'must be an object'),
    v.strictObject(entries),
  );

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const list = <const TItem extends v.GenericSchema>(item: TItem) =>
  v.pipe(v.array(item), v.minLength(1, 'must list at least one value'));

const clockTime = v.pipe(
  v.string(),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, 00:00 to 23:59'),
);

/** RFC 3339: seconds required, fractions optional, `Z` or a `+hh:mm` offset. */
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An instant as written above, on a day the calendar has (Date.parse rolls 02-30 over to March). */
const isInstant = (text: string): boolean => {
  if (!INSTANT.test(text)) return false;
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const instant = v.pipe(
  v.string(),
  v.check(isInstant, 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-31T23:59:59Z'),
);

const windowSchema = v.pipe(
  strict({
    days: list(v.picklist(DAYS, `must be one of ${DAYS.join(', ')}`)),
    start: clockTime,
    end: clockTime,
    timezone: v.pipe(
      v.string(),
      v.check(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
    ),
  }),
  v.forward(
    v.check(
      (window) => minutesOf(window.start) !== minutesOf(window.end),
      'start and end are equal; a window must have a length',
    ),
    ['end'],
  ),
);

const sourceIp = v.pipe(
  v.string(),
  v.check(
    (text) => parseIpRange(text) !== undefined,
    'must be an IPv4 or IPv6 address or CIDR, e.g. 203.0.113.0/24 or 2001:db8::/32',
  ),
  v.check((text) => {
    const range = parseIpRange(text);
    return range === undefined || !isTooBroad(range);
  }, `is too broad: a range wider than /${BROADEST_PREFIX.ipv4} (IPv4) or /${BROADEST_PREFIX.ipv6} (IPv6) allows root from most of the internet; name the networks root is used from`),
);

/** Root's own ARN: every root call carries it, so naming it would allow all of an account's. */
const ROOT_ARN = /^arn:aws[a-z-]*:iam::\d{12}:root$/;

/** The caller of sts:AssumeRoot: an IAM user or role, or a role session. */
const PRINCIPAL_ARN =
  /^arn:aws[a-z-]*:(iam::\d{12}:(user|role)|sts::\d{12}:assumed-role)\/[\w+=,.@/-]+$/;

const principalArn = v.pipe(
  v.string(),
  v.check(
    (text) => !ROOT_ARN.test(text),
    "is root's own ARN, which every root call of the account carries; name the user or role that calls sts:AssumeRoot",
  ),
  v.check(
    (text) => ROOT_ARN.test(text) || PRINCIPAL_ARN.test(text),
    'must be the ARN of an IAM user or role, or of a role session, e.g. arn:aws:iam::111122223333:role/RootTaskOperator',
  ),
);

const taskPolicyArn = v.pipe(
  v.string(),
  v.regex(
    /^arn:aws[a-z-]*:iam::aws:policy\/root-task\/[\w+=,.@-]+$/,
    'must be the ARN of an AWS root-task policy, e.g. arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
  ),
);

/** Whether an entry names the caller or the task policy of the sts:AssumeRoot call itself. */
const namesTheCall = (entry: { principalArns?: unknown; taskPolicyArns?: unknown }): boolean =>
  entry.principalArns !== undefined || entry.taskPolicyArns !== undefined;

const mixedSessionFields = (field: string): string =>
  `cannot be combined with principalArns or taskPolicyArns: those match the sts:AssumeRoot call, ${field} the calls its root session makes in the member account, and no event is both; write one entry for each`;

const entrySchema = v.pipe(
  strict({
    id: nonEmpty,
    reason: nonEmpty,
    eventNames: v.optional(list(nonEmpty)),
    eventSources: v.optional(list(nonEmpty)),
    sourceIps: v.optional(list(sourceIp)),
    accounts: v.optional(
      list(v.pipe(v.string(), v.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))),
    ),
    regions: v.optional(list(nonEmpty)),
    assumedRoot: v.optional(v.boolean()),
    principalArns: v.optional(list(principalArn)),
    taskPolicyArns: v.optional(list(taskPolicyArn)),
    sessionPrincipalArns: v.optional(list(principalArn)),
    sessionTaskPolicyArns: v.optional(list(taskPolicyArn)),
    windows: v.optional(list(windowSchema)),
    notBefore: v.optional(instant),
    expires: v.optional(instant),
  }),
  v.check(
    (entry) =>
      entry.eventNames !== undefined ||
      entry.eventSources !== undefined ||
      entry.sourceIps !== undefined ||
      entry.principalArns !== undefined ||
      entry.taskPolicyArns !== undefined ||
      entry.sessionPrincipalArns !== undefined ||
      entry.sessionTaskPolicyArns !== undefined,
    'must name at least one of eventNames, eventSources, sourceIps, principalArns, taskPolicyArns, sessionPrincipalArns, sessionTaskPolicyArns: an entry without them would allow all root activity',
  ),
  // The sts:AssumeRoot call is made by the principal, not in a session; the session's calls are
  // root's, not the principal's: no event matches both kinds of field.
  v.forward(
    v.check(
      (entry) => entry.sessionPrincipalArns === undefined || !namesTheCall(entry),
      mixedSessionFields('sessionPrincipalArns'),
    ),
    ['sessionPrincipalArns'],
  ),
  v.forward(
    v.check(
      (entry) => entry.sessionTaskPolicyArns === undefined || !namesTheCall(entry),
      mixedSessionFields('sessionTaskPolicyArns'),
    ),
    ['sessionTaskPolicyArns'],
  ),
  v.forward(
    v.check(
      (entry) =>
        entry.notBefore === undefined ||
        entry.expires === undefined ||
        // Written as a negation so an unparseable time, already reported, adds no second problem.
        !(Date.parse(entry.notBefore) >= Date.parse(entry.expires)),
      'must come after notBefore',
    ),
    ['expires'],
  ),
);

export const dedupMinutesSchema = v.pipe(
  // A number that is not finite (NaN from a flag) is no whole number of minutes either.
  v.number('must be a whole number of minutes'),
  v.integer('must be a whole number of minutes'),
  v.minValue(0, 'must be 0 (no collapsing) or more'),
  v.maxValue(LONGEST_DEDUP_MINUTES, `must be at most ${LONGEST_DEDUP_MINUTES} (one day)`),
);

const ruleOverrideSchema = strict({
  enabled: v.optional(v.boolean()),
  severity: v.optional(v.picklist(SEVERITIES, `must be one of ${SEVERITIES.join(', ')}`)),
  dedupMinutes: v.optional(dedupMinutesSchema),
});

/** The configuration document, as a person writes it. Only `version` is required. */
export const configDocumentSchema = strict({
  version: v.literal(1, 'must be 1'),
  dedupMinutes: v.optional(dedupMinutesSchema),
  rules: v.optional(
    v.pipe(
      v.custom<Record<string, unknown>>(isJsonObject, 'must be an object'),
      v.record(v.string(), ruleOverrideSchema),
    ),
  ),
  allow: v.optional(v.array(entrySchema)),
});

export type ConfigDocumentShape = v.InferOutput<typeof configDocumentSchema>;
export type RuleOverride = v.InferOutput<typeof ruleOverrideSchema>;
export type SchemaIssue = v.InferIssue<typeof configDocumentSchema>;
