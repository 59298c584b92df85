import { StringDecoder } from 'node:string_decoder';
import { eventsFrom } from '../../intake/events-from.js';
import { InputError } from '../../intake/input-error.js';
import { parseJson } from '../../intake/parse-json.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import type { ArchiveItem } from './archive-item.js';
import { ROOT_USAGE, type Selection } from './read-document.js';

/** Lines are handed on in batches, so a file of millions of lines never sits in memory whole. */
const BATCH_LINES = 1000;

/** One JSON value per line, each in any accepted shape; blank lines skipped. */
export async function* readLines(
  lines: AsyncIterable<string>,
  name: string,
  selection = ROOT_USAGE,
): AsyncGenerator<ArchiveItem> {
  const batch = new Batch(name, selection);
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      const problem = batch.add(line, number);
      if (problem !== undefined) {
        yield* batch.flush();
        yield problem;
      } else if (batch.lines >= BATCH_LINES) yield* batch.flush();
    }
  } catch (error) {
    // A stream that breaks off (a truncated .gz) still hands on the lines read before the break.
    yield* batch.flush();
    throw error;
  }
  yield* batch.flush();
}

/**
 * Standard input, which may be one JSON document (possibly spread over many lines) or JSON lines.
 * The first non-blank line decides: if it parses on its own the input is JSON lines (a one-line
 * document reads the same either way), streamed as it arrives; if not, the input is read to the
 * end and parsed whole, and only if that fails read as JSON lines, so each bad line is named.
 */
export async function* readDocumentOrLines(
  lines: AsyncIterable<string>,
  name: string,
  selection = ROOT_USAGE,
): AsyncGenerator<ArchiveItem> {
  const iterator = lines[Symbol.asyncIterator]();
  const held: string[] = [];
  let next = await iterator.next();
  while (!next.done && next.value.trim() === '') {
    held.push(next.value);
    next = await iterator.next();
  }
  if (next.done) return;
  held.push(next.value);
  if (parsesAlone(next.value)) {
    yield* readLines(chain(held, iterator), name, selection);
    return;
  }
  for (next = await iterator.next(); !next.done; next = await iterator.next())
    held.push(next.value);
  let document: unknown;
  try {
    document = JSON.parse(held.join('\n'));
  } catch {
    yield* readLines(chain(held, iterator), name, selection);
    return;
  }
  let events: TrailEvent[];
  try {
    events = eventsFrom(document, name);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    yield { kind: 'problem', name, message: error.message };
    return;
  }
  yield { kind: 'events', name, count: events.length, kept: events.filter(selection.keeps) };
}

const parsesAlone = (line: string): boolean => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

async function* chain(
  head: readonly string[],
  tail: AsyncIterator<string>,
): AsyncGenerator<string> {
  yield* head;
  for (let next = await tail.next(); !next.done; next = await tail.next()) yield next.value;
}

/** Splits a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries. */
export async function* linesOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let first = true;
  for await (const chunk of chunks) {
    let text = decoder.write(chunk);
    if (first && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (!text.includes('\n')) {
      partial += text;
      continue;
    }
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  partial += decoder.end();
  if (partial !== '') yield partial.endsWith('\r') ? partial.slice(0, -1) : partial;
}

class Batch {
  lines = 0;
  #count = 0;
  #kept: TrailEvent[] = [];
  readonly #name: string;
  readonly #selection: Selection;

  constructor(name: string, selection: Selection) {
    this.#name = name;
    this.#selection = selection;
  }

  /** Adds one line; returns the problem when the line is not an accepted JSON value. */
  add(line: string, number: number): ArchiveItem | undefined {
    if (line.trim() === '') return undefined;
    this.lines++;
    const where = `${this.#name}:${number}`;
    try {
      const events = eventsFrom(parseJson(line, where), where);
      this.#count += events.length;
      for (const event of events) if (this.#selection.keeps(event)) this.#kept.push(event);
      return undefined;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { kind: 'problem', name: this.#name, message: error.message };
    }
  }

  *flush(): Generator<ArchiveItem> {
    if (this.lines === 0) return;
    yield { kind: 'events', name: this.#name, count: this.#count, kept: this.#kept };
    this.lines = 0;
    this.#count = 0;
    this.#kept = [];
  }
}
