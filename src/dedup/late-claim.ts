import { randomUUID } from 'node:crypto';
import type { ClaimRequest } from './claim.js';
import { eventKeyOf, REDELIVERY_MINUTES } from './claim-for.js';

/**
 * The claim a late event makes instead, after its key's window turned out to be opened by a
 * newer event: a window of its own, keyed by the event, remembered as long as a per-event
 * rule's, so that its redeliveries are acknowledged and it never opens or replaces the key's
 * window. An event that opened or was counted in a window that has since been replaced finds
 * that noted under the same key, and is a redelivery, not a late event.
 */
export const lateClaimFor = (request: ClaimRequest): ClaimRequest => ({
  ...request,
  key: eventKeyOf(request.eventId),
  until: request.at + REDELIVERY_MINUTES * 60_000,
  token: randomUUID(),
});
