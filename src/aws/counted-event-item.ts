import {
  type AttributeValue,
  type DynamoDBClient,
  paginateQuery,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { eventKeyOf } from '../dedup/claim-for.js';
import type { CountedEvent } from '../dedup/counted-event.js';
import type { ClaimRequest } from '../dedup/dedup-store.js';
import { countedNoteUntil, windowIdOf } from '../digests/window-digest.js';
import { SEVERITIES, type Severity } from '../engine/severity.js';

/** An item of the dedup table, as the SDK reads and writes it. */
export type Item = Record<string, AttributeValue>;

/** The sparse index of counted events that wait for their window's digest. */
export const DIGESTS_DUE_INDEX = 'DigestsDue';

/** The one value of the index's partition key: an item leaves the index when its digest is sent. */
export const DUE = 'due';

/** DynamoDB stores whole seconds for TTL; rounding up keeps a record for its full length. */
export const epochSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);

export const numberIn = (value: AttributeValue | undefined): number => {
  const number = Number(value?.N ?? '0');
  return Number.isFinite(number) ? number : 0;
};

/**
 * The note that a root event was counted in the window opened by `openerId`: a `sent` record
 * under the event's own key, which `judge` reads as "already handled", with what the digest
 * reports of the event and `digestDue` putting it in the index until the digest is sent.
 */
export const countedEventItem = (
  request: ClaimRequest,
  counted: CountedEvent,
  window: { openerId: string; openedAt: number; closesAt: number },
): Item => ({
  pk: { S: eventKeyOf(request.eventId) },
  eventId: { S: request.eventId },
  claimToken: { S: request.token },
  status: { S: 'sent' },
  openedAt: { N: String(request.at) },
  expiresAt: { N: String(epochSeconds(countedNoteUntil(request.at, window.closesAt))) },
  countedIn: { S: windowIdOf(request.key, window.openerId) },
  windowKey: { S: request.key },
  openerId: { S: window.openerId },
  windowOpenedAt: { N: String(window.openedAt) },
  closesAt: { N: String(window.closesAt) },
  digestDue: { S: DUE },
  // Wall clock: a trail file can count an event in a window long closed, and the health check
  // must not take that for a digest the schedule missed.
  countedAt: { N: String(request.now) },
  eventName: { S: counted.eventName },
  eventSource: { S: counted.eventSource },
  accountId: { S: counted.accountId },
  region: { S: counted.region },
  sourceIp: { S: counted.sourceIp },
  ...(counted.errorCode === undefined ? {} : { errorCode: { S: counted.errorCode } }),
  severity: { S: counted.severity },
  ruleIds: { L: counted.ruleIds.map((id) => ({ S: id })) },
  arrival: { S: counted.arrival },
});

const severityIn = (value: AttributeValue | undefined): Severity =>
  SEVERITIES.find((severity) => severity === value?.S) ?? 'HIGH';

/** A counted event as its note holds it. */
export const countedEventOf = (item: Item): CountedEvent => ({
  eventId: item.eventId?.S ?? '',
  eventName: item.eventName?.S ?? '',
  eventSource: item.eventSource?.S ?? '',
  accountId: item.accountId?.S ?? '',
  region: item.region?.S ?? '',
  sourceIp: item.sourceIp?.S ?? '',
  at: numberIn(item.openedAt),
  errorCode: item.errorCode?.S,
  severity: severityIn(item.severity),
  ruleIds: (item.ruleIds?.L ?? []).flatMap((id) => (id.S === undefined ? [] : [id.S])),
  countedAt: numberIn(item.countedAt),
  // Notes written before arrivals were kept came in real time as far as anyone can tell.
  arrival: item.arrival?.S === 'trail-file' ? 'trail-file' : 'real-time',
});

/**
 * The pages of notes still waiting for the digest of a window closed by `closedBy` (event time,
 * epoch ms), read from the sparse index alone; `attributes` narrows what each note gives.
 */
export const dueNotePages = (
  client: DynamoDBClient,
  tableName: string,
  closedBy: number,
  attributes?: string,
): AsyncIterable<QueryCommandOutput> =>
  paginateQuery(
    { client },
    {
      TableName: tableName,
      IndexName: DIGESTS_DUE_INDEX,
      KeyConditionExpression: 'digestDue = :due AND closesAt <= :closedBy',
      ExpressionAttributeValues: {
        ':due': { S: DUE },
        ':closedBy': { N: String(Math.min(closedBy, Number.MAX_SAFE_INTEGER)) },
      },
      ...(attributes === undefined ? {} : { ProjectionExpression: attributes }),
    },
  );
