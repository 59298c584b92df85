/**
 * Reads a CloudTrail log file, `{"Records":[{...},{...}]}`, without building objects for the
 * records that cannot be root usage. An archive is almost entirely other identities, and parsing
 * them costs more than decompressing the file; here every record is checked and delimited, and
 * only the few that could be root are parsed.
 *
 * A record could be root usage when its bytes contain one of {@link CANDIDATE_NEEDLES}: `Root`
 * (the identity type `Root`; `AssumeRoot`, the call that opens a root session; the calls that
 * switch centralized root access, `...OrganizationsRoot...`), the source of the Account
 * Management API (`account.amazonaws.com"`), whose email and contact changes on a member account
 * are root usage whoever makes them, or a `\u` escape: a JSON string is written either literally
 * or with an escape that spells a letter, and no other escape yields a letter. The records kept
 * are therefore a superset of those the engine counts as root usage (ROOT_USAGE in
 * src/engine/root-usage.ts; a test holds the two together); the caller checks the parsed value.
 * (No needle starts with a byte as common as `"`: searching for such a pattern is several times
 * slower. Each needle costs one search through the file.)
 *
 * The check follows JSON's grammar token by token (brackets matched, keys, colons and commas
 * where they belong, numbers and literals well formed, escapes valid), so a trailing comma or a
 * truncated record sends the file to JSON.parse, which names the defect. String contents are
 * skipped natively and not inspected for raw control characters; every record that could be
 * root is parsed in full, so nothing this leaves unchecked can hide root activity.
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

/** Byte classes outside strings, besides punctuation; 0 is anything else. */
const WHITESPACE = 1;
const SCALAR = 2;
const CLASS = new Uint8Array(256);
for (const byte of Buffer.from(' \t\r\n')) CLASS[byte] = WHITESPACE;
for (const byte of Buffer.from('0123456789-tfn')) CLASS[byte] = SCALAR;

/** What the grammar allows next. */
const KEY_OR_CLOSE = 0; // after `{`
const KEY = 1; // after `,` in an object
const COLON_NEXT = 2; // after a key
const VALUE_OR_CLOSE = 3; // after `[`
const VALUE = 4; // after `:`, or `,` in an array
const COMMA_OR_CLOSE = 5; // after a value

export const RECORDS_KEY = Buffer.from('"Records"');
/** Bytes at least one of which every record of root usage holds (see above). */
export const CANDIDATE_NEEDLES: readonly Buffer[] = ['Root', 'account.amazonaws.com"', '\\u'].map(
  (needle) => Buffer.from(needle),
);

/** Whether the bytes of one record could be root usage (see above). */
export const couldBeRoot = (record: Buffer): boolean =>
  CANDIDATE_NEEDLES.some((needle) => record.includes(needle));
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** Deeper nesting than this is left to JSON.parse (CloudTrail records nest a handful of levels). */
const MAX_DEPTH = 256;
const openers = new Uint8Array(MAX_DEPTH);

export const skipWhitespace = (bytes: Buffer, at: number): number => {
  let i = at;
  while (CLASS[bytes[i] ?? 0] === WHITESPACE) i++;
  return i;
};

const isDigit = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** What the scanners below answer when the bytes end before the value does. */
export const INCOMPLETE = -2;

/** `-1` at a malformed byte, {@link INCOMPLETE} when the bytes end where more was needed. */
const malformedAt = (bytes: Buffer, at: number): number => (at >= bytes.length ? INCOMPLETE : -1);

/**
 * The end of the number or literal starting at `start`: -1 when it is not well formed,
 * {@link INCOMPLETE} when the bytes end inside it.
 */
const endOfScalar = (bytes: Buffer, start: number): number => {
  const first = bytes[start];
  if (first === 0x74 || first === 0x66 || first === 0x6e) {
    const literal = first === 0x74 ? TRUE : first === 0x66 ? FALSE : NULL;
    for (let k = 1; k < literal.length; k++) {
      if (bytes[start + k] !== literal[k]) return malformedAt(bytes, start + k);
    }
    return start + literal.length;
  }
  // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
  let i = start;
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
  else return malformedAt(bytes, i);
  if (bytes[i] === 0x2e) {
    i++;
    if (!isDigit(bytes[i])) return malformedAt(bytes, i);
    while (isDigit(bytes[i])) i++;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
    if (!isDigit(bytes[i])) return malformedAt(bytes, i);
    while (isDigit(bytes[i])) i++;
  }
  return i;
};

/** The end of the string whose opening quote is at `start`, or {@link INCOMPLETE} when it is not closed. */
const endOfString = (bytes: Buffer, start: number): number => {
  let i = start;
  for (;;) {
    // indexOf runs natively; a quote preceded by an odd number of backslashes is escaped.
    i = bytes.indexOf(QUOTE, i + 1);
    if (i < 0) return INCOMPLETE;
    let backslashes = 0;
    while (bytes[i - 1 - backslashes] === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return i + 1;
  }
};

/**
 * The end (exclusive) of the object that starts at `start`: -1 when it is not well-formed JSON
 * by the checks above, {@link INCOMPLETE} when the bytes end before the object does.
 */
export const endOfObject = (bytes: Buffer, start: number): number => {
  const length = bytes.length;
  let depth = 0;
  let expect = VALUE;
  let i = start;
  // Tests ordered by how often each token occurs in CloudTrail records.
  while (i < length) {
    const byte = bytes[i] as number;
    if (byte === QUOTE) {
      if (expect === VALUE || expect === VALUE_OR_CLOSE) expect = COMMA_OR_CLOSE;
      else if (expect === KEY_OR_CLOSE || expect === KEY) expect = COLON_NEXT;
      else return -1;
      i = endOfString(bytes, i);
      if (i < 0) return i;
    } else if (byte === COLON) {
      if (expect !== COLON_NEXT) return -1;
      expect = VALUE;
      i++;
    } else if (byte === COMMA) {
      if (expect !== COMMA_OR_CLOSE) return -1;
      expect = openers[depth - 1] === OPEN_BRACE ? KEY : VALUE;
      i++;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if ((expect !== VALUE && expect !== VALUE_OR_CLOSE) || depth === MAX_DEPTH) return -1;
      openers[depth++] = byte;
      expect = byte === OPEN_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      i++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      const empty = byte === CLOSE_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      if (expect !== COMMA_OR_CLOSE && expect !== empty) return -1;
      // `}` and `]` are two above `{` and `[`.
      if (depth === 0 || openers[--depth] !== byte - 2) return -1;
      expect = COMMA_OR_CLOSE;
      i++;
      if (depth === 0) return i;
    } else {
      const kind = CLASS[byte];
      if (kind === WHITESPACE) i++;
      else if (kind === SCALAR) {
        if (expect !== VALUE && expect !== VALUE_OR_CLOSE) return -1;
        i = endOfScalar(bytes, i);
        if (i < 0) return i;
        expect = COMMA_OR_CLOSE;
      } else return -1;
    }
  }
  return INCOMPLETE;
};

/**
 * Whether every backslash escape in `bytes` from `start` is one JSON allows. Outside strings a
 * backslash already fails the grammar, so every backslash found here is inside a string.
 */
export const escapesAreValid = (bytes: Buffer, start: number): boolean => {
  for (let i = bytes.indexOf(BACKSLASH, start); i >= 0; i = bytes.indexOf(BACKSLASH, i)) {
    const next = bytes[i + 1];
    if (next === 0x75) {
      for (let digit = i + 2; digit < i + 6; digit++) {
        const byte = (bytes[digit] ?? 0) | 0x20; // lower case
        if (!((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66))) return false;
      }
      i += 6;
    } else if (next !== undefined && '"\\/bfnrt'.includes(String.fromCharCode(next))) i += 2;
    else return false;
  }
  return true;
};

/**
 * The records of a CloudTrail log file, or undefined when the bytes are not exactly
 * `{"Records":[ objects ]}` (another shape, another key, an escaped key, a defect): the caller then
 * parses the whole document and reports what is wrong with it.
 *
 * @param also bytes that make a record a candidate too, when a caller wants more than root
 *   usage (replay: the configuration parameter's name, for the calls that change it)
 */
export const readTrailLog = (
  bytes: Buffer,
  offset = 0,
  also: Buffer | undefined = undefined,
): TrailLog | undefined => {
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
  const firstRecord = i;

  // Where each needle occurs next: each is searched for once per stretch of the file, not once
  // per record.
  const needles = also === undefined ? CANDIDATE_NEEDLES : [...CANDIDATE_NEEDLES, also];
  const next = needles.map((needle) => nextAt(bytes, needle, i));
  const log: TrailLog = { records: 0, candidates: [] };
  if (bytes[i] !== CLOSE_BRACKET) {
    for (;;) {
      if (bytes[i] !== OPEN_BRACE) return undefined;
      const end = endOfObject(bytes, i);
      if (end < 0) return undefined;
      log.records++;
      let candidate = false;
      for (let n = 0; n < needles.length; n++) {
        if ((next[n] as number) < end) {
          candidate = true;
          next[n] = nextAt(bytes, needles[n] as Buffer, end);
        }
      }
      if (candidate) log.candidates.push(bytes.toString('utf8', i, end));
      i = skipWhitespace(bytes, end);
      if (bytes[i] === CLOSE_BRACKET) break;
      if (bytes[i] !== COMMA) return undefined;
      i = skipWhitespace(bytes, i + 1);
    }
  }
  i = skipWhitespace(bytes, i + 1);
  if (bytes[i] !== CLOSE_BRACE) return undefined;
  if (skipWhitespace(bytes, i + 1) !== bytes.length) return undefined;
  return escapesAreValid(bytes, firstRecord) ? log : undefined;
};

const nextAt = (bytes: Buffer, needle: Buffer, from: number): number => {
  const at = bytes.indexOf(needle, from);
  return at < 0 ? bytes.length : at;
};
