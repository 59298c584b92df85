type Edit = { op: ' ' | '-' | '+'; line: string };

/**
 * Above this many line pairs the longest-common-subsequence table would cost too much memory;
 * such inputs are far beyond any configuration document, so they diff as a whole replacement.
 */
const MAX_TABLE_CELLS = 4_000_000;

/** A shortest edit script between two lists of lines, via their longest common subsequence. */
const edits = (before: readonly string[], after: readonly string[]): Edit[] => {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const keep = (lines: readonly string[]): Edit[] => lines.map((line) => ({ op: ' ', line }));
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  const middle: Edit[] = [];
  if ((a.length + 1) * (b.length + 1) > MAX_TABLE_CELLS) {
    middle.push(...a.map((line): Edit => ({ op: '-', line })));
    middle.push(...b.map((line): Edit => ({ op: '+', line })));
  } else {
    // lcs[i * width + j]: length of the longest common subsequence of a[i..] and b[j..].
    const width = b.length + 1;
    const lcs = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i * width + j] =
          a[i] === b[j]
            ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push({ op: ' ', line: a[i++] as string });
        j++;
      } else if (
        j >= b.length ||
        (i < a.length && (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
      ) {
        middle.push({ op: '-', line: a[i++] as string });
      } else {
        middle.push({ op: '+', line: b[j++] as string });
      }
    }
  }
  return [...keep(before.slice(0, start)), ...middle, ...keep(before.slice(endBefore))];
};

/** A hunk side as `diff -u` writes it: `start,count`, `start` alone for one line, and an empty side names the line before it. */
const range = (first: number, count: number): string => {
  if (count === 1) return String(first);
  return `${count === 0 ? first - 1 : first},${count}`;
};

/**
 * A unified diff (as `diff -u` prints it, `context` lines around each change), or the empty
 * string when the two texts have the same lines.
 */
export const unifiedDiff = (
  before: { label: string; lines: readonly string[] },
  after: { label: string; lines: readonly string[] },
  context = 3,
): string => {
  const script = edits(before.lines, after.lines);
  const changed = script.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  if (changed.length === 0) return '';

  const out = [`--- ${before.label}`, `+++ ${after.label}`];
  let next = 0;
  while (next < changed.length) {
    const first = Math.max(0, (changed[next] as number) - context);
    let last = changed[next] as number;
    // Changes closer than two contexts apart share a hunk, as in diff -u.
    while (next + 1 < changed.length && (changed[next + 1] as number) - last <= 2 * context) {
      last = changed[++next] as number;
    }
    next++;
    last = Math.min(script.length - 1, last + context);
    const hunk = script.slice(first, last + 1);
    const beforeStart = 1 + script.slice(0, first).filter((edit) => edit.op !== '+').length;
    const afterStart = 1 + script.slice(0, first).filter((edit) => edit.op !== '-').length;
    const beforeCount = hunk.filter((edit) => edit.op !== '+').length;
    const afterCount = hunk.filter((edit) => edit.op !== '-').length;
    out.push(`@@ -${range(beforeStart, beforeCount)} +${range(afterStart, afterCount)} @@`);
    out.push(...hunk.map((edit) => `${edit.op}${edit.line}`));
  }
  return `${out.join('\n')}\n`;
};
