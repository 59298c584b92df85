import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitted, fittedCells, renderTable } from '../../src/cli/text-table.js';

const plain = (_style: string, text: string) => text;

describe('fitted', () => {
  it('keeps a value that fits as it is', () => {
    expect(fitted('DeleteFunction20150331', 40)).toBe('DeleteFunction20150331');
    expect(fitted('12345', 5)).toBe('12345');
  });

  it('cuts a longer value to the width, ending with an ellipsis', () => {
    expect(fitted('123456', 5)).toBe(`1234${ELLIPSIS}`);
    expect(fitted('x'.repeat(1_000_000), 10)).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
  });

  it('keeps the end of a value instead when asked (a path)', () => {
    expect(fitted('/very/long/folder/file.json', 12, true)).toBe(`${ELLIPSIS}r/file.json`);
  });

  it('escapes every character that is not printable ASCII, so each takes one column', () => {
    expect(fitted('caf\u00e9\n\u202e', 40)).toBe('caf\\u00e9\\n\\u202e');
    expect(fitted('a\\b', 40)).toBe('a\\\\b');
  });

  it('never cuts an escape in half', () => {
    expect(fitted('1111\u001b]8;;x', 12)).toBe(`1111\\u001b]${ELLIPSIS}`);
    expect(fitted('11111\u001b]8;;x', 10)).toBe(`11111${ELLIPSIS}`);
  });

  it('defangs a URL within the width', () => {
    expect(fitted('http://x', 40)).toBe('http[:]//x');
    expect(fitted('http://example', 10)).toBe(`http[:]//${ELLIPSIS}`);
  });
});

describe('renderTable', () => {
  const columns = [
    { heading: 'A', maxWidth: 10 },
    {
      heading: 'LONGER',
      maxWidth: 10,
      styleOf: (text: string) => (text === 'x' ? 'bold' : undefined),
    },
  ] as const;

  it('sizes each column to its widest value or heading, and lets the last run on', () => {
    const table = renderTable(
      columns,
      'NOTE',
      [
        { cells: fittedCells(columns, ['abc', 'x']), last: 'a note' },
        { cells: fittedCells(columns, ['a', 'y'.repeat(20)]), last: '' },
      ],
      plain,
    );

    expect(table).toBe(
      `A    LONGER      NOTE\nabc  x           a note\na    ${'y'.repeat(9)}${ELLIPSIS}\n`,
    );
  });

  it('styles a value after padding it, so the escape codes take no width', () => {
    const marked = (style: string, text: string) => `<${style}>${text}</>`;

    const table = renderTable(columns, undefined, [{ cells: ['abc', 'x'], last: 'n' }], marked);

    expect(table.split('\n')[1]).toBe('abc  <bold>x</>       n');
  });

  it('takes more rows than a function call takes arguments', () => {
    const rows = Array.from({ length: 200_000 }, (_, index) => ({
      cells: [String(index), 'x'],
      last: '',
    }));

    expect(renderTable(columns, undefined, rows, plain).split('\n')[200_000]).toBe('199999  x');
  });
});
