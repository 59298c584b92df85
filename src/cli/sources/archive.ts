import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { decompressed, isGzip } from '../../intake/decompressed.js';
import { InputError } from '../../intake/input-error.js';
import type { ArchiveItem } from './archive-item.js';
import { ROOT_USAGE, readDocument, type Selection } from './read-document.js';
import { linesOf, readDocumentOrLines, readLines } from './read-lines.js';
import { type Input, inputsOf, reasonOf } from './read-paths.js';

/** How standard input is named in messages. */
const STDIN_NAME = 'stdin';

/**
 * Files read and decompressed ahead of the one being processed. Reading and gunzip run on the
 * thread pool, so with this the next files are ready when the current one is done; memory holds
 * at most this many files more than the current one.
 */
const READ_AHEAD = 2;

const gunzipAsync = promisify(gunzip);

/**
 * Streams the events of PATHs (files, directories walked in sorted order, `-` for standard input)
 * of `.json`, `.json.gz`, `.jsonl` and `.jsonl.gz` in any accepted shape. Each file is parsed on
 * its own, and gzip is recognised by its magic bytes whatever the name says.
 */
export async function* readArchive(
  paths: readonly string[],
  selection: Selection = ROOT_USAGE,
): AsyncGenerator<ArchiveItem> {
  const ahead: Started[] = [];
  for await (const input of inputsOf(paths)) {
    ahead.push(start(input));
    if (ahead.length > READ_AHEAD) yield* finish(ahead.shift() as Started, selection);
  }
  for (let next = ahead.shift(); next !== undefined; next = ahead.shift()) {
    yield* finish(next, selection);
  }
}

type Loaded = { bytes: Buffer } | { problem: string };

interface Started {
  input: Input;
  /** Documents are loaded ahead; lines and standard input are streamed when their turn comes. */
  loaded: Promise<Loaded> | undefined;
}

const start = (input: Input): Started => ({
  input,
  loaded: input.kind === 'file' && input.format === 'document' ? load(input.path) : undefined,
});

const load = async (path: string): Promise<Loaded> => {
  try {
    const bytes = await readFile(path);
    return {
      bytes: isGzip(bytes) ? await gunzipAsync(bytes, { chunkSize: chunkSizeFor(bytes) }) : bytes,
    };
  } catch (error) {
    return { problem: problemText(path, error) };
  }
};

async function* finish(
  { input, loaded }: Started,
  selection: Selection,
): AsyncGenerator<ArchiveItem> {
  const name = input.kind === 'stdin' ? STDIN_NAME : input.path;
  yield { kind: 'input', name };
  if (input.kind === 'unreadable') {
    yield { kind: 'problem', name, message: input.message };
    return;
  }
  if (loaded !== undefined) {
    const result = await loaded;
    if ('problem' in result) {
      yield { kind: 'problem', name, message: result.problem };
      return;
    }
    try {
      yield { kind: 'events', name, ...readDocument(result.bytes, name, selection) };
    } catch (error) {
      if (error instanceof InputError) yield { kind: 'problem', name, message: error.message };
      // A file too large to hold as one string (ERR_STRING_TOO_LONG) is a bad file, not a bug.
      else if (isSystemError(error))
        yield { kind: 'problem', name, message: problemText(name, error) };
      else throw error;
    }
    return;
  }
  try {
    if (input.kind === 'stdin') {
      yield* readDocumentOrLines(linesOf(decompressed(process.stdin)), name, selection);
    } else {
      yield* readLines(linesOf(decompressed(createReadStream(input.path))), name, selection);
    }
  } catch (error) {
    if (!isSystemError(error)) throw error;
    yield { kind: 'problem', name, message: problemText(name, error) };
  }
}

/** Read, gunzip and string errors carry a code; anything else is a bug, not a bad file. */
const isSystemError = (error: unknown): error is Error & { code: unknown } =>
  error instanceof Error && 'code' in error;

/**
 * Output buffer size for gunzip: the decompressed size gzip records in its last four bytes (modulo
 * 4 GiB), within bounds. With the default 16 KiB the main thread handles a callback and a copy per
 * 16 KiB of output; with this, one for most files, and the thread pool does the rest.
 */
const chunkSizeFor = (gzip: Buffer): number => {
  const recorded = gzip.length >= 4 ? gzip.readUInt32LE(gzip.length - 4) : 0;
  return Math.min(Math.max(recorded + 1, 64 * 1024), 64 * 1024 * 1024);
};

const problemText = (name: string, error: unknown): string => {
  if (isSystemError(error) && String(error.code).startsWith('Z_')) {
    return `${name}: corrupt gzip data (${error.message})`;
  }
  return `${name}: ${reasonOf(error)}`;
};
