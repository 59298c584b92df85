import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/cli/line-diff.js';

const lines = (text: string): string[] => (text === '' ? [] : text.split(''));

const diff = (before: string[], after: string[]): string =>
  unifiedDiff({ label: 'before', lines: before }, { label: 'after', lines: after });

/** Length of the longest common subsequence: a minimal diff changes every other line. */
const lcsLength = (a: readonly string[], b: readonly string[]): number => {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    b.forEach((y, j) => {
      next.push(x === y ? (row[j] ?? 0) + 1 : Math.max(row[j + 1] ?? 0, next[j] ?? 0));
    });
    row = next;
  }
  return row[b.length] ?? 0;
};

/** Applies a unified diff to `before` the way patch(1) does, to check what it claims. */
const apply = (before: readonly string[], patch: string): string[] => {
  const result: string[] = [];
  let consumed = 0;
  for (const line of patch.split('\n').slice(2, -1)) {
    const header = /^@@ -(\d+)(?:,(\d+))? /.exec(line);
    if (header) {
      const start = Number(header[1]);
      const from = header[2] === '0' ? start : start - 1;
      result.push(...before.slice(consumed, from));
      consumed = from;
    } else if (line.startsWith(' ') || line.startsWith('-')) {
      expect(before[consumed]).toBe(line.slice(1));
      if (line.startsWith(' ')) result.push(line.slice(1));
      consumed++;
    } else {
      result.push(line.slice(1));
    }
  }
  return [...result, ...before.slice(consumed)];
};

describe('unifiedDiff', () => {
  it('is empty for the same lines', () => {
    expect(diff(['a', 'b'], ['a', 'b'])).toBe('');
  });

  it('prints hunks with three lines of context, as diff -u does', () => {
    expect(diff(lines('abcdefghijklm'), lines('aBcdefghijkmn'))).toBe(
      [
        '--- before',
        '+++ after',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -9,5 +9,5 @@',
        ' i',
        ' j',
        ' k',
        '-l',
        ' m',
        '+n',
        '',
      ].join('\n'),
    );
  });

  it('writes one-line and empty sides as diff -u does', () => {
    expect(diff(['a'], ['a', 'b'])).toBe('--- before\n+++ after\n@@ -1 +1,2 @@\n a\n+b\n');
    expect(diff([], ['a'])).toBe('--- before\n+++ after\n@@ -0,0 +1 @@\n+a\n');
    expect(diff(['a'], [])).toBe('--- before\n+++ after\n@@ -1 +0,0 @@\n-a\n');
  });

  it('produces a minimal patch that turns the first text into the second', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const before = Array.from({ length: random(30) }, () => 'abcde'[random(5)] as string);
      const after = before.flatMap((line) =>
        random(4) === 0 ? [] : random(5) === 0 ? [line, 'x'] : [line],
      );

      const patch = diff(before, after);

      expect(apply(before, patch)).toEqual(after);
      const changes = patch.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
      expect(changes.length).toBe(before.length + after.length - 2 * lcsLength(before, after));
    }
  });
});
