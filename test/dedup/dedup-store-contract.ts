import { describe, expect, it } from 'vitest';
import type { ClaimRequest, DedupStore } from '../../src/dedup/claim.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-10-01T12:00:00Z');

let counter = 0;
const uniqueKey = (): string => `contract#${Date.now()}#${++counter}#${Math.random()}`;

const request = (key: string, eventId: string, at: number, minutes = 15): ClaimRequest => ({
  key,
  eventId,
  at,
  until: at + minutes * MINUTE,
});

/**
 * The behaviour every DedupStore must have, run against each implementation so replay on a
 * laptop and the Lambda on DynamoDB decide alike.
 */
export const dedupStoreContract = (name: string, makeStore: () => DedupStore): void => {
  describe(`DedupStore contract: ${name}`, () => {
    it('lets the first event for a key alert', async () => {
      const store = makeStore();
      const outcome = await store.claim(request(uniqueKey(), 'e1', T0));
      expect(outcome).toEqual({ kind: 'claimed', suppressedBefore: 0 });
    });

    it('suppresses other events inside the window and reports them with the next alert', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      expect(await store.claim(request(key, 'e2', T0 + 5 * MINUTE))).toEqual({
        kind: 'duplicate',
        redelivery: false,
      });
      await store.claim(request(key, 'e3', T0 + 14 * MINUTE));
      expect(await store.claim(request(key, 'e4', T0 + 15 * MINUTE))).toEqual({
        kind: 'claimed',
        suppressedBefore: 2,
      });
    });

    it('counts the window from the alert that opened it, not from the last suppressed event', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      await store.claim(request(key, 'e2', T0 + 14 * MINUTE));
      const outcome = await store.claim(request(key, 'e3', T0 + 16 * MINUTE));
      expect(outcome.kind).toBe('claimed');
    });

    it('acknowledges a redelivered opener without counting it, even after the window', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
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

    it('gives exactly one claim to concurrent callers for one key', async () => {
      const store = makeStore();
      const key = uniqueKey();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claim(request(key, `e${i}`, T0))),
      );
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    });

    it('forgets a released claim so a retry of the same event alerts', async () => {
      const store = makeStore();
      const key = uniqueKey();
      const first = request(key, 'e1', T0);
      await store.claim(first);
      await store.release(first);
      expect(await store.claim(first)).toEqual({ kind: 'claimed', suppressedBefore: 0 });
    });

    it('restores the window a released claim replaced, keeping its suppressed count', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      await store.claim(request(key, 'e2', T0 + MINUTE));
      const retry = request(key, 'e3', T0 + 20 * MINUTE);
      await store.claim(retry);
      await store.release(retry);
      expect(await store.claim(retry)).toEqual({ kind: 'claimed', suppressedBefore: 1 });
    });

    it('hands the count of events suppressed by a released window to the next alert', async () => {
      const store = makeStore();
      const key = uniqueKey();
      const opener = request(key, 'e1', T0);
      await store.claim(opener);
      await store.claim(request(key, 'e2', T0 + MINUTE));
      await store.release(opener);
      expect(await store.claim(request(key, 'e1', T0 + 2 * MINUTE))).toEqual({
        kind: 'claimed',
        suppressedBefore: 1,
      });
    });

    it('adds them to the count of the window a released claim replaced', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      await store.claim(request(key, 'e2', T0 + MINUTE));
      const retry = request(key, 'e3', T0 + 20 * MINUTE);
      await store.claim(retry);
      await store.claim(request(key, 'e4', T0 + 21 * MINUTE));
      await store.release(retry);
      expect(await store.claim(retry)).toEqual({ kind: 'claimed', suppressedBefore: 2 });
    });

    it('does not release a window opened by another event', async () => {
      const store = makeStore();
      const key = uniqueKey();
      await store.claim(request(key, 'e1', T0));
      await store.release(request(key, 'e2', T0));
      expect((await store.claim(request(key, 'e3', T0 + MINUTE))).kind).toBe('duplicate');
    });
  });
};
