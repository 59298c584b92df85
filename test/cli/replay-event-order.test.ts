import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { runCli } from './run-cli.js';

type Line = Record<string, unknown>;

/** A root call at `time` (UTC, on 2026-03-14) from `address`: root-activity collapses such calls. */
const callAt = (id: string, time: string, address = '198.51.100.23') =>
  rootRecord({ eventID: id, eventTime: `2026-03-14T${time}Z`, sourceIPAddress: address });

/** Writes CloudTrail log files (`{"Records": [...]}`) into a new folder, named in replay order. */
const archiveOf = (files: Record<string, readonly object[]>): string => {
  const root = mkdtempSync(join(tmpdir(), 'root-monitor-order-'));
  for (const [name, records] of Object.entries(files)) {
    writeFileSync(join(root, name), JSON.stringify({ Records: records }));
  }
  return root;
};

const replayJson = async (path: string): Promise<Line[]> => {
  const result = await runCli(['replay', '--format', 'json', path]);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
};

const decisionsOf = (lines: readonly Line[]) => lines.map((line) => line.decision);

/** One console session: an alert at 10:00:00, a burst just before it, then an hour of history. */
const opener = callAt('opener', '10:00:00');
const burst = ['09:59:50', '09:59:51', '09:59:52'].map((time, i) => callAt(`burst-${i}`, time));
const history = Array.from({ length: 30 }, (_, minute) =>
  callAt(`history-${minute}`, `09:${String(minute).padStart(2, '0')}:00`),
);

describe('root-monitor replay: one session, one alert, whatever the order events arrive in', () => {
  it('counts the older events a later trail file brings in the window already open: 1 alert, a digest of 33', async () => {
    const lines = await replayJson(archiveOf({ '1.json': [opener, ...burst], '2.json': history }));

    expect(decisionsOf(lines)).toEqual(['alert', ...Array(33).fill('duplicate'), 'digest']);
    expect(lines.at(-1)).toMatchObject({
      events: 33,
      // Every counted event, the oldest included: the first is an hour before the alert.
      firstEventTime: '2026-03-14T09:00:00Z',
      lastEventTime: '2026-03-14T10:00:00Z',
      beforeAlert: 30,
    });
  });

  it('sorts a log file’s records by event time: all 34 in one file give one alert per 15-minute window, in time order', async () => {
    const lines = await replayJson(archiveOf({ 'all.json': [opener, ...burst, ...history] }));

    expect(
      lines
        .filter((line) => line.decision === 'alert')
        .map((line) => [line.eventId, line.eventTime]),
    ).toEqual([
      ['history-0', '2026-03-14T09:00:00Z'],
      ['history-15', '2026-03-14T09:15:00Z'],
      ['burst-0', '2026-03-14T09:59:50Z'],
    ]);
    expect(lines.filter((line) => line.decision === 'digest').map((line) => line.events)).toEqual([
      14, 14, 3,
    ]);
  });

  it('keeps the order of a file of EventBridge deliveries: it is a recording of arrivals', async () => {
    const root = mkdtempSync(join(tmpdir(), 'root-monitor-arrivals-'));
    const path = join(root, 'arrivals.jsonl');
    writeFileSync(
      path,
      `${[opener, burst[0]].map((record) => JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: record })).join('\n')}\n`,
    );

    const lines = await replayJson(path);

    expect(lines.map((line) => [line.eventId, line.decision])).toEqual([
      ['opener', 'alert'],
      ['burst-0', 'duplicate'],
      [undefined, 'digest'],
    ]);
  });
});

/** A small seeded generator, so a failing archive can be run again. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return (below: number): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
};

const shuffled = <T>(items: readonly T[], random: (below: number) => number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

/**
 * An archive of a few keys whose events span several windows over three hours, each second
 * used once, dealt into files out of time order as CloudTrail writes them.
 */
const randomArchive = (random: (below: number) => number): object[][] => {
  const seconds = shuffled(
    Array.from({ length: 3 * 3600 }, (_, second) => second),
    random,
  ).slice(0, 60);
  const records = seconds.map((second, i) => {
    const time = new Date(Date.parse('2026-03-14T08:00:00Z') + second * 1000);
    return callAt(`r-${i}`, time.toISOString().slice(11, 19), `203.0.113.${1 + random(3)}`);
  });
  const files: object[][] = [[], [], [], []];
  for (const record of records) files[random(files.length)]?.push(record);
  return files;
};

describe('root-monitor replay: property: shuffling the records inside each log file changes nothing', () => {
  it.each([1, 2, 3])('random archive %i', async (seed) => {
    const random = seeded(seed);
    const files = randomArchive(random);
    const asWritten = archiveOf(
      Object.fromEntries(files.map((records, i) => [`${i}.json`, records])),
    );
    const reshuffled = mkdtempSync(join(tmpdir(), 'root-monitor-shuffled-'));
    mkdirSync(reshuffled, { recursive: true });
    for (const [i, records] of files.entries()) {
      writeFileSync(
        join(reshuffled, `${i}.json`),
        JSON.stringify({ Records: shuffled(records, random) }),
      );
    }

    const [original, shuffledRun] = await Promise.all([
      runCli(['replay', '--format', 'json', asWritten]),
      runCli(['replay', '--format', 'json', reshuffled]),
    ]);

    expect(original.status).toBe(0);
    expect(
      decisionsOf(
        original.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Line),
      ),
    ).toContain('digest');
    expect(shuffledRun.stdout).toBe(original.stdout);
    expect(shuffledRun.stderr).toBe(original.stderr);
  });
});
