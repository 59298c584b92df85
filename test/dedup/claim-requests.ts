import { randomUUID } from 'node:crypto';
import { LONGEST_DEDUP_MINUTES } from '../../src/dedup/claim-for.js';
import type { Arrival } from '../../src/dedup/counted-event.js';
import type { ClaimRequest } from '../../src/dedup/dedup-store.js';

export const MINUTE = 60_000;
/** Event time. */
export const T0 = Date.parse('2026-10-01T12:00:00Z');
/** Wall clock, which leases are judged by. */
export const W0 = Date.parse('2026-10-01T12:30:00Z');
export const LEASE_MS = 2 * MINUTE;

/** A key no other test uses, so tests sharing a store never see each other's claims. */
export const uniqueKey = (): string => `claim#${randomUUID()}`;

/** One claim attempt: a fresh token, made at wall clock `now`, leased for two minutes. */
export const request = (
  key: string,
  eventId: string,
  at: number,
  { minutes = 15, now = W0 }: { minutes?: number; now?: number } = {},
): ClaimRequest => ({
  key,
  eventId,
  at,
  until: at + minutes * MINUTE,
  token: randomUUID(),
  leaseUntil: now + LEASE_MS,
  now,
});

/**
 * A root event's claim, which a collapse window records when it counts it: its eventID is
 * made unique to the key, since stores shared by tests note every event under its eventID.
 */
export const rootRequest = (
  key: string,
  name: string,
  at: number,
  options: { minutes?: number; now?: number; errorCode?: string; arrival?: Arrival } = {},
): ClaimRequest => {
  const eventId = `${key}:${name}`;
  const now = options.now ?? W0;
  return {
    ...request(key, eventId, at, options),
    trustedUntil: now + LONGEST_DEDUP_MINUTES * MINUTE,
    counted: {
      eventId,
      eventName: `Call${name}`,
      eventSource: 'ec2.amazonaws.com',
      accountId: '111122223333',
      region: 'eu-west-1',
      sourceIp: '203.0.113.7',
      at,
      errorCode: options.errorCode,
      severity: 'HIGH',
      ruleIds: ['root-activity'],
      countedAt: now,
      arrival: options.arrival ?? 'real-time',
    },
  };
};
