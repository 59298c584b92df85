import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The name `-` stands for standard input. */
export const STDIN = '-';

/** One input to read, or a path that could not be listed. */
export type Input =
  | { kind: 'file'; path: string; format: InputFormat }
  | { kind: 'stdin'; path: typeof STDIN }
  | { kind: 'unreadable'; path: string; message: string };

/** `document`: one JSON value per file. `lines`: one JSON value per line. */
export type InputFormat = 'document' | 'lines';

/** The format a file name promises, or undefined for files a directory walk skips. */
export const formatOf = (name: string): InputFormat | undefined => {
  if (name.endsWith('.json') || name.endsWith('.json.gz')) return 'document';
  if (name.endsWith('.jsonl') || name.endsWith('.jsonl.gz')) return 'lines';
  return undefined;
};

// Digest files sit beside the logs under AWSLogs/ and hold hashes, not events: pointing replay
// at a whole bucket copy must not count each of them as an event.
export const isDigest = (name: string): boolean => name.includes('_CloudTrail-Digest_');

/**
 * The files the PATHs name, in order: each PATH as given, a directory walked depth first with the
 * entries of every directory sorted by name, so CloudTrail's `<region>/YYYY/MM/DD/` layout reads
 * in time order. Only one directory listing is held at a time, however large the archive.
 * Symbolic links met inside a directory are not followed (as `find` does); a PATH given by name is.
 * A file named explicitly is read whatever its extension; a walk picks `.json`, `.json.gz`,
 * `.jsonl` and `.jsonl.gz`.
 */
export async function* inputsOf(paths: readonly string[]): AsyncGenerator<Input> {
  for (const path of paths) {
    if (path === STDIN) {
      yield { kind: 'stdin', path };
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      yield { kind: 'unreadable', path, message: `${path}: ${reasonOf(error)}` };
      continue;
    }
    if (isDirectory) yield* walk(path);
    else yield { kind: 'file', path, format: formatOf(path) ?? 'document' };
  }
}

async function* walk(directory: string): AsyncGenerator<Input> {
  const entries: { name: string; isDirectory: boolean }[] = [];
  try {
    for await (const entry of await opendir(directory)) {
      if (entry.isDirectory()) entries.push({ name: entry.name, isDirectory: true });
      else if (entry.isFile() && formatOf(entry.name) !== undefined && !isDigest(entry.name)) {
        entries.push({ name: entry.name, isDirectory: false });
      }
    }
  } catch (error) {
    yield { kind: 'unreadable', path: directory, message: `${directory}: ${reasonOf(error)}` };
    return;
  }
  // Code-unit order, not the locale's: the same order on every machine.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else yield { kind: 'file', path, format: formatOf(entry.name) ?? 'document' };
  }
}

/** A file system error as a reader would say it: `no such file or directory`, not `ENOENT: ...`. */
export const reasonOf = (error: unknown): string => {
  if (error instanceof Error && 'code' in error) {
    switch (error.code) {
      case 'ENOENT':
        return 'no such file or directory';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied';
      case 'EISDIR':
        return 'is a directory';
    }
  }
  return error instanceof Error ? error.message : String(error);
};
