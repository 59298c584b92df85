/**
 * Reads a CloudTrail log file, `{"Records":[{...},{...}]}`, without parsing the records that cannot
 * be root usage. An archive is almost entirely other identities, and building objects for them
 * costs more than decompressing the file; here each record is only delimited, and the few that
 * could be root are parsed in full.
 *
 * A record could be root when its bytes contain `Root"` or a `\u` escape: a JSON string whose
 * value is `Root` is written either literally or with an escape that spells a letter, and no other
 * escape yields a letter. (The needle leaves out the opening quote because searching for a
 * pattern that starts with a byte as common as `"` is several times slower.) The records kept are therefore a superset of those whose
 * `userIdentity.type` is `Root`, and the caller checks the parsed value.
 *
 * Records that are delimited but not parsed get a structural check only: strings closed, brackets
 * balanced and matched, nothing but JSON punctuation, numbers and literals between strings. Every
 * record that could be root is parsed, so a defect this misses cannot hide root activity.
 */

/** What a CloudTrail log file holds: how many records, and the text of those that could be root. */
export interface TrailLog {
  records: number;
  candidates: string[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** What may appear between strings: 1 whitespace, 2 a scalar's byte, 3 `,` or `:`, 4 brackets. */
const BETWEEN_STRINGS = new Uint8Array(256);
for (const byte of Buffer.from(' \t\r\n')) BETWEEN_STRINGS[byte] = 1;
for (const byte of Buffer.from('0123456789+-.eEtruefalsn')) BETWEEN_STRINGS[byte] = 2;
for (const byte of Buffer.from(',:')) BETWEEN_STRINGS[byte] = 3;
for (const byte of Buffer.from('{}[]')) BETWEEN_STRINGS[byte] = 4;

const RECORDS_KEY = Buffer.from('"Records"');
const ROOT_VALUE = Buffer.from('Root"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/** Deeper nesting than this is left to JSON.parse (CloudTrail records nest a handful of levels). */
const MAX_DEPTH = 256;
const openers = new Uint8Array(MAX_DEPTH);

const skipWhitespace = (bytes: Buffer, at: number): number => {
  let i = at;
  while (BETWEEN_STRINGS[bytes[i] ?? 0] === 1) i++;
  return i;
};

/**
 * The end (exclusive) of the object that starts at `start`, or -1 when it is not a well-formed
 * object by the checks above.
 */
const endOfObject = (bytes: Buffer, start: number): number => {
  const length = bytes.length;
  let depth = 0;
  for (let i = start; i < length; i++) {
    const byte = bytes[i] as number;
    if (byte === QUOTE) {
      // indexOf runs natively; a quote preceded by an odd number of backslashes is escaped.
      for (;;) {
        i = bytes.indexOf(QUOTE, i + 1);
        if (i < 0) return -1;
        let backslashes = 0;
        while (bytes[i - 1 - backslashes] === BACKSLASH) backslashes++;
        if ((backslashes & 1) === 0) break;
      }
      continue;
    }
    const kind = BETWEEN_STRINGS[byte];
    if (kind === 4) {
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (depth === MAX_DEPTH) return -1;
        openers[depth++] = byte;
      } else {
        if (depth === 0) return -1;
        // `}` and `]` are two above `{` and `[`.
        if (openers[--depth] !== byte - 2) return -1;
        if (depth === 0) return i + 1;
      }
    } else if (kind === 0) return -1;
  }
  return -1;
};

/**
 * The records of a CloudTrail log file, or undefined when the bytes are not exactly
 * `{"Records":[ objects ]}` (another shape, another key, an escaped key, a defect): the caller then
 * parses the whole document and reports what is wrong with it.
 */
export const readTrailLog = (bytes: Buffer, offset = 0): TrailLog | undefined => {
  let i = skipWhitespace(bytes, offset);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  i = skipWhitespace(bytes, i + 1);
  if (bytes.compare(RECORDS_KEY, 0, RECORDS_KEY.length, i, i + RECORDS_KEY.length) !== 0) {
    return undefined;
  }
  i = skipWhitespace(bytes, i + RECORDS_KEY.length);
  if (bytes[i] !== COLON) return undefined;
  i = skipWhitespace(bytes, i + 1);
  if (bytes[i] !== OPEN_BRACKET) return undefined;
  i = skipWhitespace(bytes, i + 1);

  const length = bytes.length;
  let nextRoot = nextAt(bytes, ROOT_VALUE, i);
  let nextEscape = nextAt(bytes, UNICODE_ESCAPE, i);
  const log: TrailLog = { records: 0, candidates: [] };
  if (bytes[i] !== CLOSE_BRACKET) {
    for (;;) {
      if (bytes[i] !== OPEN_BRACE) return undefined;
      const end = endOfObject(bytes, i);
      if (end < 0) return undefined;
      log.records++;
      if (nextRoot < end || nextEscape < end) {
        log.candidates.push(bytes.toString('utf8', i, end));
        if (nextRoot < end) nextRoot = nextAt(bytes, ROOT_VALUE, end);
        if (nextEscape < end) nextEscape = nextAt(bytes, UNICODE_ESCAPE, end);
      }
      i = skipWhitespace(bytes, end);
      if (bytes[i] === CLOSE_BRACKET) break;
      if (bytes[i] !== COMMA) return undefined;
      i = skipWhitespace(bytes, i + 1);
    }
  }
  i = skipWhitespace(bytes, i + 1);
  if (bytes[i] !== CLOSE_BRACE) return undefined;
  return skipWhitespace(bytes, i + 1) === length ? log : undefined;
};

const nextAt = (bytes: Buffer, needle: Buffer, from: number): number => {
  const at = bytes.indexOf(needle, from);
  return at < 0 ? bytes.length : at;
};
