import type { S3Client } from '@aws-sdk/client-s3';
import { isS3Url, parseS3Url, type S3Location } from '../../aws/s3-location.js';
import { readArchive } from '../sources/archive.js';
import type { ArchiveItem } from '../sources/archive-item.js';
import type { S3ArchiveOptions } from '../sources/s3-archive.js';
import { UsageError } from '../usage-error.js';
import type { ReplayHooks } from './run.js';

/** What reading s3:// PATHs takes from the command line. */
export type S3Options = Pick<S3ArchiveOptions, 'scope' | 'concurrency' | 'checkpoint'>;

/** The items of every PATH in order: local paths from disk, s3:// PATHs from S3. */
export async function* pathItems(
  paths: readonly string[],
  s3: S3Options,
  hooks: ReplayHooks,
): AsyncGenerator<ArchiveItem> {
  let client: S3Client | undefined;
  for (const path of paths) {
    if (!isS3Url(path)) {
      yield* readArchive([path], hooks.selection);
      continue;
    }
    // Loaded only for S3: local replay starts without the SDK.
    const { S3Client } = await import('@aws-sdk/client-s3');
    client ??= new S3Client({});
    const { readS3Archive } = await import('../sources/s3-archive.js');
    let location: S3Location;
    try {
      location = parseS3Url(path);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      yield* readS3Archive(client, location, { ...s3, ...hooks });
    } catch (error) {
      // Listing failed (no such bucket, access denied): the archive cannot be read at all.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      yield { kind: 'input', name: path };
      yield { kind: 'problem', name: path, message: `${path}: ${reason}` };
    }
  }
}
