import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { eventKeyOf } from '../dedup/claim-for.js';
import type { CountedEvent } from '../dedup/counted-event.js';
import {
  countedNoteUntil,
  type DigestClaim,
  type DigestStore,
  digestWindowIdOf,
  oldestFirst,
  type WindowDigest,
} from '../digests/window-digest.js';
import {
  countedEventOf,
  dueNotePages,
  epochSeconds,
  type Item,
  numberIn,
} from './counted-event-item.js';

/**
 * At most this many counted events are read in one run: a window that counted more is reported
 * over several digests, a run apart, rather than exhausting the function's memory or time.
 */
const MAX_EVENTS_PER_RUN = 5_000;

/** BatchGetItem's limit, and how many times the keys it leaves unread are asked for again. */
const BATCH_GET_MAX_KEYS = 100;
const BATCH_GET_MAX_ROUNDS = 5;

/** Notes marked reported at once after a digest is sent. */
const MARKS_AT_ONCE = 10;

/** The item that holds a window's digest lease and how many events its digests reported. */
const digestKeyOf = (digest: WindowDigest): string => `digest#${digestWindowIdOf(digest)}`;

/**
 * Digests in the dedup table. Each counted event's note carries `digestDue` and the time its
 * window closes, which puts it in the sparse `DigestsDue` index (partition `digestDue`, sort
 * `closesAt`): a run queries only the notes of closed windows, never the table. A digest is
 * claimed under a lease on an item of its own (`digest#<key>#<opener>`), as an alert is; once
 * SNS accepted it, each reported note drops `digestDue` and leaves the index. Events counted
 * while it was being sent keep theirs, and make the next digest.
 */
export class DigestTable implements DigestStore {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;

  constructor(tableName: string, client: DynamoDBClient = new DynamoDBClient()) {
    this.#tableName = tableName;
    this.#client = client;
  }

  async *dueDigests(closedBy: number): AsyncIterable<WindowDigest> {
    const windows = new Map<string, { digest: WindowDigest; events: Item[] }>();
    let read = 0;
    for await (const page of dueNotePages(this.#client, this.#tableName, closedBy)) {
      for (const item of page.Items ?? []) {
        const id = item.countedIn?.S;
        if (id === undefined) continue;
        let window = windows.get(id);
        if (window === undefined) {
          window = {
            digest: {
              key: item.windowKey?.S ?? '',
              openerId: item.openerId?.S ?? '',
              openedAt: numberIn(item.windowOpenedAt),
              closesAt: numberIn(item.closesAt),
              events: [],
              reportedBefore: 0,
            },
            events: [],
          };
          windows.set(id, window);
        }
        window.events.push(item);
      }
      read += page.Items?.length ?? 0;
      if (read >= MAX_EVENTS_PER_RUN) {
        // The last window read may have more events on the next page: it waits for the next
        // run whole, rather than go out in two parts, the second looking like late arrivals.
        const last = page.Items?.at(-1)?.countedIn?.S;
        if (last !== undefined && windows.size > 1) windows.delete(last);
        break;
      }
    }
    yield* oldestFirst(
      [...windows.values()].map(({ digest, events }) => ({
        ...digest,
        events: events.map(countedEventOf),
      })),
    );
  }

  async claimDigest(
    digest: WindowDigest,
    leaseUntil: number,
    now: number,
  ): Promise<DigestClaim | undefined> {
    const token = randomUUID();
    let reported: number;
    try {
      const { Attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: digestKeyOf(digest) } },
          UpdateExpression: 'SET leaseUntil = :lease, claimToken = :token, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
          ExpressionAttributeValues: {
            ':lease': { N: String(leaseUntil) },
            ':token': { S: token },
            ':now': { N: String(now) },
            // The count of what was reported lives as long as the notes it counts.
            ':expires': { N: String(epochSeconds(countedNoteUntil(now, digest.closesAt))) },
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      reported = numberIn(Attributes?.reported);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // An attempt of this very claim whose answer was lost holds the lease: it is ours.
      if (error.Item?.claimToken?.S !== token) return undefined;
      reported = numberIn(error.Item.reported);
    }
    // The index lags the table, and another run may have sent this digest between this run's
    // query and its lease: only the events the table still holds due are this digest's.
    const events = await this.#stillDue(digest);
    const claim = { digest: { ...digest, events, reportedBefore: reported }, token };
    if (events.length === 0) {
      await this.releaseDigest(claim);
      return undefined;
    }
    return claim;
  }

  /** The digest's events whose notes, read consistently, still wait for this window's digest. */
  async #stillDue(digest: WindowDigest): Promise<CountedEvent[]> {
    const windowId = digestWindowIdOf(digest);
    const due = new Set<string>();
    for (let start = 0; start < digest.events.length; start += BATCH_GET_MAX_KEYS) {
      let keys: Item[] = digest.events
        .slice(start, start + BATCH_GET_MAX_KEYS)
        .map((event) => ({ pk: { S: eventKeyOf(event.eventId) } }));
      // DynamoDB may answer part of a batch under load; what it left is asked for again.
      for (let round = 0; keys.length > 0; round++) {
        if (round === BATCH_GET_MAX_ROUNDS) {
          throw new Error(`DynamoDB kept ${keys.length} notes of ${digestKeyOf(digest)} unread`);
        }
        const answer: BatchGetItemCommandOutput = await this.#client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.#tableName]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: 'eventId, digestDue, countedIn',
              },
            },
          }),
        );
        for (const item of answer.Responses?.[this.#tableName] ?? []) {
          if (item.digestDue !== undefined && item.countedIn?.S === windowId && item.eventId?.S) {
            due.add(item.eventId.S);
          }
        }
        keys = answer.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      }
    }
    return digest.events.filter((event) => due.has(event.eventId));
  }

  async markDigestSent({ digest, token }: DigestClaim): Promise<void> {
    const windowId = digestWindowIdOf(digest);
    for (let start = 0; start < digest.events.length; start += MARKS_AT_ONCE) {
      await Promise.all(
        digest.events.slice(start, start + MARKS_AT_ONCE).map((event) =>
          this.#conditionally(
            new UpdateItemCommand({
              TableName: this.#tableName,
              Key: { pk: { S: eventKeyOf(event.eventId) } },
              UpdateExpression: 'REMOVE digestDue',
              ConditionExpression: 'countedIn = :window',
              ExpressionAttributeValues: { ':window': { S: windowId } },
            }),
          ),
        ),
      );
    }
    await this.#updateClaimed(
      { digest, token },
      'ADD reported :reported REMOVE leaseUntil, claimToken',
      { ':reported': { N: String(digest.events.length) } },
    );
  }

  async releaseDigest(claim: DigestClaim): Promise<void> {
    await this.#updateClaimed(claim, 'SET leaseUntil = :zero', { ':zero': { N: '0' } });
  }

  /** An update of the digest's own item, made only while the claim's token still holds it. */
  async #updateClaimed(
    { digest, token }: DigestClaim,
    UpdateExpression: string,
    values: Item,
  ): Promise<void> {
    await this.#conditionally(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: { pk: { S: digestKeyOf(digest) } },
        UpdateExpression,
        ConditionExpression: 'claimToken = :token',
        ExpressionAttributeValues: { ...values, ':token': { S: token } },
      }),
    );
  }

  /** A write whose condition failing means there is nothing left to do. */
  async #conditionally(command: UpdateItemCommand): Promise<void> {
    try {
      await this.#client.send(command);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
