import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOUNDED_CALLS } from '../../src/aws/bounded-calls.js';
import { DedupTable } from '../../src/aws/dedup-table.js';
import { DigestTable } from '../../src/aws/digest-table.js';
import { MINUTE, request, rootRequest, T0, uniqueKey } from '../dedup/claim-requests.js';
import { dedupStoreContract } from '../dedup/dedup-store-contract.js';
import { createDedupTable } from '../support/dedup-table.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy({ stallMs: 1_000 });

let tableName: string;
const client = new DynamoDBClient();

const storedItem = async (key: string) => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
  );
  return Item;
};

/**
 * How many requests met `fault` so far. The proxy's record runs on across the file: a test
 * compares the count after with the count before.
 */
const faultsMet = (fault: 'lose-answer' | 'stall'): number =>
  proxy.seen.filter((seen) => seen.fault === fault).length;

/** A table whose calls go through the fault proxy. */
const faultyTable = (options?: Parameters<typeof clientsThrough>[1]) =>
  new DedupTable(tableName, clientsThrough(proxy, options).dynamodb);

beforeAll(async () => {
  tableName = await createDedupTable('root-monitor-dedup', client);
});

// Through the proxy without faults: it makes moto's conditional writes atomic, as DynamoDB's are.
dedupStoreContract('DedupTable and DigestTable on DynamoDB', () => {
  const { dynamodb } = clientsThrough(proxy, { requestTimeout: 3_000 });
  return {
    windows: new DedupTable(tableName, dynamodb),
    digests: new DigestTable(tableName, dynamodb),
  };
});

describe('DedupTable', () => {
  describe('claim', () => {
    it('stores a pending window: its token, its lease, its opening time, and expiresAt in epoch seconds rounded up for TTL', async () => {
      const key = uniqueKey();
      const claim = { ...request(key, 'e1', T0), until: T0 + 15 * MINUTE + 1 };

      await new DedupTable(tableName, client).claim(claim);

      expect(await storedItem(key)).toEqual({
        pk: { S: key },
        eventId: { S: 'e1' },
        claimToken: { S: claim.token },
        status: { S: 'pending' },
        leaseUntil: { N: String(claim.leaseUntil) },
        openedAt: { N: String(T0) },
        expiresAt: { N: String(T0 / 1000 + 15 * 60 + 1) },
        suppressed: { N: '0' },
        suppressedBefore: { N: '0' },
      });
    });

    it('marks it sent with the message id, lease gone', async () => {
      const key = uniqueKey();
      const claim = request(key, 'e1', T0);
      const store = new DedupTable(tableName, client);
      await store.claim(claim);

      expect(await store.markSent(claim, 'message-1')).toBe(true);

      const item = await storedItem(key);
      expect(item).toMatchObject({ status: { S: 'sent' }, messageId: { S: 'message-1' } });
      expect(item?.leaseUntil).toBeUndefined();
    });

    it('takes a window its own lost first attempt opened for its own, not for a redelivery', async () => {
      const key = uniqueKey();
      const lostBefore = faultsMet('lose-answer');
      proxy.inject({
        service: 'dynamodb',
        operation: 'UpdateItem',
        fault: 'lose-answer',
        times: 1,
      });

      const outcome = await faultyTable().claim(request(key, 'e1', T0));

      expect(outcome).toEqual({ kind: 'claimed', suppressedBefore: 0 });
      expect(faultsMet('lose-answer') - lostBefore).toBe(1);
      expect((await storedItem(key))?.eventId).toEqual({ S: 'e1' });
    });

    it('rides out throttling and server errors with the SDK retries', async () => {
      const key = uniqueKey();
      proxy.inject(
        { service: 'dynamodb', fault: 'throttle', times: 1 },
        { service: 'dynamodb', fault: 'unavailable', times: 1 },
      );

      expect(await faultyTable().claim(request(key, 'e1', T0))).toMatchObject({
        kind: 'claimed',
      });
    });

    it('replaces an expired window written before windows had states, reporting its count', async () => {
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

    it('counts suppressed events on the sent window', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      const opener = request(key, 'e1', T0);
      await store.claim(opener);
      await store.markSent(opener, 'm1');

      await store.claim(request(key, 'e2', T0 + MINUTE));
      await store.claim(request(key, 'e3', T0 + 2 * MINUTE));

      expect(await storedItem(key)).toMatchObject({ eventId: { S: 'e1' }, suppressed: { N: '2' } });
    });

    it('notes a counted root event under its own key, due for the digest, and counts it in the window', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      const opener = rootRequest(key, 'e1', T0);
      await store.claim(opener);
      await store.markSent(opener, 'm1');
      const counted = rootRequest(key, 'e2', T0 + MINUTE, { errorCode: 'AccessDenied' });

      await store.claim(counted);

      expect(await storedItem(key)).toMatchObject({ suppressed: { N: '1' } });
      expect(await storedItem(`event#${opener.eventId}`)).toMatchObject({
        status: { S: 'sent' },
        eventId: { S: opener.eventId },
      });
      expect(await storedItem(`event#${counted.eventId}`)).toMatchObject({
        status: { S: 'sent' },
        digestDue: { S: 'due' },
        countedIn: { S: `${key}#${opener.eventId}` },
        closesAt: { N: String(T0 + 15 * MINUTE) },
        errorCode: { S: 'AccessDenied' },
        ruleIds: { L: [{ S: 'root-activity' }] },
        // Kept a week past the window's close, for a digest held up by a broken schedule.
        expiresAt: { N: String((T0 + 15 * MINUTE) / 1000 + 7 * 24 * 3600) },
      });
    });

    it('counts a root event whose note was written by an attempt that lost its answer, not as a redelivery', async () => {
      const key = uniqueKey();
      const opener = rootRequest(key, 'e1', T0);
      const store = new DedupTable(tableName, client);
      await store.claim(opener);
      await store.markSent(opener, 'm1');
      const lostBefore = faultsMet('lose-answer');
      proxy.inject({ service: 'dynamodb', operation: 'PutItem', fault: 'lose-answer', times: 1 });

      const outcome = await faultyTable().claim(rootRequest(key, 'e2', T0 + MINUTE));

      expect(outcome).toEqual({ kind: 'duplicate', redelivery: false, openerId: opener.eventId });
      expect(faultsMet('lose-answer') - lostBefore).toBe(1);
      expect(await storedItem(key)).toMatchObject({ suppressed: { N: '1' } });
    });

    it('leaves the window untouched when its opener is redelivered', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      const opener = request(key, 'e1', T0);
      await store.claim(opener);
      await store.markSent(opener, 'm1');
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

    it('fails loudly when DynamoDB keeps stalling, within the bounded attempts', async () => {
      const stalledBefore = faultsMet('stall');
      proxy.inject({ service: 'dynamodb', fault: 'stall' });

      await expect(
        faultyTable({ requestTimeout: 300 }).claim(request(uniqueKey(), 'e1', T0)),
      ).rejects.toThrow();
      expect(faultsMet('stall') - stalledBefore).toBe(BOUNDED_CALLS.maxAttempts);
    });
  });

  describe('release', () => {
    it('frees a claim whose outcome was never known, so the retry of its alert is not held off', async () => {
      const key = uniqueKey();
      const claim = request(key, 'e1', T0);
      proxy.inject({ service: 'dynamodb', operation: 'UpdateItem', fault: 'lose-answer' });
      await expect(faultyTable().claim(claim)).rejects.toThrow();
      expect((await storedItem(key))?.eventId).toEqual({ S: 'e1' });

      proxy.inject();
      await faultyTable().release(claim);
      const retried = await new DedupTable(tableName, client).claim(request(key, 'e1', T0));

      expect(retried).toEqual({ kind: 'claimed', suppressedBefore: 0 });
    });

    it("leaves another claim's window alone, even one for the same event", async () => {
      const key = uniqueKey();
      const first = new DedupTable(tableName, client);
      await first.claim(request(key, 'e1', T0));
      const before = await storedItem(key);

      await first.release(request(key, 'e1', T0));

      expect(await storedItem(key)).toEqual(before);
    });

    it('ends the lease and keeps everything else', async () => {
      const store = new DedupTable(tableName, client);
      const key = uniqueKey();
      const claim = request(key, 'e1', T0);
      await store.claim(claim);
      const before = await storedItem(key);

      await store.release(claim);

      expect(await storedItem(key)).toEqual({ ...before, leaseUntil: { N: '0' } });
    });
  });
});
