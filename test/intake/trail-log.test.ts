import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import { rootUsage } from '../../src/engine/root-usage.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';
import { couldBeRoot, readTrailLog } from '../../src/intake/trail-log.js';
import { trailLogParts } from '../../src/intake/trail-log-stream.js';
import { logFile, userRecord } from '../cli/trail-files.js';

/** Every rule case the engine counts as root usage, whoever its caller. */
const ROOT_USAGE_RECORDS = CATALOG.flatMap((rule) => rule.tests())
  .map((ruleCase) => ruleCase.record)
  .filter((record) => rootUsage(toTrailEvent(record)).root);

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

describe('the records a log file reader parses', () => {
  it('include every record the engine counts as root usage, non-root callers among them', async () => {
    const nonRoot = ROOT_USAGE_RECORDS.filter(
      (record) => toTrailEvent(record).identityType !== 'Root',
    );
    expect(nonRoot.length).toBeGreaterThan(10);
    const records = ROOT_USAGE_RECORDS.flatMap((record) => [userRecord(), record]);
    const bytes = Buffer.from(logFile(records));

    for (const record of ROOT_USAGE_RECORDS) {
      expect(couldBeRoot(Buffer.from(JSON.stringify(record)))).toBe(true);
    }
    expect(readTrailLog(bytes)?.candidates.map((text) => JSON.parse(text))).toEqual(
      ROOT_USAGE_RECORDS,
    );
    const streamed = [];
    for await (const part of trailLogParts(once(bytes), 'log.json')) {
      streamed.push(...part.rootEvents.map((event) => event.record));
    }
    expect(streamed).toEqual(ROOT_USAGE_RECORDS);
  });

  it('take a source whose calls the engine then narrows by the parsed record', () => {
    const own = userRecord({
      eventSource: 'account.amazonaws.com',
      eventName: 'PutAlternateContact',
      requestParameters: { alternateContactType: 'SECURITY' },
    });
    // The source is enough to make it a candidate; the parsed record is not root usage.
    expect(couldBeRoot(Buffer.from(JSON.stringify(own)))).toBe(true);
    expect(rootUsage(toTrailEvent(own)).root).toBe(false);
    expect(couldBeRoot(Buffer.from(JSON.stringify(userRecord())))).toBe(false);
  });
});
