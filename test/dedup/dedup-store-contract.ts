import { describe, expect, it } from 'vitest';
import type { ClaimRequest, DedupStore } from '../../src/dedup/dedup-store.js';
import type { DigestStore, WindowDigest } from '../../src/digests/window-digest.js';
import { MINUTE, request, rootRequest, T0, uniqueKey, W0 } from './claim-requests.js';

/** Claims and, as SNS accepting the alert would, marks it sent. */
const alerted = async (store: DedupStore, claim: ClaimRequest) => {
  const outcome = await store.claim(claim);
  expect(outcome.kind).toBe('claimed');
  expect(await store.markSent(claim, `message-${claim.eventId}`)).toBe(true);
  return outcome;
};

/**
 * The behaviour every DedupStore must have, run against each implementation so replay on a
 * laptop and the Lambda on DynamoDB decide alike.
 */
export const dedupStoreContract = (
  name: string,
  makeStore: () => DedupStore & DigestStore,
): void => {
  describe(`DedupStore contract: ${name}`, () => {
    describe('a sent window', () => {
      it('lets the first event for a key alert', async () => {
        const store = makeStore();
        const outcome = await store.claim(request(uniqueKey(), 'e1', T0));
        expect(outcome).toEqual({ kind: 'claimed', suppressedBefore: 0 });
      });

      it('suppresses other events inside it and reports them with the next alert', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0));
        expect(await store.claim(request(key, 'e2', T0 + 5 * MINUTE))).toEqual({
          kind: 'duplicate',
          redelivery: false,
          openerId: 'e1',
        });
        await store.claim(request(key, 'e3', T0 + 14 * MINUTE));
        expect(await store.claim(request(key, 'e4', T0 + 15 * MINUTE))).toEqual({
          kind: 'claimed',
          suppressedBefore: 2,
        });
      });

      it('counts from the alert that opened it, not from the last suppressed event', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0));
        await store.claim(request(key, 'e2', T0 + 14 * MINUTE));
        const outcome = await store.claim(request(key, 'e3', T0 + 16 * MINUTE));
        expect(outcome.kind).toBe('claimed');
      });

      it('acknowledges its redelivered opener without counting it, even after it closes', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0));
        expect(await store.claim(request(key, 'e1', T0))).toEqual({
          kind: 'duplicate',
          redelivery: true,
        });
        expect(await store.claim(request(key, 'e1', T0 + 60 * MINUTE))).toEqual({
          kind: 'duplicate',
          redelivery: true,
        });
        expect(await store.claim(request(key, 'e2', T0 + 61 * MINUTE))).toEqual({
          kind: 'claimed',
          suppressedBefore: 0,
        });
      });

      it('counts every event of its key before it closes, however much older than its opener', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const opener = rootRequest(key, 'opener', T0 + 10 * MINUTE);
        await alerted(store, opener);

        // An hour older than the opener, and a moment older: both counted in its window.
        for (const older of [
          rootRequest(key, 'e0', T0 - 50 * MINUTE),
          rootRequest(key, 'e1', T0),
        ]) {
          expect(await store.claim(older)).toEqual({
            kind: 'duplicate',
            redelivery: false,
            openerId: opener.eventId,
          });
        }
        await store.claim(rootRequest(key, 'e2', T0 + 24 * MINUTE));
        // The window closes at 25 minutes: an event at its close opens the next one.
        expect(await store.claim(rootRequest(key, 'e3', T0 + 25 * MINUTE))).toEqual({
          kind: 'claimed',
          suppressedBefore: 3,
        });
      });

      it('collapses nothing in a window of 0 minutes: each event opens its own', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0 + MINUTE, { minutes: 0 }));
        expect(await store.claim(request(key, 'e2', T0 + 2 * MINUTE, { minutes: 0 }))).toEqual({
          kind: 'claimed',
          suppressedBefore: 0,
        });
      });

      it('gives exactly one claim to concurrent callers for one key', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.claim(request(key, `e${i}`, T0))),
        );
        expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === 'in-flight')).toHaveLength(19);
      });
    });

    describe('a pending window (claimed, its alert not yet known to be sent)', () => {
      it('counts nothing and acknowledges nothing while its lease is live', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const opener = request(key, 'e1', T0);
        await store.claim(opener);

        expect(await store.claim(request(key, 'e2', T0 + MINUTE))).toEqual({
          kind: 'in-flight',
          leaseUntil: opener.leaseUntil,
        });
        expect(await store.claim(request(key, 'e1', T0))).toEqual({
          kind: 'in-flight',
          leaseUntil: opener.leaseUntil,
        });
        expect(await store.claim(request(key, 'e3', T0 + 60 * MINUTE))).toMatchObject({
          kind: 'in-flight',
        });
      });

      it('is its own claim to an attempt that wrote it, whose answer was lost', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e0', T0 - 30 * MINUTE));
        await store.claim(request(key, 'x', T0 - 29 * MINUTE));
        const claim = request(key, 'e1', T0);
        await store.claim(claim);

        expect(await store.claim(claim)).toEqual({ kind: 'claimed', suppressedBefore: 1 });
      });

      it('is taken over past its lease by the retry of its event, which alerts', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const crashed = request(key, 'e1', T0);
        await store.claim(crashed);

        const retry = request(key, 'e1', T0, { now: crashed.leaseUntil + 1 });
        expect(await store.claim(retry)).toEqual({ kind: 'claimed', suppressedBefore: 0 });
        expect(await store.markSent(crashed, 'late')).toBe(false);
        expect(await store.markSent(retry, 'm1')).toBe(true);
        expect(await store.claim(request(key, 'e1', T0))).toEqual({
          kind: 'duplicate',
          redelivery: true,
        });
      });

      it('is taken over past its lease by another event, with the count it carried', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0));
        await store.claim(request(key, 'e2', T0 + MINUTE));
        const crashed = request(key, 'e3', T0 + 20 * MINUTE);
        expect(await store.claim(crashed)).toEqual({ kind: 'claimed', suppressedBefore: 1 });

        const next = request(key, 'e4', T0 + 21 * MINUTE, { now: crashed.leaseUntil });
        expect(await store.claim(next)).toEqual({ kind: 'claimed', suppressedBefore: 1 });
      });

      it('is taken over at once after its claim is released, keeping the count it carried', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'e1', T0));
        await store.claim(request(key, 'e2', T0 + MINUTE));
        const failed = request(key, 'e3', T0 + 20 * MINUTE);
        await store.claim(failed);

        await store.release(failed);

        expect(await store.claim(request(key, 'e3', T0 + 20 * MINUTE))).toEqual({
          kind: 'claimed',
          suppressedBefore: 1,
        });
      });

      it('is not released by another claim, even one for the same event', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await store.claim(request(key, 'e1', T0));

        await store.release(request(key, 'e1', T0));

        expect((await store.claim(request(key, 'e2', T0 + MINUTE))).kind).toBe('in-flight');
      });

      it('cannot be released once sent', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const opener = request(key, 'e1', T0);
        await alerted(store, opener);

        await store.release(opener);

        expect(await store.claim(request(key, 'e1', T0))).toEqual({
          kind: 'duplicate',
          redelivery: true,
        });
      });
    });

    describe('events a window counted, and its digest', () => {
      /** The digests due by `closedBy` for `key` alone: a shared table holds other tests' too. */
      const dueFor = async (store: DigestStore, key: string, closedBy: number) => {
        const due: WindowDigest[] = [];
        for await (const digest of store.dueDigests(closedBy)) {
          if (digest.key === key) due.push(digest);
        }
        return due;
      };

      it('keeps each counted event once, and gives them as one digest once the window closes', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'e1', T0));
        await store.claim(rootRequest(key, 'e3', T0 + 9 * MINUTE, { errorCode: 'AccessDenied' }));
        await store.claim(rootRequest(key, 'e2', T0 + 4 * MINUTE));

        // Redelivered: covered by the sent alert as before, and not counted again.
        expect(await store.claim(rootRequest(key, 'e2', T0 + 4 * MINUTE))).toEqual({
          kind: 'duplicate',
          redelivery: false,
          openerId: `${key}:e1`,
        });
        expect(await dueFor(store, key, T0 + 15 * MINUTE - 1)).toEqual([]);
        const [digest, ...others] = await dueFor(store, key, T0 + 15 * MINUTE);
        expect(others).toEqual([]);
        expect(digest).toMatchObject({
          key,
          openerId: `${key}:e1`,
          openedAt: T0,
          closesAt: T0 + 15 * MINUTE,
          reportedBefore: 0,
        });
        expect(digest?.events).toEqual([
          rootRequest(key, 'e2', T0 + 4 * MINUTE).counted,
          rootRequest(key, 'e3', T0 + 9 * MINUTE, { errorCode: 'AccessDenied' }).counted,
        ]);
      });

      it('is sent once; an event counted after it makes a second digest of that event alone', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'e1', T0));
        await store.claim(rootRequest(key, 'e2', T0 + MINUTE));
        await store.claim(rootRequest(key, 'e3', T0 + 2 * MINUTE));
        const [due] = await dueFor(store, key, T0 + 15 * MINUTE);
        const claim = due && (await store.claimDigest(due, W0 + MINUTE, W0));
        if (claim === undefined) throw new Error('the digest was not claimed');
        await store.markDigestSent(claim);
        expect(await dueFor(store, key, T0 + 60 * MINUTE)).toEqual([]);

        // A trail file brings, after the digest, an event the window covers.
        await store.claim(rootRequest(key, 'e4', T0 + 3 * MINUTE));

        const [again] = await dueFor(store, key, T0 + 60 * MINUTE);
        expect(again?.events.map((event) => event.eventName)).toEqual(['Calle4']);
        const second = again && (await store.claimDigest(again, W0 + 3 * MINUTE, W0 + 2 * MINUTE));
        expect(second?.digest.reportedBefore).toBe(2);
      });

      it('is held by one sender until it is sent, released, or its lease ends', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'e1', T0));
        await store.claim(rootRequest(key, 'e2', T0 + MINUTE));
        const [due] = await dueFor(store, key, T0 + 15 * MINUTE);
        if (due === undefined) throw new Error('no digest due');

        const first = await store.claimDigest(due, W0 + MINUTE, W0);
        expect(first).toBeDefined();
        expect(await store.claimDigest(due, W0 + MINUTE, W0 + 1)).toBeUndefined();
        expect(await store.claimDigest(due, W0 + 3 * MINUTE, W0 + MINUTE)).toBeDefined();
        if (first === undefined) return;
        await store.releaseDigest(first);
        // A released claim that is no longer the holder changes nothing.
        expect(await store.claimDigest(due, W0 + 3 * MINUTE, W0 + MINUTE + 1)).toBeUndefined();
      });

      it('is not sent again by a run that listed it before another run sent it', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'e1', T0));
        await store.claim(rootRequest(key, 'e2', T0 + MINUTE));
        const [listedByB] = await dueFor(store, key, T0 + 15 * MINUTE);
        const [listedByA] = await dueFor(store, key, T0 + 15 * MINUTE);
        if (listedByA === undefined || listedByB === undefined) throw new Error('no digest due');
        const a = await store.claimDigest(listedByA, W0 + MINUTE, W0);
        if (a === undefined) throw new Error('run A did not claim the digest');
        await store.markDigestSent(a);

        expect(await store.claimDigest(listedByB, W0 + 2 * MINUTE, W0 + 1)).toBeUndefined();
        // An event counted since is still reported, alone, by the next run.
        await store.claim(rootRequest(key, 'e3', T0 + 2 * MINUTE));
        const later = await store.claimDigest(listedByB, W0 + 2 * MINUTE, W0 + 2);
        expect(later).toBeUndefined();
        const [next] = await dueFor(store, key, T0 + 15 * MINUTE);
        const claim = next && (await store.claimDigest(next, W0 + 3 * MINUTE, W0 + 3));
        expect(claim?.digest.events.map((event) => event.eventName)).toEqual(['Calle3']);
      });

      it('holds nothing for a window that counted no root event', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, request(key, 'config-stale', T0));
        await store.claim(request(key, 'config-stale-2', T0 + MINUTE));

        expect(await dueFor(store, key, T0 + 60 * MINUTE)).toEqual([]);
      });

      it('knows an event it counted or opened with after the window was replaced: a redelivery, counted once', async () => {
        const store = makeStore();
        const key = uniqueKey();
        const e1 = rootRequest(key, 'e1', T0);
        const e2 = rootRequest(key, 'e2', T0 + 5 * MINUTE);
        await alerted(store, e1);
        await store.claim(e2);
        const e3 = rootRequest(key, 'e3', T0 + 20 * MINUTE);
        await alerted(store, e3);

        for (const again of [rootRequest(key, 'e1', T0), rootRequest(key, 'e2', T0 + 5 * MINUTE)]) {
          expect(await store.claim(again)).toEqual({ kind: 'duplicate', redelivery: true });
        }
        // An event neither path saw before is counted in the window in force, whatever its time.
        const e0 = rootRequest(key, 'e0', T0 + 6 * MINUTE);
        expect(await store.claim(e0)).toEqual({
          kind: 'duplicate',
          redelivery: false,
          openerId: e3.eventId,
        });
        const due = await dueFor(store, key, T0 + 60 * MINUTE);
        expect(
          due.map((digest) => [digest.openerId, digest.events.map((event) => event.eventId)]),
        ).toEqual([
          [e1.eventId, [e2.eventId]],
          [e3.eventId, [e0.eventId]],
        ]);
      });
    });

    describe('an untrusted window (no claim could have written it)', () => {
      const YEAR = 365 * 24 * 60 * MINUTE;

      it('replaces a sent window that opens in a future year, and says so', async () => {
        const store = makeStore();
        const key = uniqueKey();
        // Written as if by a claim whose clock reads next year.
        await alerted(store, rootRequest(key, 'forged', T0 + YEAR, { now: W0 + YEAR }));

        const next = rootRequest(key, 'next', T0);
        expect(await store.claim(next)).toEqual({
          kind: 'claimed',
          suppressedBefore: 0,
          replacedUntrusted: {
            openerId: `${key}:forged`,
            openedAt: T0 + YEAR,
            closesAt: T0 + YEAR + 15 * MINUTE,
          },
        });
        expect(await store.markSent(next, 'message-next')).toBe(true);
        // The fresh window is trusted: it counts the next event of its key as usual.
        expect(await store.claim(rootRequest(key, 'after', T0 + MINUTE))).toMatchObject({
          kind: 'duplicate',
          openerId: next.eventId,
        });
      });

      it('replaces a sent window that closes later than any configured window can', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'forged', T0, { minutes: 30 * 24 * 60 }));

        expect(await store.claim(rootRequest(key, 'next', T0 + 5 * MINUTE))).toMatchObject({
          kind: 'claimed',
          replacedUntrusted: { openerId: `${key}:forged` },
        });
      });

      it('trusts a sent window within the skew of this clock and the longest window', async () => {
        const store = makeStore();
        const key = uniqueKey();
        await alerted(store, rootRequest(key, 'opener', W0 + MINUTE, { minutes: 24 * 60 }));

        expect(await store.claim(rootRequest(key, 'next', W0))).toMatchObject({
          kind: 'duplicate',
          redelivery: false,
        });
      });
    });
  });
};
