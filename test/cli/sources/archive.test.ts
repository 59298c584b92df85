import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/cli/sources/archive.js';
import type { ArchiveItem } from '../../../src/cli/sources/archive-item.js';
import { readTrailLog } from '../../../src/intake/trail-log.js';
import {
  eventBridgeEvent,
  logFile,
  rootRecord,
  temporaryDirectory,
  userRecord,
  writeFile,
} from '../trail-files.js';

const directories: string[] = [];
const scratch = (): string => {
  const directory = temporaryDirectory();
  directories.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

interface Collected {
  inputs: string[];
  /** Every events item's count, summed per input. */
  counts: Map<string, number>;
  /** Root events' ids, in the order read. */
  rootEventIds: string[];
  problems: string[];
}

const collect = async (paths: readonly string[]): Promise<Collected> => {
  const collected: Collected = { inputs: [], counts: new Map(), rootEventIds: [], problems: [] };
  for await (const item of readArchive(paths) as AsyncGenerator<ArchiveItem>) {
    if (item.kind === 'input') collected.inputs.push(item.name);
    else if (item.kind === 'problem') collected.problems.push(item.message);
    else {
      collected.counts.set(item.name, (collected.counts.get(item.name) ?? 0) + item.count);
      collected.rootEventIds.push(...item.kept.map((event) => event.eventId));
    }
  }
  return collected;
};

/** A repeatable pseudo-random source (mulberry32): `next(limit)` is a whole number below `limit`. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return (limit: number): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * limit);
  };
};

const isRootRecord = (record: unknown): boolean =>
  (record as { userIdentity?: { type?: unknown } } | null)?.userIdentity?.type === 'Root';

/**
 * What detection rests on: every record whose `userIdentity.type` is `Root`, as JSON.parse of
 * the whole file reads it, is among the scanner's candidates, and every candidate is a record.
 */
const expectRootRecordsAmongCandidates = (
  records: readonly unknown[],
  candidates: readonly string[],
  text: string,
): void => {
  const all = new Set(records.map((record) => JSON.stringify(record)));
  const kept = new Set(candidates.map((candidate) => JSON.stringify(JSON.parse(candidate))));
  for (const candidate of kept) expect(all.has(candidate), text).toBe(true);
  for (const record of records.filter(isRootRecord)) {
    expect(kept.has(JSON.stringify(record)), text).toBe(true);
  }
};

describe('readArchive', () => {
  it('walks directories in sorted path order, reading .json.gz, .json, .jsonl and .jsonl.gz', async () => {
    const root = scratch();
    writeFile(root, 'b/2026/10/02/day2.json.gz', logFile([rootRecord({ eventID: 'day2' })]));
    writeFile(root, 'b/2026/10/01/day1.json', logFile([rootRecord({ eventID: 'day1' })]));
    writeFile(root, 'a/events.jsonl', `${JSON.stringify(rootRecord({ eventID: 'a-line' }))}\n`);
    writeFile(root, 'c/more.jsonl.gz', `${JSON.stringify(rootRecord({ eventID: 'c-line' }))}\n`);
    writeFile(root, 'b/2026/10/01/notes.txt', 'not an event');
    writeFile(
      root,
      'b/2026/10/01/111122223333_CloudTrail-Digest_us-east-1_x.json.gz',
      JSON.stringify({ digestStartTime: '2026-10-01T00:00:00Z', logFiles: [] }),
    );

    const read = await collect([root]);

    expect(read.problems).toEqual([]);
    expect(read.inputs).toEqual([
      join(root, 'a/events.jsonl'),
      join(root, 'b/2026/10/01/day1.json'),
      join(root, 'b/2026/10/02/day2.json.gz'),
      join(root, 'c/more.jsonl.gz'),
    ]);
    expect(read.rootEventIds).toEqual(['a-line', 'day1', 'day2', 'c-line']);
  });

  it('counts every record but hands on only those whose identity is Root, in file order', async () => {
    const root = scratch();
    const records = [
      userRecord(),
      rootRecord({ eventID: 'first' }),
      userRecord({ requestParameters: { nested: { type: 'Root' } } }),
      rootRecord({ eventID: 'second' }),
      userRecord(),
    ];
    const path = writeFile(root, 'trail.json.gz', logFile(records));

    const read = await collect([path]);

    expect(read.counts.get(path)).toBe(5);
    expect(read.rootEventIds).toEqual(['first', 'second']);
  });

  it('finds a root identity written with \\u escapes, which a byte search for Root would miss', async () => {
    const root = scratch();
    const plain = logFile([userRecord(), rootRecord({ eventID: 'escaped' })]);
    const escaped = plain.replace('"type":"Root"', '"type":"\\u0052oot"');
    expect(escaped).not.toContain('Root"');
    const path = writeFile(root, 'escaped.json', escaped);

    const read = await collect([path]);

    expect(read.rootEventIds).toEqual(['escaped']);
  });

  it('reads EventBridge events, bare records and pretty-printed log files alike', async () => {
    const root = scratch();
    const envelope = writeFile(
      root,
      '1-envelope.json',
      JSON.stringify(eventBridgeEvent(rootRecord({ eventID: 'envelope' })), null, 2),
    );
    const bare = writeFile(root, '2-bare.json', JSON.stringify(rootRecord({ eventID: 'bare' })));
    const pretty = writeFile(
      root,
      '3-pretty.json',
      `\ufeff${JSON.stringify({ Records: [rootRecord({ eventID: 'pretty' })] }, null, 2)}\n`,
    );

    const read = await collect([envelope, bare, pretty]);

    expect(read.problems).toEqual([]);
    expect(read.rootEventIds).toEqual(['envelope', 'bare', 'pretty']);
  });

  it('recognises gzip by its content whatever the file is called', async () => {
    const root = scratch();
    const path = writeFile(root, 'gzipped.json.gz', logFile([rootRecord({ eventID: 'zipped' })]));
    const renamed = join(root, 'looks-plain.json');
    await import('node:fs/promises').then(({ rename }) => rename(path, renamed));

    const read = await collect([renamed]);

    expect(read.problems).toEqual([]);
    expect(read.rootEventIds).toEqual(['zipped']);
  });

  it('names a corrupt gzip file, a bad JSON file and a missing path, and reads the rest', async () => {
    const root = scratch();
    writeFile(root, '1-good.json.gz', logFile([rootRecord({ eventID: 'before' })]));
    const truncated = writeFile(root, '2-truncated.json.gz', logFile([rootRecord()]));
    const bytes = await import('node:fs/promises').then(({ readFile }) => readFile(truncated));
    writeFile(root, '2-truncated.json', bytes.subarray(0, bytes.length - 12));
    rmSync(truncated);
    writeFile(root, '3-bad.json', '{"Records": [{"eventID": "x",}]}');
    writeFile(root, '4-good.json', logFile([rootRecord({ eventID: 'after' })]));

    const read = await collect([root, join(root, 'missing.json')]);

    expect(read.rootEventIds).toEqual(['before', 'after']);
    expect(read.problems, read.problems.join('\n')).toHaveLength(3);
    expect(read.problems[0]).toMatch(/2-truncated\.json: corrupt gzip data/);
    expect(read.problems[1]).toMatch(/3-bad\.json: not valid JSON/);
    expect(read.problems[2]).toMatch(/missing\.json: no such file or directory/);
  });

  it('names a file whose JSON is not an accepted shape', async () => {
    const root = scratch();
    const array = writeFile(root, 'array.json', '[{"eventID": "x"}]');
    const number = writeFile(root, 'number.json', '42');
    const records = writeFile(root, 'records.json', '{"Records": [{"eventID": "x"}, 7]}');

    const read = await collect([array, number, records]);

    expect(read.problems).toEqual([
      `${array}: expected a JSON object (an EventBridge event, a CloudTrail record or {"Records": [...]}), got an array`,
      `${number}: expected a JSON object (an EventBridge event, a CloudTrail record or {"Records": [...]}), got a number`,
      `${records}: Records[1] must be an object, got a number`,
    ]);
  });

  it('names the line of a bad JSON line, skips blank lines and reads the other lines', async () => {
    const root = scratch();
    const path = writeFile(
      root,
      'events.jsonl',
      [
        JSON.stringify(rootRecord({ eventID: 'line-1' })),
        '',
        '{"not json',
        '   ',
        '"a string"',
        JSON.stringify(logFile([rootRecord({ eventID: 'line-6a' }), userRecord()])),
        JSON.stringify(eventBridgeEvent(rootRecord({ eventID: 'line-7' }))),
      ].join('\r\n'),
    );

    const read = await collect([path]);

    expect(read.rootEventIds).toEqual(['line-1', 'line-7']);
    expect(read.problems).toEqual([
      expect.stringMatching(new RegExp(`^${path}:3: not valid JSON`)),
      `${path}:5: expected a JSON object (an EventBridge event, a CloudTrail record or {"Records": [...]}), got a string`,
      `${path}:6: expected a JSON object (an EventBridge event, a CloudTrail record or {"Records": [...]}), got a string`,
    ]);
    expect(read.counts.get(path)).toBe(2);
  });

  it('names a JSON lines file whose gzip stream breaks off', async () => {
    const root = scratch();
    const lines = Array.from({ length: 200 }, (_, index) =>
      JSON.stringify(index === 0 ? rootRecord({ eventID: 'first-line' }) : userRecord()),
    ).join('\n');
    const path = join(root, 'broken.jsonl.gz');
    await import('node:fs/promises').then(({ writeFile: write }) =>
      write(path, gzipSync(lines).subarray(0, 600)),
    );

    const read = await collect([path]);

    expect(read.problems).toEqual([expect.stringMatching(/broken\.jsonl\.gz: corrupt gzip data/)]);
    // The lines before the break are still read: their root events are not lost with the rest.
    expect(read.rootEventIds).toEqual(['first-line']);
  });

  it('reads one JSON line holding a whole log file', async () => {
    const root = scratch();
    const path = writeFile(
      root,
      'log-per-line.jsonl',
      `${logFile([rootRecord({ eventID: 'in-log' }), userRecord(), userRecord()])}\n`,
    );

    const read = await collect([path]);

    expect(read.problems).toEqual([]);
    expect(read.rootEventIds).toEqual(['in-log']);
    expect(read.counts.get(path)).toBe(3);
  });
});

describe('readTrailLog', () => {
  const candidatesOf = (text: string) => readTrailLog(Buffer.from(text));

  it('delimits records whose strings hold brackets, braces and escaped quotes', () => {
    const tricky = userRecord({ userAgent: 'a "quoted" {agent} [x] \\', errorMessage: '}]},{' });
    const log = candidatesOf(logFile([tricky, rootRecord({ eventID: 'kept' }), tricky]));

    expect(log?.records).toBe(3);
    expect(log?.candidates.map((text) => JSON.parse(text).eventID)).toEqual(['kept']);
  });

  it('accepts whitespace between tokens and an empty list', () => {
    expect(candidatesOf(' {\n "Records" : [ ] }\n')).toEqual({ records: 0, candidates: [] });
    expect(
      candidatesOf(
        '{"Records":[\n  {"a": 1} ,\n  {"b": [true, null, -1.5e3, 0, {}, [], "\\u00e9\\n"]}\n]}',
      )?.records,
    ).toBe(2);
  });

  it('leaves every other document to the full parser', () => {
    for (const text of [
      '{"Records":[{"a":1}],"Extra":1}',
      '{"Other":[],"Records":[]}',
      '{"Rec\\u006frds":[]}',
      '{"Records":[{"a":1},]}',
      '{"Records":[{"a":1}',
      '{"Records":[{"a":bogus}]}',
      '{"Records":[{"a":tru e}]}',
      '{"Records":[{"a":1,}]}',
      '{"Records":[{"a" 1}]}',
      '{"Records":[{"a":1 "b":2}]}',
      '{"Records":[{"a":[1,]}]}',
      '{"Records":[{"a":01}]}',
      '{"Records":[{"a":1.}]}',
      '{"Records":[{"a":"\\x"}]}',
      '{"Records":[{"a":"\\u12g4"}]}',
      '{"Records":[{1:2}]}',
      '{"Records":[{"a":[1}]}',
      '{"Records":[1]}',
      '{"Records":[{"a":"unterminated}]}',
      '[]',
    ]) {
      expect(candidatesOf(text), text).toBeUndefined();
    }
  });

  it('accepts a mutated log only when JSON.parse does, with the same number of records', () => {
    const original = logFile([
      userRecord({
        userAgent: 'agent "x" \\ {y}',
        requestParameters: { list: [1, -2.5e-3, true] },
      }),
      rootRecord(),
      userRecord({ responseElements: { ok: false, none: null, nested: [[], {}] } }),
    ]);
    // Only bytes JSON gives meaning to, so any defect is one of grammar, not of encoding.
    const alphabet = '{}[],:"\\ 019-.eEtrufalsnx';
    const next = seeded(248);
    let accepted = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const at = next(original.length);
      const text =
        original.slice(0, at) + alphabet.charAt(next(alphabet.length)) + original.slice(at + 1);
      const log = readTrailLog(Buffer.from(text));
      let parsed: { Records?: unknown } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (log === undefined) continue;
      accepted++;
      expect(parsed, text).toBeDefined();
      expect(Array.isArray(parsed?.Records), text).toBe(true);
      const records = parsed?.Records as unknown[];
      expect(records.length, text).toBe(log.records);
      expectRootRecordsAmongCandidates(records, log.candidates, text);
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('keeps every root record, however its JSON is written, among the candidates', () => {
    const next = seeded(1009);
    const pick = <T>(choices: readonly T[]): T => choices[next(choices.length)] as T;
    const space = (): string =>
      Array.from({ length: pick([0, 0, 0, 1, 2]) }, () => pick([' ', '\t', '\r', '\n'])).join('');
    /**
     * How often a character of a string is written as a `\u` escape: never, rarely, often, or
     * only in the strings `Root` (so a root identity is spelled with escapes and nothing else in
     * its record is).
     */
    type Escaping = (value: string) => number;
    const escapings: readonly Escaping[] = [
      () => 0,
      () => 0,
      () => 1 / 50,
      () => 1 / 5,
      (value) => (value === 'Root' ? 1 / 2 : 0),
    ];
    /** A string as JSON may write it, with `\u` escapes in either case of hex. */
    const stringJson = (value: string, escaping: Escaping): string => {
      const rate = escaping(value);
      let out = '"';
      for (const char of value) {
        const code = char.charCodeAt(0);
        if (code < 0x20 || next(1000) < rate * 1000) {
          const hex = code.toString(16).padStart(4, '0');
          out += `\\u${next(2) === 0 ? hex : hex.toUpperCase()}`;
        } else if (char === '"' || char === '\\') out += `\\${char}`;
        else if (char === '/' && next(2) === 0) out += '\\/';
        else out += char;
      }
      return `${out}"`;
    };
    const json = (value: unknown, escaping: Escaping): string => {
      if (typeof value === 'string') return stringJson(value, escaping);
      if (Array.isArray(value)) {
        const items = value.map((item) => `${json(item, escaping)}${space()}`);
        return `[${space()}${items.join(`,${space()}`)}]`;
      }
      if (typeof value === 'object' && value !== null) {
        const members = Object.entries(value).map(
          ([key, item]) =>
            `${stringJson(key, escaping)}${space()}:${space()}${json(item, escaping)}${space()}`,
        );
        return `{${space()}${members.join(`,${space()}`)}}`;
      }
      return JSON.stringify(value);
    };
    /** Strings that hold `Root` without being a root identity, to lure the scanner. */
    const lures = ['Root', 'Root"', 'x"Root"y', 'Root\\', '\\"Root', 'rOOT', 'Ro\u0000ot'];
    const record = (): Record<string, unknown> => {
      const kind = next(4);
      if (kind === 0) return rootRecord(next(3) === 0 ? { assumedRoot: true } : {});
      if (kind === 1) return userRecord();
      return userRecord({
        userIdentity: { type: pick(['Root ', 'root', 'AssumedRole', 'Roo', 'RootUser']) },
        requestParameters: { type: pick(lures), nested: [{ type: 'Root' }, [pick(lures)]] },
        userAgent: pick(lures),
      });
    };

    let roots = 0;
    let escapedRoots = 0;
    let records = 0;
    let candidates = 0;
    for (let trial = 0; trial < 300; trial++) {
      const recordTexts = Array.from({ length: next(8) }, () => {
        const value = record();
        const text = json(value, pick(escapings));
        if (isRootRecord(value)) {
          roots++;
          if (!text.includes('Root"')) escapedRoots++;
        }
        return text;
      });
      const text = `${space()}{${space()}"Records"${space()}:${space()}[${space()}${recordTexts.join(`${space()},${space()}`)}${space()}]${space()}}${space()}`;
      const { Records } = JSON.parse(text) as { Records: unknown[] };

      const log = readTrailLog(Buffer.from(text));

      expect(log, text).toBeDefined();
      expect(log?.records, text).toBe(Records.length);
      expectRootRecordsAmongCandidates(Records, log?.candidates ?? [], text);
      records += Records.length;
      candidates += log?.candidates.length ?? 0;
    }
    // The trials spelled root identities both ways, and the scanner did leave records out.
    expect(roots).toBeGreaterThan(100);
    expect(escapedRoots).toBeGreaterThan(20);
    expect(records - candidates).toBeGreaterThan(50);
  });
});
