import { describe, expect, it } from 'vitest';
import { MAX_INDENTED_DEPTH, serialize } from '../../src/intake/serialize.js';

/** `levels` objects, each holding the next, around `inner`. */
const nested = (levels: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('serialize', () => {
  it('indents a record as asked when it nests no deeper than the bound', () => {
    const record = nested(MAX_INDENTED_DEPTH, 1);

    expect(serialize(record, 2)).toBe(JSON.stringify(record, null, 2));
  });

  it('writes a deeper record compact, so indentation cannot multiply its size', () => {
    // 1,000 levels around 60,000 values: 122 KB compact, over 100 MB indented.
    let record: unknown = Array(60_000).fill(0);
    for (let i = 0; i < 1000; i++) record = [record];

    const json = serialize({ requestParameters: { x: record } }, 2);

    expect(json).toBe(JSON.stringify({ requestParameters: { x: record } }));
    expect(json?.length).toBeLessThan(130_000);
  });

  it('reads a record nested too deeply for the stack as undefined instead of throwing', () => {
    let record: unknown = 0;
    for (let i = 0; i < 100_000; i++) record = [record];

    expect(serialize(record, 2)).toBeUndefined();
  });
});
