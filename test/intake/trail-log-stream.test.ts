import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/intake/input-error.js';
import { readTrailLog } from '../../src/intake/trail-log.js';
import {
  NotATrailLogError,
  TrailLogScanner,
  trailLogParts,
} from '../../src/intake/trail-log-stream.js';
import { logFile, rootRecord, userRecord } from '../cli/trail-files.js';

/** The bytes cut into pieces of `size`, as a network or gunzip hands them on. */
async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const readAll = async (bytes: Buffer, size: number) => {
  let records = 0;
  const eventIds: string[] = [];
  for await (const part of trailLogParts(chunksOf(bytes, size), 'log.json')) {
    records += part.records;
    eventIds.push(...part.rootEvents.map((event) => event.eventId));
  }
  return { records, eventIds };
};

const sample = () => {
  const records = [
    userRecord(),
    rootRecord({ userAgent: 'tab\there "quoted" \\ back' }),
    userRecord({ requestParameters: { nested: [1, -2.5e3, true, false, null, { a: [] }] } }),
    rootRecord({ userIdentity: { type: 'R\u006fot' } }),
    userRecord(),
  ];
  return { records, text: `\ufeff  ${logFile(records).replace(',', ' ,\n ')}\n` };
};

describe('Function: trailLogParts', () => {
  it('reads the same records and root events as the whole-file reader, however the bytes are cut', async () => {
    const { records, text } = sample();
    const bytes = Buffer.from(text);
    const whole = readTrailLog(bytes, 3);
    expect(whole?.records).toBe(records.length);
    for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const read = await readAll(bytes, size);
      expect(read.records, `chunks of ${size}`).toBe(records.length);
      expect(read.eventIds, `chunks of ${size}`).toEqual(
        records.filter((r) => JSON.stringify(r).includes('Root')).map((r) => r.eventID),
      );
    }
  });

  it('reads an empty Records array', async () => {
    expect(await readAll(Buffer.from('{"Records": [ ]}'), 3)).toEqual({ records: 0, eventIds: [] });
  });

  it.each([
    ['a truncated file', (text: string) => text.slice(0, -40), /ends before the log does/],
    ['a trailing comma', (text: string) => text.replace(/\]\}\s*$/, ',]}'), /expected a record/],
    ['a bad literal', (text: string) => text.replace('true', 'ture'), /malformed record at byte/],
    ['a bad escape', (text: string) => text.replace('\\\\', '\\x'), /malformed record/],
    ['data after the end', (text: string) => `${text} {}`, /data after the end/],
  ])('names the byte of %s', async (_, spoil, message) => {
    const bytes = Buffer.from(spoil(logFile([userRecord(), rootRecord({ userAgent: 'a\\b' })])));
    for (const size of [5, 4096]) {
      await expect(readAll(bytes, size)).rejects.toThrow(message);
      await expect(readAll(bytes, size)).rejects.toBeInstanceOf(InputError);
    }
  });

  it('tells another document from a broken log, before any record', async () => {
    for (const text of ['{"detail": {}}', '[1]', '', '{"Rec": 1}']) {
      await expect(readAll(Buffer.from(text), 2)).rejects.toBeInstanceOf(NotATrailLogError);
    }
  });

  it('refuses a record larger than the bound instead of holding it', () => {
    const scanner = new TrailLogScanner('huge.json');
    scanner.write(Buffer.from('{"Records":[{"a":"'));
    const filler = Buffer.alloc(1024 * 1024, 0x61);
    expect(() => {
      for (let i = 0; i < 20; i++) scanner.write(filler);
    }).toThrow(/larger than 16777216 bytes at byte 12/);
  });
});
