import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ClaimOutcome, ClaimRequest, DedupStore } from '../dedup/claim.js';

type Item = Record<string, AttributeValue>;

/**
 * Claims kept for a possible release. A claim is released, if at all, within the invocation
 * that made it, so a small bound keeps a long-lived warm container from growing.
 */
const MAX_REMEMBERED_CLAIMS = 1000;

/** What a release needs of a claim this container made. */
interface Made {
  /** Written with the window: tells this claim's own write from another invocation's. */
  token: string;
  /** The expired window the claim replaced, restored by a release. */
  replaced: Item | undefined;
}

/** DynamoDB stores whole seconds for TTL; rounding up keeps a window open for its full length. */
const epochSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);

const windowItem = (request: ClaimRequest, token: string): Item => ({
  pk: { S: request.key },
  eventId: { S: request.eventId },
  claimToken: { S: token },
  expiresAt: { N: String(epochSeconds(request.until)) },
  suppressed: { N: '0' },
});

/** The opener of a released window: no event has this id, so no claim is taken for its redelivery. */
const RELEASED = '(released)';

const claimKey = (request: ClaimRequest): string => `${request.key}\u0000${request.eventId}`;

const suppressedIn = (item: Item | undefined): number => {
  const count = Number(item?.suppressed?.N ?? '0');
  return Number.isFinite(count) ? count : 0;
};

/**
 * Dedup windows in a DynamoDB table keyed by `pk` (string), with `expiresAt` (epoch seconds)
 * as its TTL attribute. TTL deletion is lazy (an expired item can linger for days), so the
 * claim also checks `expiresAt` itself.
 *
 * The claim is one conditional PutItem: concurrent invocations race on the condition and
 * exactly one wins. Only a losing claim makes a second call, to count itself as suppressed.
 * Each claim writes a fresh token with its window: when the SDK retries a write whose answer was
 * lost (a timeout, a reset connection), the retry finds the window its own first attempt opened,
 * and the token tells that apart from a redelivery, which would otherwise silence the alert.
 */
export class DedupTable implements DedupStore {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;
  /** The claims this container made, by key and event, so a release can find and undo them. */
  readonly #made = new Map<string, Made>();

  constructor(tableName: string, client: DynamoDBClient = new DynamoDBClient()) {
    this.#tableName = tableName;
    this.#client = client;
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    // Remembered before the write: if its outcome is unknown (the call failed after DynamoDB
    // committed it), a release can still undo it.
    const made: Made = { token: randomUUID(), replaced: undefined };
    this.#remember(request, made);
    try {
      const { Attributes: replaced } = await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: windowItem(request, made.token),
          // The opener of a window is never counted against it, even after it closes:
          // a late redelivery is acknowledged, not alerted again.
          ConditionExpression:
            'attribute_not_exists(pk) OR (expiresAt <= :at AND eventId <> :eventId)',
          ExpressionAttributeValues: {
            ':at': { N: String(Math.floor(request.at / 1000)) },
            ':eventId': { S: request.eventId },
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      made.replaced = replaced;
      return { kind: 'claimed', suppressedBefore: suppressedIn(replaced) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Our own write, committed by an attempt whose answer was lost. What it replaced went
      // with that answer, so the count of the window before is unknown here.
      if (error.Item?.claimToken?.S === made.token) return { kind: 'claimed', suppressedBefore: 0 };
      this.#made.delete(claimKey(request));
      const openerId = error.Item?.eventId?.S;
      if (openerId === request.eventId) return { kind: 'duplicate', redelivery: true };
      if (openerId !== undefined) await this.#countSuppressed(request.key, openerId);
      return { kind: 'duplicate', redelivery: false };
    }
  }

  /**
   * One conditional update of the window this claim opened (another claim's window stays, and
   * a claim whose write never landed changes nothing): it becomes the window it replaced
   * again, or an expired one. Either way it keeps its suppressed count: those events were
   * acknowledged as duplicates of an alert that never went out, so the next alert for the key
   * reports them.
   */
  async release(request: ClaimRequest): Promise<void> {
    const rememberedAs = claimKey(request);
    const made = this.#made.get(rememberedAs);
    this.#made.delete(rememberedAs);
    if (made === undefined) return;
    const { replaced } = made;
    const restored =
      replaced === undefined
        ? { eventId: { S: RELEASED }, expiresAt: { N: String(Math.floor(request.at / 1000)) } }
        : {
            eventId: replaced.eventId ?? { S: RELEASED },
            expiresAt: replaced.expiresAt ?? { N: '0' },
          };
    // The replaced window comes back with its own claim token, if it had one.
    const restoredToken = replaced?.claimToken;
    const UpdateExpression =
      restoredToken === undefined
        ? 'SET eventId = :restoredId, expiresAt = :restoredExpiry ADD suppressed :carried REMOVE claimToken'
        : 'SET eventId = :restoredId, expiresAt = :restoredExpiry, claimToken = :restoredToken ADD suppressed :carried';
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: request.key } },
          UpdateExpression,
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: {
            ':token': { S: made.token },
            ':restoredId': restored.eventId,
            ':restoredExpiry': restored.expiresAt,
            ':carried': { N: String(suppressedIn(replaced)) },
            ...(restoredToken === undefined ? {} : { ':restoredToken': restoredToken }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Counts one suppressed event in the window that beat this claim. If that window was
   * replaced meanwhile, or DynamoDB fails now, the event is still known to be a duplicate of an
   * alert that went out: a count one short beats paging again (and, under throttling, paging
   * once per suppressed event).
   */
  async #countSuppressed(key: string, openerId: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: key } },
          UpdateExpression: 'ADD suppressed :one',
          ConditionExpression: 'eventId = :opener',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':opener': { S: openerId } },
        }),
      );
    } catch {
      // See above: the outcome is a duplicate either way.
    }
  }

  #remember(request: ClaimRequest, made: Made): void {
    this.#made.set(claimKey(request), made);
    if (this.#made.size > MAX_REMEMBERED_CLAIMS) {
      const oldest = this.#made.keys().next().value;
      if (oldest !== undefined) this.#made.delete(oldest);
    }
  }
}
