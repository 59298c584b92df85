/**
 * Makes attacker-controlled text safe to show. Every CloudTrail field can be chosen by whoever
 * made the call, so a value must not be able to start a new line, move the cursor, flip the
 * reading direction, hide characters or bloat the output. Such characters are shown as visible
 * escapes (`\n`, `\u202e`) instead of being dropped, so the reader sees that something was there.
 */

/**
 * Characters that never reach a reader as themselves: controls (C0, DEL, C1, so ESC too), format
 * characters (bidi overrides and isolates, zero-width characters, soft hyphen, tag characters),
 * line and paragraph separators, lone surrogates, private-use and unassigned code points,
 * variation selectors, Hangul fillers (blank-looking letters) and every space but U+0020.
 */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\p{Variation_Selector}\u115F\u1160\u3164\uFFA0]|[^\P{Zs} ]/u;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex4 = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** A hidden character as readers write it: `\n`, `\u202e`, `\u{e0041}`. */
const visibleEscape = (char: string): string => {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : hex4(code);
};

const isHidden = (char: string): boolean => HIDDEN.test(char);

/**
 * Most event text is printable ASCII, which is never hidden. Testing for it first keeps the
 * Unicode property tables of {@link HIDDEN}, costly to build, off the cold path of most alerts.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const isPrintableAscii = (text: string): boolean => PRINTABLE_ASCII.test(text);

/** Printable ASCII plus the line feeds that indent serialized JSON. */
const PLAIN_JSON = /^[\n\x20-\x7e]*$/;

/** How one character is written out; `undefined` keeps the character as it is. */
export type TokenOf = (char: string) => string | undefined;

/** Plain text: hidden characters become escapes, and `\` doubles so an escape is never ambiguous. */
export const plainToken: TokenOf = (char) => {
  if (char === '\\') return '\\\\';
  if (isPrintableAscii(char)) return undefined;
  return isHidden(char) ? visibleEscape(char) : undefined;
};

/**
 * Printable ASCII only, every other character as its escape (`\u00e9`, `\u{1f600}`): each
 * character then takes exactly one column, so a table stays aligned whatever a field holds. For
 * fields that are ASCII when honest (event names, Regions, account ids, addresses, event ids).
 */
export const asciiToken: TokenOf = (char) => {
  if (char === '\\') return '\\\\';
  return isPrintableAscii(char) ? undefined : visibleEscape(char);
};

/** Length, in code points, of the text a truncation marker reports as left out. */
const codePointCount = (value: string): number => {
  let count = 0;
  for (const _ of value) count++;
  return count;
};

const truncationMarker = (omitted: number): string =>
  ` [... ${omitted} more character${omitted === 1 ? '' : 's'}]`;

/**
 * Writes `value` token by token and stops before `maxChars` of output, then says how much was
 * left out. The result is at most `maxChars` plus the marker. Stopping early keeps a 1 MB field
 * cheap, and an escape is never cut in half.
 */
export const renderText = (value: string, maxChars: number, tokenOf: TokenOf): string => {
  let out = '';
  let consumed = 0;
  for (const char of value) {
    const token = tokenOf(char) ?? char;
    if (out.length + token.length > maxChars) {
      return out + truncationMarker(codePointCount(value.slice(consumed)));
    }
    out += token;
    consumed += char.length;
  }
  return out;
};

/** Default bound for one field: enough for any honest user agent or error message. */
export const FIELD_MAX_CHARS = 512;

/**
 * One line of plain text, however hostile `value` is. URLs are defanged (`http[:]//`), so a mail
 * client does not turn event text into a link.
 */
export const escapeText = (value: string, maxChars: number = FIELD_MAX_CHARS): string =>
  defang(renderText(value, maxChars, plainToken));

/**
 * The caller's text (an event id, a dedup key holding a source address, a document's problem)
 * in a log line or a handler result: escaped, and bounded by `maxChars`.
 */
export const shown = (value: string, maxChars = 256): string => escapeText(value, maxChars);

/**
 * Disarms what mail and chat clients turn into links: `http://` reads `http[:]//` and `www.`
 * reads `www[.]`, the way analysts write indicators, wherever it stands: after an escape such as
 * `\n`, a word boundary would not see it.
 */
export const defang = (text: string): string =>
  text.replace(/:\/\//g, '[:]//').replace(/www\./gi, (www) => `${www.slice(0, 3)}[.]`);

/** Hidden characters other than the line feeds that indent JSON (inside strings it is `\n`). */
const HIDDEN_IN_JSON = new RegExp(`(?!\\n)(?:${HIDDEN.source})`, 'gu');

const escapeHiddenInJson = (json: string): string =>
  PLAIN_JSON.test(json)
    ? json
    : json.replace(HIDDEN_IN_JSON, (char) => {
        let out = '';
        for (let i = 0; i < char.length; i++) out += hex4(char.charCodeAt(i));
        return out;
      });

/**
 * Makes serialized JSON safe to show while keeping it valid JSON. `JSON.stringify` escapes C0
 * controls, quotes and backslashes inside strings but leaves DEL, C1, bidi, zero-width and
 * U+2028 raw; those, like letters, only occur inside strings, where `\uXXXX` is a valid escape.
 * `://` becomes `:\/\/` and `www.` becomes `www\u002e`, so a URL in the event is not
 * auto-linked by a mail or chat client.
 */
export const escapeJson = (json: string): string =>
  escapeHiddenInJson(json)
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/www\./gi, (www) => `${www.slice(0, 3)}\\u002e`);

const foldToAscii = (value: string): string =>
  isPrintableAscii(value)
    ? value
    : value
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/[^ -~]/gu, '?');

/**
 * Printable ASCII only (U+0020 to U+007E), for places such as an email subject that accept
 * nothing else. Accents are dropped (`é` reads `e`); anything else becomes `?`, and runs of
 * spaces collapse, so no character can break a line or hide.
 */
export const asciiOnly = (value: string): string =>
  foldToAscii(value).replace(/ {2,}/g, ' ').trim();

/** Cuts printable ASCII to `maxChars`, ending with `...` when something was cut. */
export const truncateAscii = (value: string, maxChars: number): string => {
  if (value.length <= maxChars) return value;
  if (maxChars <= 3) return value.slice(0, maxChars);
  return `${value.slice(0, maxChars - 3).trimEnd()}...`;
};
