import { z } from 'zod';
import { SEVERITIES } from '../engine/severity.js';
import { parseIpRange } from './ip-range.js';
import { DAYS, isTimeZone, minutesOf } from './weekly-window.js';

const nonEmpty = z.string().min(1, 'must not be empty');
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must list at least one value');

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, 00:00 to 23:59');

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-31T23:59:59Z',
});

const windowSchema = z
  .strictObject({
    days: list(z.enum(DAYS, { message: `must be one of ${DAYS.join(', ')}` })),
    start: clockTime,
    end: clockTime,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
  })
  .refine((window) => minutesOf(window.start) !== minutesOf(window.end), {
    message: 'start and end are equal; a window must have a length',
    path: ['end'],
  });

const entrySchema = z
  .strictObject({
    id: nonEmpty,
    reason: nonEmpty,
    eventNames: list(nonEmpty).optional(),
    eventSources: list(nonEmpty).optional(),
    sourceIps: list(
      z.string().refine((text) => parseIpRange(text) !== undefined, {
        message: 'must be an IPv4 or IPv6 address or CIDR, e.g. 203.0.113.0/24 or 2001:db8::/32',
      }),
    ).optional(),
    accounts: list(z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id')).optional(),
    regions: list(nonEmpty).optional(),
    assumedRoot: z.boolean().optional(),
    windows: list(windowSchema).optional(),
    notBefore: instant.optional(),
    expires: instant.optional(),
  })
  .refine(
    (entry) =>
      entry.eventNames !== undefined ||
      entry.eventSources !== undefined ||
      entry.sourceIps !== undefined,
    {
      message:
        'must name at least one of eventNames, eventSources, sourceIps: an entry without them would allow all root activity',
    },
  )
  .refine(
    (entry) =>
      entry.notBefore === undefined ||
      entry.expires === undefined ||
      // Written as a negation so an unparseable time, already reported, adds no second problem.
      !(Date.parse(entry.notBefore) >= Date.parse(entry.expires)),
    { message: 'must come after notBefore', path: ['expires'] },
  );

const dedupMinutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(0, 'must be 0 (no collapsing) or more')
  .max(1440, 'must be at most 1440 (one day)');

const ruleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  dedupMinutes: dedupMinutes.optional(),
});

/** The configuration document, as a person writes it. Only `version` is required. */
export const configDocumentSchema = z.strictObject({
  version: z.literal(1, 'must be 1'),
  dedupMinutes: dedupMinutes.optional(),
  rules: z.record(z.string(), ruleOverrideSchema).optional(),
  allow: z.array(entrySchema).optional(),
});

export type ConfigDocumentShape = z.infer<typeof configDocumentSchema>;
export type RuleOverride = z.infer<typeof ruleOverrideSchema>;
