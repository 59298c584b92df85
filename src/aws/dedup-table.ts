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
 * Replaced windows kept for a possible release. A claim is released, if at all, within the
 * invocation that made it, so a small bound keeps a long-lived warm container from growing.
 */
const MAX_REMEMBERED_REPLACEMENTS = 1000;

/** DynamoDB stores whole seconds for TTL; rounding up keeps a window open for its full length. */
const epochSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);

const windowItem = (request: ClaimRequest): Item => ({
  pk: { S: request.key },
  eventId: { S: request.eventId },
  expiresAt: { N: String(epochSeconds(request.until)) },
  suppressed: { N: '0' },
});

/** The opener of a released window: no event has this id, so no claim is taken for its redelivery. */
const RELEASED = '(released)';

const replacementKey = (request: ClaimRequest): string => `${request.key}\u0000${request.eventId}`;

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
 */
export class DedupTable implements DedupStore {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;
  /** The expired window each claim replaced, by key and event, so a release can restore it. */
  readonly #replaced = new Map<string, Item>();

  constructor(tableName: string, client: DynamoDBClient = new DynamoDBClient()) {
    this.#tableName = tableName;
    this.#client = client;
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    try {
      const { Attributes: replaced } = await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: windowItem(request),
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
      if (replaced !== undefined) this.#remember(request, replaced);
      return { kind: 'claimed', suppressedBefore: suppressedIn(replaced) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const openerId = error.Item?.eventId?.S;
      if (openerId === request.eventId) return { kind: 'duplicate', redelivery: true };
      if (openerId !== undefined) await this.#countSuppressed(request.key, openerId);
      return { kind: 'duplicate', redelivery: false };
    }
  }

  /**
   * One conditional update of the window this event opened (another event's window stays):
   * it becomes the window it replaced again, or an expired one. Either way it keeps its
   * suppressed count: those events were acknowledged as duplicates of an alert that never went
   * out, so the next alert for the key reports them.
   */
  async release(request: ClaimRequest): Promise<void> {
    const rememberedAs = replacementKey(request);
    const replaced = this.#replaced.get(rememberedAs);
    this.#replaced.delete(rememberedAs);
    const restored =
      replaced === undefined
        ? { eventId: { S: RELEASED }, expiresAt: { N: String(Math.floor(request.at / 1000)) } }
        : {
            eventId: replaced.eventId ?? { S: RELEASED },
            expiresAt: replaced.expiresAt ?? { N: '0' },
          };
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: request.key } },
          UpdateExpression:
            'SET eventId = :restoredId, expiresAt = :restoredExpiry ADD suppressed :carried',
          ConditionExpression: 'eventId = :eventId',
          ExpressionAttributeValues: {
            ':eventId': { S: request.eventId },
            ':restoredId': restored.eventId,
            ':restoredExpiry': restored.expiresAt,
            ':carried': { N: String(suppressedIn(replaced)) },
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

  #remember(request: ClaimRequest, replaced: Item): void {
    this.#replaced.set(replacementKey(request), replaced);
    if (this.#replaced.size > MAX_REMEMBERED_REPLACEMENTS) {
      const oldest = this.#replaced.keys().next().value;
      if (oldest !== undefined) this.#replaced.delete(oldest);
    }
  }
}
