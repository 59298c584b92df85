import { randomUUID } from 'node:crypto';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEDUP_TABLE_TTL_ATTRIBUTE } from '../../src/aws/dedup-table-shape.js';
import { FirstSeenTable, LEARNING_KEY, sourceKeyOf } from '../../src/aws/first-seen-table.js';
import { FIRST_USE_MS, type Sighting } from '../../src/first-seen/first-seen.js';
import type { FirstSeenSettings } from '../../src/first-seen/first-seen-settings.js';
import { createDedupTable } from '../support/dedup-table.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

const DAY = 24 * 60 * 60_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-14T03:00:00Z');
const ACCOUNT = '111122223333';
const NOT_LEARNING: FirstSeenSettings = { days: 90, learningDays: 0 };

const client = new DynamoDBClient();

/** A table of its own per test: the learning start is one item per table. */
const freshTable = async () => createDedupTable('first-seen');

/**
 * The memory on `tableName`, its calls through the proxy, which applies moto's writes one at a
 * time as DynamoDB applies an item's updates; `calls` lists the operations it sent.
 */
const memoryOn = (tableName: string, settings: FirstSeenSettings = NOT_LEARNING) => {
  const { dynamodb } = clientsThrough(proxy);
  const calls: string[] = [];
  dynamodb.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(context.commandName?.replace(/Command$/, '') ?? '');
      return next(args);
    },
    { step: 'initialize' },
  );
  return { memory: new FirstSeenTable(tableName, dynamodb, settings), calls };
};

/** A new address for each test, so that no test meets another's source. */
const newSource = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 4)}`;

const sighting = (source: string, at: number, overrides: Partial<Sighting> = {}): Sighting => ({
  accountId: ACCOUNT,
  source,
  eventId: randomUUID(),
  at,
  now: at,
  ...overrides,
});

const itemOf = async (tableName: string, key: string) =>
  (
    await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
    )
  ).Item;

describe('FirstSeenTable: the sources root used, in the dedup table (moto)', () => {
  let tableName: string;
  beforeAll(async () => {
    tableName = await freshTable();
  });

  it('finds a new source first seen, then seen; each sighting moves its TTL to days after it', async () => {
    const { memory, calls } = memoryOn(tableName);
    const source = newSource();

    expect(await memory.sighting(sighting(source, T0))).toEqual({
      kind: 'first-seen',
      source,
      days: 90,
    });
    const key = sourceKeyOf(ACCOUNT, source);
    expect(await itemOf(tableName, key)).toMatchObject({
      [DEDUP_TABLE_TTL_ATTRIBUTE]: { N: String((T0 + 90 * DAY) / 1000) },
      firstSeenAt: { N: String(T0) },
    });

    expect(await memory.sighting(sighting(source, T0 + 30 * DAY))).toBeUndefined();
    expect(await itemOf(tableName, key)).toMatchObject({
      [DEDUP_TABLE_TTL_ATTRIBUTE]: { N: String((T0 + 120 * DAY) / 1000) },
      firstSeenAt: { N: String(T0) },
      lastSeenAt: { N: String(T0 + 30 * DAY) },
    });
    // One UpdateItem a sighting; without learning, nothing else.
    expect(calls).toEqual(['UpdateItem', 'UpdateItem']);
  });

  it('writes the TTL in whole seconds rounded up, in the attribute the table’s TTL reads', async () => {
    const { memory } = memoryOn(tableName);
    const source = newSource();
    const at = T0 + 1_234;

    await memory.sighting(sighting(source, at));

    expect((await itemOf(tableName, sourceKeyOf(ACCOUNT, source)))?.expiresAt).toEqual({
      N: String(Math.ceil((at + 90 * DAY) / 1000)),
    });
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    expect(TimeToLiveDescription).toMatchObject({
      AttributeName: DEDUP_TABLE_TTL_ATTRIBUTE,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('finds a source first seen again once its TTL has passed, though DynamoDB has not deleted it yet', async () => {
    // moto never expires items by TTL, as DynamoDB may take days to: the item is still there.
    const { memory } = memoryOn(tableName, { days: 1, learningDays: 0 });
    const source = newSource();
    await memory.sighting(sighting(source, T0));

    expect(await memory.sighting(sighting(source, T0 + DAY - MINUTE))).toBeUndefined();
    const later = T0 + DAY - MINUTE + DAY;
    expect(await memory.sighting(sighting(source, later))).toMatchObject({ kind: 'first-seen' });
    expect(await itemOf(tableName, sourceKeyOf(ACCOUNT, source))).toMatchObject({
      firstSeenAt: { N: String(later) },
      expiresAt: { N: String((later + DAY) / 1000) },
    });
    // Its first use starts again there: a minute on, it is known.
    expect(await memory.sighting(sighting(source, later + 2 * MINUTE))).toBeUndefined();
  });

  it('finds a source first seen again when a stored item says its TTL passed', async () => {
    const { memory } = memoryOn(tableName);
    const source = newSource();
    // As DynamoDB may still hold an item whose TTL passed days ago.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: sourceKeyOf(ACCOUNT, source) },
          firstSeenAt: { N: String(T0 - 200 * DAY) },
          lastSeenAt: { N: String(T0 - 95 * DAY) },
          expiresAt: { N: String((T0 - 5 * DAY) / 1000) },
        },
      }),
    );

    expect(await memory.sighting(sighting(source, T0))).toMatchObject({ kind: 'first-seen' });
  });

  it('finds every event within a minute of a source’s first use first seen: its burst, retries and late readings', async () => {
    const { memory } = memoryOn(tableName);
    const source = newSource();
    const first = sighting(source, T0);
    expect(await memory.sighting(first)).toMatchObject({ kind: 'first-seen' });
    // The rest of its burst, delivered at once: each sighting is applied after another.
    const burst = await Promise.all(
      [5_000, 20_000, 20_000].map((offset) => memory.sighting(sighting(source, T0 + offset))),
    );

    expect(burst.map((answer) => answer?.kind)).toEqual(['first-seen', 'first-seen', 'first-seen']);
    // The first event again (Lambda's retry, a redelivery), minutes later by the wall clock.
    expect(await memory.sighting({ ...first, now: T0 + 3 * MINUTE })).toMatchObject({
      kind: 'first-seen',
    });
    // An event older than the first use, read late from a trail file.
    expect(await memory.sighting(sighting(source, T0 - 10 * MINUTE))).toMatchObject({
      kind: 'first-seen',
    });
    expect(await memory.sighting(sighting(source, T0 + FIRST_USE_MS))).toBeUndefined();
  });

  it('remembers each source per account', async () => {
    const { memory } = memoryOn(tableName);
    const source = newSource();
    await memory.sighting(sighting(source, T0));

    expect(
      await memory.sighting(sighting(source, T0 + DAY, { accountId: '444455556666' })),
    ).toMatchObject({ kind: 'first-seen' });
  });
});

describe('FirstSeenTable: learning, from the monitor’s first sighting (moto)', () => {
  const LEARNING: FirstSeenSettings = { days: 90, learningDays: 7 };

  it('writes the start once, marks first-seen sources as learning until the days are over, then raises', async () => {
    const tableName = await freshTable();
    const first = memoryOn(tableName, LEARNING);

    expect(await first.memory.sighting(sighting(newSource(), T0))).toMatchObject({
      kind: 'learning',
      learningUntil: T0 + 7 * DAY,
    });
    expect([...first.calls].sort()).toEqual(['PutItem', 'UpdateItem']);
    const start = await itemOf(tableName, LEARNING_KEY);
    expect(start).toEqual({ pk: { S: LEARNING_KEY }, startedAt: { N: String(T0) } });
    // Never deleted by TTL: it has no expiry.
    expect(start).not.toHaveProperty(DEDUP_TABLE_TTL_ATTRIBUTE);

    // The container asks once.
    await first.memory.sighting(sighting(newSource(), T0 + DAY));
    expect(first.calls.filter((call) => call === 'PutItem')).toHaveLength(1);

    // Another container reads the start the first wrote, and keeps it.
    const other = memoryOn(tableName, LEARNING);
    expect(await other.memory.sighting(sighting(newSource(), T0 + 6 * DAY))).toMatchObject({
      kind: 'learning',
      learningUntil: T0 + 7 * DAY,
    });
    expect(await other.memory.sighting(sighting(newSource(), T0 + 7 * DAY))).toEqual(
      expect.objectContaining({ kind: 'first-seen' }),
    );
    expect(await itemOf(tableName, LEARNING_KEY)).toEqual(start);
    // A source seen before is no mark at all, learning or not.
    const known = newSource();
    await other.memory.sighting(sighting(known, T0 + DAY));
    expect(await other.memory.sighting(sighting(known, T0 + 2 * DAY))).toBeUndefined();
  });

  it('measures learning by the wall clock, not the event’s time', async () => {
    const tableName = await freshTable();
    const { memory } = memoryOn(tableName, LEARNING);
    await memory.sighting(sighting(newSource(), T0));

    // An old event read now, after learning.
    expect(
      await memory.sighting(sighting(newSource(), T0 - 30 * DAY, { now: T0 + 8 * DAY })),
    ).toMatchObject({ kind: 'first-seen' });
  });

  it('writes no start and raises from the first with no learning days', async () => {
    const tableName = await freshTable();
    const { memory, calls } = memoryOn(tableName, NOT_LEARNING);

    expect(await memory.sighting(sighting(newSource(), T0))).toMatchObject({ kind: 'first-seen' });
    expect(calls).toEqual(['UpdateItem']);
    expect(await itemOf(tableName, LEARNING_KEY)).toBeUndefined();
  });
});
