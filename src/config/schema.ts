// zod/mini, not zod: the same validator without the method-chaining API, a fraction of the
// size. The Lambda validates its configuration on every cold start, which sits on the paging path.
import * as z from 'zod/mini';
import { SEVERITIES } from '../engine/severity.js';
import { BROADEST_PREFIX, isTooBroad, parseIpRange } from './ip-range.js';
import { DAYS, isTimeZone, minutesOf } from './weekly-window.js';

const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
const list = <T extends z.ZodMiniType>(item: T) =>
  z.array(item).check(z.minLength(1, 'must list at least one value'));

const clockTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, 00:00 to 23:59'));

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-31T23:59:59Z',
});

const windowSchema = z
  .strictObject({
    days: list(z.enum(DAYS, { message: `must be one of ${DAYS.join(', ')}` })),
    start: clockTime,
    end: clockTime,
    timezone: z
      .string()
      .check(z.refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin')),
  })
  .check(
    z.refine((window) => minutesOf(window.start) !== minutesOf(window.end), {
      message: 'start and end are equal; a window must have a length',
      path: ['end'],
    }),
  );

/** Root's own ARN: every root call carries it, so naming it would allow all of an account's. */
const ROOT_ARN = /^arn:aws[a-z-]*:iam::\d{12}:root$/;

const principalArn = z.string().check(
  z.refine((text) => !ROOT_ARN.test(text), {
    message:
      "is root's own ARN, which every root call of the account carries; name the user or role that calls sts:AssumeRoot",
  }),
  z.refine(
    (text) =>
      ROOT_ARN.test(text) ||
      /^arn:aws[a-z-]*:(iam::\d{12}:(user|role)|sts::\d{12}:assumed-role)\/[\w+=,.@/-]+$/.test(
        text,
      ),
    {
      message:
        'must be the ARN of an IAM user or role, or of a role session, e.g. arn:aws:iam::111122223333:role/RootTaskOperator',
    },
  ),
);

const taskPolicyArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:iam::aws:policy\/root-task\/[\w+=,.@-]+$/,
      'must be the ARN of an AWS root-task policy, e.g. arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
    ),
  );

const entrySchema = z
  .strictObject({
    id: nonEmpty,
    reason: nonEmpty,
    eventNames: z.optional(list(nonEmpty)),
    eventSources: z.optional(list(nonEmpty)),
    sourceIps: z.optional(
      list(
        z.string().check(
          z.refine((text) => parseIpRange(text) !== undefined, {
            message:
              'must be an IPv4 or IPv6 address or CIDR, e.g. 203.0.113.0/24 or 2001:db8::/32',
          }),
          z.refine(
            (text) => {
              const range = parseIpRange(text);
              return range === undefined || !isTooBroad(range);
            },
            {
              message: `is too broad: a range wider than /${BROADEST_PREFIX.ipv4} (IPv4) or /${BROADEST_PREFIX.ipv6} (IPv6) allows root from most of the internet; name the networks root is used from`,
            },
          ),
        ),
      ),
    ),
    accounts: z.optional(
      list(z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))),
    ),
    regions: z.optional(list(nonEmpty)),
    assumedRoot: z.optional(z.boolean()),
    principalArns: z.optional(list(principalArn)),
    taskPolicyArns: z.optional(list(taskPolicyArn)),
    windows: z.optional(list(windowSchema)),
    notBefore: z.optional(instant),
    expires: z.optional(instant),
  })
  .check(
    z.refine(
      (entry) =>
        entry.eventNames !== undefined ||
        entry.eventSources !== undefined ||
        entry.sourceIps !== undefined ||
        entry.principalArns !== undefined ||
        entry.taskPolicyArns !== undefined,
      {
        message:
          'must name at least one of eventNames, eventSources, sourceIps, principalArns, taskPolicyArns: an entry without them would allow all root activity',
      },
    ),
    z.refine(
      (entry) =>
        entry.notBefore === undefined ||
        entry.expires === undefined ||
        // Written as a negation so an unparseable time, already reported, adds no second problem.
        !(Date.parse(entry.notBefore) >= Date.parse(entry.expires)),
      { message: 'must come after notBefore', path: ['expires'] },
    ),
  );

export const dedupMinutesSchema = z
  .int({ message: 'must be a whole number of minutes' })
  .check(
    z.minimum(0, 'must be 0 (no collapsing) or more'),
    z.maximum(1440, 'must be at most 1440 (one day)'),
  );

const ruleOverrideSchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  severity: z.optional(z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` })),
  dedupMinutes: z.optional(dedupMinutesSchema),
});

/** The configuration document, as a person writes it. Only `version` is required. */
export const configDocumentSchema = z.strictObject({
  version: z.literal(1, 'must be 1'),
  dedupMinutes: z.optional(dedupMinutesSchema),
  rules: z.optional(z.record(z.string(), ruleOverrideSchema)),
  allow: z.optional(z.array(entrySchema)),
});

export type ConfigDocumentShape = z.infer<typeof configDocumentSchema>;
export type RuleOverride = z.infer<typeof ruleOverrideSchema>;
