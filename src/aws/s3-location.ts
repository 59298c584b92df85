// No SDK here: replay reads these before it knows whether it needs S3 at all.

/** `s3://bucket/prefix`, split. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

const S3_URL = /^s3:\/\/([^/]+)\/?(.*)$/;

/** Whether a replay PATH names S3. */
export const isS3Url = (path: string): boolean => path.startsWith('s3://');

/** @throws Error naming the URL when it has no bucket */
export const parseS3Url = (url: string): S3Location => {
  const match = S3_URL.exec(url);
  if (match?.[1] === undefined) throw new Error(`${url}: expected s3://BUCKET[/PREFIX]`);
  return { bucket: match[1], prefix: match[2] ?? '' };
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-10-01` as a UTC date; undefined when it is not a real day. */
export const dayOf = (text: string): Date | undefined => {
  const match = DAY.exec(text);
  if (match === null) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(text) ? date : undefined;
};
