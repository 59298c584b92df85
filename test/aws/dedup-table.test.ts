import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DedupTable } from '../../src/aws/dedup-table.js';
import type { ClaimRequest } from '../../src/dedup/claim.js';
import { dedupStoreContract } from '../dedup/dedup-store-contract.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { losingAnswers } from '../support/lossy-dynamodb.js';

useMoto();

const MINUTE = 60_000;
const T0 = Date.parse('2026-10-01T12:00:00Z');
let tableName: string;
const client = new DynamoDBClient();

const request = (key: string, eventId: string, at: number, minutes = 15): ClaimRequest => ({
  key,
  eventId,
  at,
  until: at + minutes * MINUTE,
});

const uniqueKey = (): string => `test#${randomUUID()}`;

const storedItem = async (key: string) => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
  );
  return Item;
};

beforeAll(async () => {
  tableName = await createDedupTable('root-monitor-dedup', client);
});

dedupStoreContract('DedupTable on DynamoDB', () => new DedupTable(tableName, client));

describe('DedupTable', () => {
  describe('claim', () => {
    it('stores the window with expiresAt in epoch seconds, rounded up, as TTL needs', async () => {
      const key = uniqueKey();
      const claim = { key, eventId: 'e1', at: T0, until: T0 + 15 * MINUTE + 1 };

      await new DedupTable(tableName, client).claim(claim);

      expect(await storedItem(key)).toEqual({
        pk: { S: key },
        eventId: { S: 'e1' },
        claimToken: { S: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        expiresAt: { N: String(T0 / 1000 + 15 * 60 + 1) },
        suppressed: { N: '0' },
      });
    });

    it('takes a window its own lost first attempt opened for its own, not for a redelivery', async () => {
      const key = uniqueKey();
      const store = new DedupTable(tableName, losingAnswers('PutItemCommand', 'first'));

      const outcome = await store.claim(request(key, 'e1', T0));

      expect(outcome).toEqual({ kind: 'claimed', suppressedBefore: 0 });
      expect((await storedItem(key))?.eventId).toEqual({ S: 'e1' });
    });

    it('replaces an expired window that DynamoDB has not deleted yet, reporting its count', async () => {
      const key = uniqueKey();
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: key },
            eventId: { S: 'old' },
            expiresAt: { N: String(T0 / 1000 - 60) },
            suppressed: { N: '3' },
          },
        }),
      );

      const outcome = await new DedupTable(tableName, client).claim(request(key, 'new', T0));

      expect(outcome).toEqual({ kind: 'claimed', suppressedBefore: 3 });
      expect((await storedItem(key))?.eventId).toEqual({ S: 'new' });
    });

    it('counts suppressed events on the open window', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));

      await store.claim(request(key, 'e2', T0 + MINUTE));
      await store.claim(request(key, 'e3', T0 + 2 * MINUTE));

      expect(await storedItem(key)).toMatchObject({ eventId: { S: 'e1' }, suppressed: { N: '2' } });
    });

    it('leaves the window untouched when its opener is redelivered', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      const before = await storedItem(key);

      await store.claim(request(key, 'e1', T0));

      expect(await storedItem(key)).toEqual(before);
    });

    it('fails loudly when the table cannot be written, so the caller can alert anyway', async () => {
      const store = new DedupTable(`missing-${randomUUID().slice(0, 8)}`, client);

      await expect(store.claim(request(uniqueKey(), 'e1', T0))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });
  });

  describe('release', () => {
    it('undoes a claim whose outcome was never known, so the retry of its alert is not a redelivery', async () => {
      const key = uniqueKey();
      const store = new DedupTable(tableName, losingAnswers('PutItemCommand', 'every'));
      const claim = request(key, 'e1', T0);
      await expect(store.claim(claim)).rejects.toThrow('socket hang up');
      expect((await storedItem(key))?.eventId).toEqual({ S: 'e1' });

      await store.release(claim);
      const retried = await new DedupTable(tableName, client).claim(claim);

      expect(retried).toEqual({ kind: 'claimed', suppressedBefore: 0 });
    });

    it("leaves another invocation's window alone, even one opened by the same event", async () => {
      const key = uniqueKey();
      const claim = request(key, 'e1', T0);
      const first = new DedupTable(tableName, client);
      await first.claim(claim);
      const before = await storedItem(key);

      await new DedupTable(tableName, client).release(claim);
      await first.claim(claim);
      await new DedupTable(tableName, client).release(claim);

      expect(await storedItem(key)).toEqual(before);
    });

    it('puts back the exact window a released claim replaced', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      await store.claim(request(key, 'e2', T0 + MINUTE));
      const replaced = await storedItem(key);
      const retry = request(key, 'e3', T0 + 20 * MINUTE);
      await store.claim(retry);

      await store.release(retry);

      expect(await storedItem(key)).toEqual(replaced);
    });

    it('turns a window that replaced nothing into an expired one that no event opened', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      const claim = request(key, 'e1', T0);
      await store.claim(claim);

      await store.release(claim);

      expect(await storedItem(key)).toEqual({
        pk: { S: key },
        eventId: { S: '(released)' },
        expiresAt: { N: String(T0 / 1000) },
        suppressed: { N: '0' },
      });
    });
  });
});
