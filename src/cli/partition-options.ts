import { dayOf } from '../aws/s3-location.js';
import { UsageError } from './usage-error.js';

/** The days, accounts and Regions to read, in replay s3:// and athena alike: each takes a value. */
export const PARTITION_OPTIONS = ['since', 'until', 'accounts', 'regions'] as const;

/** `--since`/`--until`: a UTC day, YYYY-MM-DD; undefined when not given and not `required`. */
export const dayOption = (
  name: string,
  text: string | undefined,
  required = false,
): string | undefined => {
  if (text === undefined) {
    if (required) throw new UsageError(`give --${name} DAY (YYYY-MM-DD, UTC)`);
    return undefined;
  }
  if (dayOf(text) === undefined) {
    throw new UsageError(`--${name} must be a UTC day, YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  return text;
};

/** The first day no later than the last, when both are given. */
export const checkDayRange = (since: string | undefined, until: string | undefined): void => {
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(`--since ${since} is after --until ${until}`);
  }
};

const LISTS = {
  accounts: { pattern: /^\d{12}$/, what: 'a 12-digit account id' },
  regions: { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, what: 'a Region name' },
} as const;

/** `--accounts`/`--regions`: comma-separated, each entry checked; undefined when not given. */
export const listOption = (
  name: keyof typeof LISTS,
  text: string | undefined,
): string[] | undefined => {
  if (text === undefined) return undefined;
  const { pattern, what } = LISTS[name];
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const bad = items.find((item) => !pattern.test(item));
  if (items.length === 0 || bad !== undefined) {
    throw new UsageError(`--${name}: ${JSON.stringify(bad ?? text)} is not ${what}`);
  }
  return items;
};
