import {
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { dayOf, type S3Location } from './s3-location.js';

/** One object to read. */
export interface ArchiveObject {
  key: string;
  size: number;
}

/** What to read of an archive laid out as CloudTrail writes it. */
export interface ArchiveScope {
  /** First and last UTC day, inclusive, as `YYYY-MM-DD`. */
  since?: string;
  until?: string;
  /** Only these accounts and Regions; every one when absent. */
  accounts?: readonly string[];
  regions?: readonly string[];
}

const LOGS = 'AWSLogs/';
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;

/** `YYYY/MM/DD/` of a UTC day. */
const dayPrefix = (day: Date): string => `${day.toISOString().slice(0, 10).replaceAll('-', '/')}/`;

const DAY_MS = 86_400_000;

/**
 * Compares keys as a directory walk orders paths: segment by segment, each by code unit. Plain
 * string order would put `a-b/x` before `a/x`; local replay walks `a/` first.
 */
export const byPathSegments = (a: string, b: string): number => {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
};

/**
 * Lists the objects of a CloudTrail archive, `[PREFIX/]AWSLogs/[o-xxxx/]ACCOUNT/CloudTrail/
 * REGION/YYYY/MM/DD/`, without listing the whole bucket: organization, account and Region
 * folders are listed one level at a time (and narrowed to `accounts` and `regions`), and with
 * both `since` and `until` only the day folders of that range are listed; with one or neither,
 * year, month and day folders outside the range are never entered. PREFIX may stop at any
 * depth of the layout, a day included.
 *
 * @returns the objects in the order a directory walk of the same files would read them
 */
export const listArchive = async (
  client: S3Client,
  { bucket, prefix }: S3Location,
  scope: ArchiveScope,
): Promise<ArchiveObject[]> => {
  const at = prefix.indexOf(LOGS);
  const root =
    at >= 0
      ? prefix.slice(0, at + LOGS.length)
      : `${prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`}${LOGS}`;
  const given = at >= 0 ? prefix.slice(at + LOGS.length).split('/') : [];
  // A last segment without its slash is taken whole: `.../2026/10` is October.
  const fixed = given.filter((segment) => segment !== '');

  const folders = async (under: string): Promise<string[]> => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: under,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        if (Prefix !== undefined) found.push(Prefix.slice(under.length, -1));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found;
  };
  /** The folders at one level: the given segment, or those listed there that `keep` admits. */
  const level = async (
    under: string,
    segment: string | undefined,
    keep: (name: string) => boolean,
  ): Promise<string[]> => (segment !== undefined ? [segment] : (await folders(under)).filter(keep));

  // Organization or account: the first segment tells which layout this is.
  let position = 0;
  const accountFolders: string[] = [];
  const wantedAccount = (name: string): boolean =>
    ACCOUNT.test(name) && (scope.accounts === undefined || scope.accounts.includes(name));
  for (const top of await level(
    root,
    fixed[position],
    (name) => ORGANIZATION.test(name) || ACCOUNT.test(name),
  )) {
    if (ORGANIZATION.test(top)) {
      const accounts = await level(`${root}${top}/`, fixed[position + 1], wantedAccount);
      accountFolders.push(...accounts.map((account) => `${root}${top}/${account}/`));
    } else if (wantedAccount(top)) accountFolders.push(`${root}${top}/`);
  }
  position = fixed[0] !== undefined && ORGANIZATION.test(fixed[0]) ? 2 : 1;
  const [service, region, ...date] = fixed.slice(position);
  if (service !== undefined && service !== 'CloudTrail') return [];

  const since = scope.since === undefined ? undefined : dayOf(scope.since);
  const until = scope.until === undefined ? undefined : dayOf(scope.until);
  const days: string[] = [];
  for (const account of accountFolders) {
    const trail = `${account}CloudTrail/`;
    const regions = await level(
      trail,
      region,
      (name) => scope.regions === undefined || scope.regions.includes(name),
    );
    for (const name of regions) {
      days.push(...(await dayFolders(`${trail}${name}/`, date, since, until, folders)));
    }
  }

  const objects: ArchiveObject[] = [];
  for (const day of days) {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: day, ContinuationToken: token }),
      );
      for (const { Key, Size } of page.Contents ?? []) {
        if (Key !== undefined) objects.push({ key: Key, size: Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return objects.sort((a, b) => byPathSegments(a.key, b.key));
};

/** The day folders under a Region folder, within the range and the date segments given. */
const dayFolders = async (
  region: string,
  date: readonly string[],
  since: Date | undefined,
  until: Date | undefined,
  folders: (under: string) => Promise<string[]>,
): Promise<string[]> => {
  const matchesGiven = (prefix: string): boolean =>
    date.every((segment, index) => prefix.split('/')[index] === segment);
  if (since !== undefined && until !== undefined) {
    const days: string[] = [];
    for (let time = since.getTime(); time <= until.getTime(); time += DAY_MS) {
      const day = dayPrefix(new Date(time));
      if (matchesGiven(day)) days.push(`${region}${day}`);
    }
    return days;
  }
  // One bound or none: list years, months and days, entering none outside the range.
  const first = since === undefined ? '' : dayPrefix(since);
  const last = until === undefined ? '' : dayPrefix(until);
  const inRange = (path: string): boolean =>
    (first === '' || path >= first.slice(0, path.length)) &&
    (last === '' || path <= last.slice(0, path.length));
  let paths = [''];
  for (let depth = 0; depth < 3; depth++) {
    const next: string[] = [];
    for (const path of paths) {
      const given = date[depth];
      const names = given !== undefined ? [given] : await folders(`${region}${path}`);
      for (const name of names) {
        if (/^\d+$/.test(name) && inRange(`${path}${name}/`)) next.push(`${path}${name}/`);
      }
    }
    paths = next;
  }
  return paths.filter(matchesGiven).map((path) => `${region}${path}`);
};
