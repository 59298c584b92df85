import { defang, FIELD_MAX_CHARS, plainToken, renderText, type TokenOf } from './escape.js';

/**
 * Text for AWS Chatbot's `client-markdown` (rendered as Slack or Teams markdown). Slack has no
 * backslash escapes, so markup characters are replaced by visibly different full-width look-alikes
 * rather than escaped; `&`, `<` and `>` become the entities Slack documents, which stops control
 * sequences such as `<!channel>` and `<http://x|y>` links.
 */
const CHAT_TOKENS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '＊',
  _: '＿',
  '~': '～',
  '`': '｀',
  '[': '［',
  ']': '］',
  '|': '｜',
  '@': '＠',
};

const chatToken: TokenOf = (char) => CHAT_TOKENS[char] ?? plainToken(char);

/**
 * Anything shaped like an emoji short code: `:white_check_mark:` (its `_` already full-width),
 * and codes of digits or hex letters too (`:100:`, `:a:`, `:-1:`). Outside code, the colons of
 * IPv6 addresses and times go full-width with them; inside code they stay as they are.
 */
const EMOJI_CODE = /:([a-z0-9_＿+-]+):/giu;

/** One line (hidden characters shown as escapes), at most `maxChars`, markup disarmed. */
const chatLine = (value: string, maxChars: number): string =>
  defang(renderText(value, maxChars, chatToken));

/**
 * Attacker-controlled text for a chat message: one line (hidden characters shown as escapes),
 * at most `maxChars`, and unable to mention, link, format or show emoji.
 */
export const chatText = (value: string, maxChars: number = FIELD_MAX_CHARS): string =>
  chatLine(value, maxChars).replace(EMOJI_CODE, '：$1：');

/**
 * Attacker-controlled text as inline code: no formatting, emoji or auto-link applies inside, and
 * no backtick is left that could close it, so addresses and times keep their colons.
 */
export const chatCode = (value: string, maxChars: number = FIELD_MAX_CHARS): string =>
  `\`${chatLine(value, maxChars)}\``;

/**
 * Our own text (rule titles, runbook steps): markdown is allowed, but a stray `<` or `&` must not
 * start a Slack control sequence.
 */
export const chatTrusted = (value: string): string =>
  value.replace(/[&<>]/g, (char) => CHAT_TOKENS[char] ?? char);

/** A JSON string literal, escapes included. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** Characters chat clients parse: Slack control sequences, markdown, mentions, code fences. */
const CHAT_MARKUP = /[<>&@`*_~[\]|]/g;

/**
 * Escaped JSON for a chat code block. Inside each string literal, markup characters become
 * `\u003c`-style escapes: the block stays valid JSON, and nothing in it can close the block,
 * mention, link or format, even where a client renders some markup inside code blocks.
 * Apply it to the whole document before cutting it, so every string literal is complete.
 */
export const chatJson = (json: string): string =>
  json.replace(JSON_STRING, (literal) =>
    literal.replace(
      CHAT_MARKUP,
      (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
    ),
  );
