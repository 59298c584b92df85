import { UNKNOWN } from '../../intake/trail-event.js';

/** How much of a second a time shows. */
export interface UtcTextOptions {
  /**
   * `dropped` (the default): whole seconds, as the AWS CLI takes a time and every alert and
   * digest prints one. `kept`: a time with milliseconds keeps them, as replay prints an event's
   * time the way CloudTrail wrote it.
   */
  fraction?: 'dropped' | 'kept';
}

/**
 * A time in UTC, ISO 8601: `2026-03-01T03:14:15Z`; `Unknown` for a time that is missing or
 * not a time (a date that does not parse, an epoch that is NaN).
 */
export const utcText = (
  time: Date | number | undefined,
  { fraction = 'dropped' }: UtcTextOptions = {},
): string => {
  const date = typeof time === 'number' ? new Date(time) : time;
  if (date === undefined || Number.isNaN(date.getTime())) return UNKNOWN;
  const iso = date.toISOString();
  return fraction === 'kept' ? iso.replace('.000Z', 'Z') : iso.replace(/\.\d{3}Z$/, 'Z');
};
