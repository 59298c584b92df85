import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * S3 calls for log files. A download is a stream read as it arrives, so the answer has longer
 * to come than the alert path's bounded calls allow; a stream that breaks off is an error the
 * reader sees.
 */
export const TRAIL_FILE_CALLS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
} as const;

/** The bytes of one object, as they arrive. */
export const objectBytes = async (
  client: S3Client,
  bucket: string,
  key: string,
): Promise<AsyncIterable<Uint8Array>> => {
  const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  // In Node the SDK answers with a Readable; anything else is a platform this code does not run on.
  if (!(Body instanceof Readable)) throw new Error(`s3://${bucket}/${key}: no readable body`);
  return Body;
};
