import { eventsFrom } from './events-from.js';
import { InputError } from './input-error.js';
import { parseJson } from './parse-json.js';
import type { TrailEvent } from './trail-event.js';
import {
  couldBeRoot,
  endOfObject,
  escapesAreValid,
  INCOMPLETE,
  RECORDS_KEY,
  skipWhitespace,
} from './trail-log.js';

/**
 * A CloudTrail record larger than this is refused: memory holds one record at a time, and this
 * bounds it. CloudTrail's own records are a few kilobytes, rarely more than a few hundred.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** A stream that does not start as `{"Records": [`: the caller may read it another way. */
export class NotATrailLogError extends InputError {
  override name = 'NotATrailLogError';
}

/** The bytes of a log file seen so far that hold part of its opening, before any record. */
const MAX_HEADER_BYTES = 4096;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

type Expect = 'header' | 'first-record' | 'record' | 'comma-or-close' | 'closing-brace' | 'end';

/**
 * Reads a CloudTrail log file, `{"Records":[{...},...]}`, as its bytes arrive, holding at most
 * one record and one chunk: a log file of any size reads in flat memory. Every record is
 * checked against JSON's grammar and counted (see trail-log.ts for how); only the records
 * that could be root are parsed.
 *
 * A defect is an {@link InputError} naming the file and the byte where it is; a file that does
 * not open as a CloudTrail log is a {@link NotATrailLogError}, before any record was read.
 */
export class TrailLogScanner {
  readonly #name: string;
  /** Bytes received and not yet consumed; `#offset` is the file offset of the first. */
  #pending: Buffer = Buffer.alloc(0);
  #offset = 0;
  #expect: Expect = 'header';
  /**
   * An incomplete record is scanned again only once the bytes held have doubled, so a record
   * spread over many chunks costs a linear number of scanned bytes, not a quadratic one.
   */
  #rescanAt = 0;
  /** Records read so far, of every identity. */
  records = 0;
  /** Bytes that make a record a candidate too (see readTrailLog's `also`). */
  readonly #also: Buffer | undefined;

  constructor(name: string, also: Buffer | undefined = undefined) {
    this.#name = name;
    this.#also = also;
  }

  /** Adds the next bytes; returns the text of each record they complete that could be root. */
  write(chunk: Buffer): string[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (this.#pending.length < this.#rescanAt) return [];
    this.#rescanAt = 0;
    const candidates: string[] = [];
    let i = 0;
    const bytes = this.#pending;
    for (;;) {
      i = skipWhitespace(bytes, i);
      if (i >= bytes.length) break;
      if (this.#expect === 'header') {
        const end = this.#header(bytes, i);
        if (end === INCOMPLETE) break;
        i = end;
        this.#expect = 'first-record';
        continue;
      }
      const byte = bytes[i];
      if (this.#expect === 'end') this.#fail(i, 'data after the end of the log');
      if (this.#expect === 'closing-brace') {
        if (byte !== 0x7d) this.#fail(i, 'expected } after the Records array');
        this.#expect = 'end';
        i++;
        continue;
      }
      if (this.#expect === 'comma-or-close') {
        if (byte === 0x2c) this.#expect = 'record';
        else if (byte === 0x5d) this.#expect = 'closing-brace';
        else this.#fail(i, 'expected , or ] after a record');
        i++;
        continue;
      }
      if (this.#expect === 'first-record' && byte === 0x5d) {
        this.#expect = 'closing-brace';
        i++;
        continue;
      }
      if (byte !== 0x7b) this.#fail(i, 'expected a record ({)');
      const end = endOfObject(bytes, i);
      if (end === INCOMPLETE) {
        if (bytes.length - i > MAX_RECORD_BYTES) {
          this.#fail(i, `a record larger than ${MAX_RECORD_BYTES} bytes`);
        }
        this.#rescanAt = i + Math.min(2 * (bytes.length - i), MAX_RECORD_BYTES + 1);
        break;
      }
      const record = bytes.subarray(i, end);
      if (end < 0 || !escapesAreValid(record, 0)) this.#fail(i, 'a malformed record');
      this.records++;
      if (couldBeRoot(record) || (this.#also !== undefined && record.includes(this.#also))) {
        candidates.push(record.toString('utf8'));
      }
      this.#expect = 'comma-or-close';
      i = end;
    }
    this.#offset += i;
    this.#pending = i >= bytes.length ? Buffer.alloc(0) : bytes.subarray(i);
    if (this.#rescanAt > 0) this.#rescanAt -= i;
    return candidates;
  }

  /**
   * The file has ended: returns what the last bytes completed (a scan may have been put off to
   * save work), and throws unless the file ended where a log file may.
   */
  end(): string[] {
    this.#rescanAt = 0;
    const candidates = this.#pending.length > 0 ? this.write(Buffer.alloc(0)) : [];
    if (this.#expect === 'header' && this.#pending.length === 0 && this.#offset === 0) {
      throw new NotATrailLogError(`${this.#name}: empty, not a CloudTrail log file`);
    }
    if (this.#expect !== 'end') {
      this.#fail(this.#pending.length, 'the file ends before the log does (truncated?)');
    }
    return candidates;
  }

  /** Past the opening `{"Records":[` (after an optional byte order mark), or INCOMPLETE. */
  #header(bytes: Buffer, start: number): number {
    let i = start;
    if (this.#offset + i === 0 && bytes[0] === UTF8_BOM[0]) {
      if (bytes.length < UTF8_BOM.length) return INCOMPLETE;
      if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) i += UTF8_BOM.length;
    }
    const expected: (number | Buffer)[] = [0x7b, RECORDS_KEY, 0x3a, 0x5b];
    for (const part of expected) {
      i = skipWhitespace(bytes, i);
      const length = typeof part === 'number' ? 1 : part.length;
      const available = Math.min(length, bytes.length - i);
      const wanted = typeof part === 'number' ? Buffer.from([part]) : part;
      if (!bytes.subarray(i, i + available).equals(wanted.subarray(0, available))) {
        throw new NotATrailLogError(
          `${this.#name}: not a CloudTrail log file (it does not open with {"Records": [)`,
        );
      }
      if (available < length) {
        if (bytes.length > MAX_HEADER_BYTES) {
          throw new NotATrailLogError(`${this.#name}: not a CloudTrail log file`);
        }
        return INCOMPLETE;
      }
      i += length;
    }
    return i;
  }

  #fail(at: number, what: string): never {
    throw new InputError(`${this.#name}: ${what} at byte ${this.#offset + at}`);
  }
}

/** Part of a log file: how many records it held, and those that could be root usage. */
export interface TrailLogPart {
  records: number;
  /**
   * The records whose bytes could be root usage (see trail-log.ts), or hold the scanner's `also`,
   * parsed: a superset, which the engine, or a reader's own filter, narrows.
   */
  rootEvents: TrailEvent[];
}

/**
 * The records of a CloudTrail log file's bytes (already decompressed), handed on as they are
 * read: each part holds the records of one or more chunks, the root events among them parsed.
 *
 * @throws InputError (a {@link NotATrailLogError} for another kind of document) naming `name`
 */
export async function* trailLogParts(
  chunks: AsyncIterable<Buffer>,
  name: string,
  also: Buffer | undefined = undefined,
): AsyncGenerator<TrailLogPart> {
  const scanner = new TrailLogScanner(name, also);
  let counted = 0;
  for await (const chunk of chunks) {
    const candidates = scanner.write(chunk);
    if (candidates.length === 0 && scanner.records === counted) continue;
    yield { records: scanner.records - counted, rootEvents: rootEventsOf(candidates, name) };
    counted = scanner.records;
  }
  const last = scanner.end();
  if (last.length > 0 || scanner.records > counted) {
    yield { records: scanner.records - counted, rootEvents: rootEventsOf(last, name) };
  }
}

const rootEventsOf = (candidates: readonly string[], name: string): TrailEvent[] =>
  candidates.length === 0
    ? []
    : eventsFrom({ Records: candidates.map((text) => parseJson(text, name)) }, name);
