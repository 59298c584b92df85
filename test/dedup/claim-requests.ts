import { randomUUID } from 'node:crypto';
import type { ClaimRequest } from '../../src/dedup/claim.js';

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
