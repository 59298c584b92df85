import { asciiToken, defang } from '../alert/text/escape.js';
import type { Paint, StyleName } from './colour.js';

/** One column of a table: its heading, and the most characters a value may take. */
export interface Column {
  heading: string;
  maxWidth: number;
  /** Cut a long value at its start, keeping its end (a file's name says more than its folder). */
  keepEnd?: boolean;
  /** A style of ours for a value (a decision, a severity), chosen by its text. */
  styleOf?: (text: string) => StyleName | undefined;
}

/** A row, its cells already {@link fitted} to their columns, and a free last column (escaped). */
export interface FittedRow {
  cells: readonly string[];
  last: string;
}

/** Printable ASCII but the backslash, which is escaped (doubled) to keep escapes unambiguous. */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;
/** What `defang` rewrites. */
const LINK = /:\/\/|www\./i;

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
  // Most values are short plain ASCII with no URL in them: nothing to escape, cut or defang.
  if (value.length <= width && PLAIN.test(value) && !LINK.test(value)) return value;
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

/** A row's values fitted to `columns`, one per column: what a table holds until it is printed. */
export const fittedCells = (columns: readonly Column[], values: readonly string[]): string[] =>
  columns.map((column, index) => fitted(values[index] ?? '', column.maxWidth, column.keepEnd));

/**
 * Rows as aligned columns: each column as wide as its widest value or heading, up to its
 * `maxWidth`, and a free last column that may run on. Styling comes after padding, since escape
 * codes take no width.
 */
export const renderTable = (
  columns: readonly Column[],
  lastHeading: string | undefined,
  rows: readonly FittedRow[],
  paint: Paint,
): string => {
  // A loop, not Math.max(...): an archive's table may have more rows than a call has arguments.
  const widths = columns.map((column) => column.heading.length);
  for (const { cells } of rows) {
    cells.forEach((text, index) => {
      if (text.length > (widths[index] ?? 0)) widths[index] = text.length;
    });
  }
  const line = (cells: readonly string[], last: string): string =>
    `${[...cells, last].join('  ')}`.trimEnd();
  const lines = [
    paint(
      'dim',
      line(
        columns.map((column, index) => column.heading.padEnd(widths[index] ?? 0)),
        lastHeading ?? '',
      ),
    ),
  ];
  for (const { cells, last } of rows) {
    lines.push(
      line(
        columns.map((column, index) => {
          const text = cells[index] ?? '';
          const padded = text.padEnd(widths[index] ?? 0);
          const style = column.styleOf?.(text);
          return style === undefined ? padded : paint(style, text) + padded.slice(text.length);
        }),
        last,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
};
