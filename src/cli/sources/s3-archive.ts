import { appendFile, readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from '../../aws/s3-location.js';
import { type ArchiveObject, type ArchiveScope, listArchive } from '../../aws/trail-archive.js';
import { objectBytes } from '../../aws/trail-bucket.js';
import { decompressed } from '../../intake/decompressed.js';
import { inEventTimeOrder } from '../../intake/event-order.js';
import { InputError } from '../../intake/input-error.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import { NotATrailLogError, trailLogParts } from '../../intake/trail-log-stream.js';
import type { ArchiveItem } from './archive-item.js';
import { ROOT_USAGE, readDocument, type Selection } from './read-document.js';
import { linesOf, readLines } from './read-lines.js';
import { formatOf, isDigest, reasonOf } from './read-paths.js';

/** How an S3 replay goes, for the progress line. */
export interface S3Progress {
  objects: number;
  totalObjects: number;
  bytes: number;
  totalBytes: number;
  startedAt: number;
}

export interface S3ArchiveOptions {
  scope: ArchiveScope;
  /** Objects read at once. */
  concurrency: number;
  /** A file of finished object names, one a line: those are skipped, and each finished one added. */
  checkpoint?: string;
  /** Which events are kept (root usage unless said). */
  selection?: Selection;
  /**
   * Called before an object is recorded in the checkpoint, once the caller has handled its
   * items: the caller writes out what they produced, so a finished object is never recorded
   * with its output still in a buffer.
   */
  beforeCheckpoint?: () => Promise<void>;
  progress?: S3Progress;
}

/**
 * The items of a CloudTrail archive in S3, in the order local replay reads the same files:
 * listed (see listArchive), then read `concurrency` objects at a time, each streamed through
 * gunzip and the record scanner, and handed on in key order. What an object yields is exactly
 * what the same file on disk yields: its root events once it has been read to its end, a
 * problem (and no events) when it cannot be; JSON lines files line by line.
 */
export async function* readS3Archive(
  client: S3Client,
  location: S3Location,
  options: S3ArchiveOptions,
): AsyncGenerator<ArchiveItem> {
  const done =
    options.checkpoint === undefined ? new Set<string>() : await finished(options.checkpoint);
  const objects = (await listArchive(client, location, options.scope)).filter(
    ({ key }) => formatOf(key) !== undefined && !isDigest(key) && !done.has(nameOf(location, key)),
  );
  const progress = options.progress;
  if (progress !== undefined) {
    progress.totalObjects += objects.length;
    progress.totalBytes += objects.reduce((sum, { size }) => sum + size, 0);
  }
  const ahead: Promise<ArchiveItem[]>[] = [];
  let next = 0;
  const fill = (): void => {
    while (ahead.length < options.concurrency && next < objects.length) {
      const object = objects[next++] as ArchiveObject;
      ahead.push(
        readObject(client, location, object, options.selection ?? ROOT_USAGE).then((items) => {
          if (progress !== undefined) {
            progress.objects++;
            progress.bytes += object.size;
          }
          return items;
        }),
      );
    }
  };
  fill();
  for (let index = 0; index < objects.length; index++) {
    const items = await (ahead.shift() as Promise<ArchiveItem[]>);
    fill();
    yield* items;
    if (options.checkpoint !== undefined) {
      await options.beforeCheckpoint?.();
      const name = nameOf(location, (objects[index] as ArchiveObject).key);
      await appendFile(options.checkpoint, `${name}\n`);
    }
  }
}

const nameOf = ({ bucket }: S3Location, key: string): string => `s3://${bucket}/${key}`;

const finished = async (path: string): Promise<Set<string>> => {
  try {
    return new Set((await readFile(path, 'utf8')).split('\n').filter((line) => line !== ''));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return new Set();
    throw error;
  }
};

/** Everything one object yields, gathered: held until its turn comes. */
const readObject = async (
  client: S3Client,
  location: S3Location,
  { key }: ArchiveObject,
  selection: Selection,
): Promise<ArchiveItem[]> => {
  const name = nameOf(location, key);
  const items: ArchiveItem[] = [{ kind: 'input', name }];
  const bytes = async () => decompressed(await objectBytes(client, location.bucket, key));
  if (formatOf(key) === 'lines') {
    // As from disk: the lines before a break are handed on, then the problem.
    try {
      for await (const item of readLines(linesOf(await bytes()), name, selection)) {
        items.push(item);
      }
    } catch (error) {
      items.push({ kind: 'problem', name, message: problemText(name, error) });
    }
    return items;
  }
  try {
    let count = 0;
    const kept: TrailEvent[] = [];
    try {
      for await (const part of trailLogParts(await bytes(), name, selection.needle)) {
        count += part.records;
        kept.push(...part.rootEvents.filter(selection.keeps));
      }
    } catch (error) {
      if (!(error instanceof NotATrailLogError)) throw error;
      // Another kind of document (an EventBridge event, a bare record): read whole, as from disk.
      const chunks: Buffer[] = [];
      for await (const chunk of await bytes()) chunks.push(chunk);
      items.push({ kind: 'events', name, ...readDocument(Buffer.concat(chunks), name, selection) });
      return items;
    }
    items.push({ kind: 'events', name, count, kept: inEventTimeOrder(kept) });
  } catch (error) {
    items.length = 1;
    items.push({ kind: 'problem', name, message: problemText(name, error) });
  }
  return items;
};

const problemText = (name: string, error: unknown): string => {
  if (error instanceof InputError) return error.message;
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
    return `${name}: corrupt gzip data (${error.message})`;
  }
  return `${name}: ${reasonOf(error)}`;
};
