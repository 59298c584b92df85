import { asciiToken, defang } from '../alert/escape.js';
import type { Paint, StyleName } from './colour.js';

/** One column of a table: its heading, and the most characters a value may take. */
export interface Column {
  heading: string;
  maxWidth: number;
  /** Cut a long value at its start, keeping its end (a file's name says more than its folder). */
  keepEnd?: boolean;
}

/** A value to show, as the event gave it (escaped here), and a style of ours for it. */
export interface Cell {
  text: string;
  style?: StyleName | undefined;
}

/** Marks a value cut to fit its column. One column wide, like every other character shown. */
export const ELLIPSIS = '…';

/**
 * The first (or, `fromEnd`, the last) characters of `value` as one-column tokens: printable
 * ASCII, anything else escaped. Stops once they are wider than `enough`, so a 1 MB field costs
 * no more than a short one; `complete` says whether every character was taken.
 */
const tokensOf = (
  value: string,
  enough: number,
  fromEnd: boolean,
): { tokens: string[]; complete: boolean } => {
  const tokens: string[] = [];
  let length = 0;
  for (const char of fromEnd ? Array.from(value).reverse() : value) {
    if (length > enough) return { tokens: fromEnd ? tokens.reverse() : tokens, complete: false };
    const token = asciiToken(char) ?? char;
    tokens.push(token);
    length += token.length;
  }
  return { tokens: fromEnd ? tokens.reverse() : tokens, complete: true };
};

/**
 * `value` escaped (nothing hidden, no line break, a URL defanged) and at most `width` characters
 * wide: a longer value is cut, never inside an escape, and ends (or, with `keepEnd`, starts)
 * with {@link ELLIPSIS}, so the reader sees that it was cut.
 */
export const fitted = (value: string, width: number, keepEnd = false): string => {
  const { tokens, complete } = tokensOf(value, width, keepEnd);
  const whole = defang(tokens.join(''));
  if (complete && whole.length <= width) return whole;
  const room = width - ELLIPSIS.length;
  let kept = tokens.length;
  let text = whole;
  while (kept > 0 && text.length > room) {
    kept--;
    text = defang((keepEnd ? tokens.slice(tokens.length - kept) : tokens.slice(0, kept)).join(''));
  }
  return keepEnd ? `${ELLIPSIS}${text}` : `${text}${ELLIPSIS}`;
};

/**
 * Rows as aligned columns: each column as wide as its widest value or heading, up to its
 * `maxWidth`, and a free last column (`last`, already escaped) that may run on. Styling comes
 * after padding, since escape codes take no width.
 */
export const renderTable = (
  columns: readonly Column[],
  lastHeading: string | undefined,
  rows: readonly { cells: readonly Cell[]; last: string }[],
  paint: Paint,
): string => {
  const texts = rows.map(({ cells }) =>
    columns.map((column, index) =>
      fitted(cells[index]?.text ?? '', column.maxWidth, column.keepEnd),
    ),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.heading.length, ...texts.map((row) => row[index]?.length ?? 0)),
  );
  const line = (cells: readonly string[], last: string): string =>
    `${[...cells, last].join('  ')}`.trimEnd();
  const header = paint(
    'dim',
    line(
      columns.map((column, index) => column.heading.padEnd(widths[index] ?? 0)),
      lastHeading ?? '',
    ),
  );
  const body = rows.map(({ cells, last }, row) =>
    line(
      columns.map((_, index) => {
        const text = texts[row]?.[index] ?? '';
        const padded = text.padEnd(widths[index] ?? 0);
        const style = cells[index]?.style;
        return style === undefined ? padded : paint(style, text) + padded.slice(text.length);
      }),
      last,
    ),
  );
  return [header, ...body].map((text) => `${text}\n`).join('');
};
