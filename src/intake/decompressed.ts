import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** gzip's magic bytes. */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Output chunks of 64 KiB rather than gunzip's 16 KiB: a quarter of the callbacks and copies on
 * the main thread for the same bytes, and still a small, fixed amount of memory.
 */
const GUNZIP_CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of a stream, gunzipped when they start with gzip's magic bytes, whatever the name
 * says. A read or gunzip error (zlib's `Z_` codes for corrupt data) is thrown to the loop.
 */
export async function* decompressed(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  }
  if (!isGzip(head)) {
    yield* all();
    return;
  }
  // pipeline, unlike pipe, hands a read error on to the gunzip stream, and so to this loop.
  yield* pipeline(Readable.from(all()), createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => {});
}
