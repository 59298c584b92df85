import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { RootSessionTable } from '../../src/aws/root-session-table.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { EXAMPLE_ROOT_SESSION } from '../support/root-session-case.js';

useMoto();

const NOW = Date.parse('2026-05-04T10:00:00Z');
const session = EXAMPLE_ROOT_SESSION;

describe('RootSessionTable (moto)', () => {
  it('finds a session by its key as it was remembered, and nothing under another key', async () => {
    const table = new RootSessionTable(await createDedupTable(), new DynamoDBClient(), () => NOW);
    await table.remember(session);
    await table.remember({
      ...session,
      accessKeyId: 'ASIAOTHERSESSION0001',
      openedByRole: undefined,
    });

    expect(await table.find(session.accessKeyId)).toEqual(session);
    expect(await table.find('ASIAOTHERSESSION0001')).toEqual({
      ...session,
      accessKeyId: 'ASIAOTHERSESSION0001',
      openedByRole: undefined,
    });
    expect(await table.find('ASIANEVERREMEMBERED1')).toBeUndefined();
    expect(await table.find('not a key')).toBeUndefined();
  });

  it('forgets a session a day after it ended, whether or not the TTL sweep has run', async () => {
    const tableName = await createDedupTable();
    const writer = new RootSessionTable(tableName, new DynamoDBClient(), () => NOW);
    await writer.remember(session);
    const dayLater = (ms: number) =>
      new RootSessionTable(tableName, new DynamoDBClient(), () => session.expiresAt + ms);

    expect(await dayLater(24 * 3_600_000 - 1_000).find(session.accessKeyId)).toEqual(session);
    expect(await dayLater(24 * 3_600_000).find(session.accessKeyId)).toBeUndefined();
  });

  it('joins nothing half-written: an item under the key that lacks a field is no session', async () => {
    const tableName = await createDedupTable();
    await new DynamoDBClient().send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `root-session#${session.accessKeyId}` },
          accessKeyId: { S: session.accessKeyId },
          openedBy: { S: session.openedBy },
          expiresAt: { N: String(NOW / 1000 + 3600) },
        },
      }),
    );
    const table = new RootSessionTable(tableName, new DynamoDBClient(), () => NOW);
    expect(await table.find(session.accessKeyId)).toBeUndefined();
  });
});
