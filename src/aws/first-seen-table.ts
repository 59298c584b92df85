import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  FIRST_USE_MS,
  type FirstSeen,
  type Sighting,
  type SourceMemory,
} from '../first-seen/first-seen.js';
import type { FirstSeenSettings } from '../first-seen/first-seen-settings.js';
import { epochSeconds, numberIn } from './counted-event-item.js';

const DAY_MS = 24 * 60 * 60_000;

/** The key of a source root used in an account. */
export const sourceKeyOf = (accountId: string, source: string): string =>
  `first-seen#${accountId}#${source}`;

/**
 * The item that says when the monitor began learning sources. It carries no `expiresAt`, so TTL
 * never deletes it; it goes with the table, and so do the sources learnt.
 */
export const LEARNING_KEY = 'first-seen#learning-since';

/**
 * Every item's time for DynamoDB's TTL: the instant a source has gone unused for its days. Written
 * in the attribute the dedup table's TTL reads (`DEDUP_TABLE_TTL_ATTRIBUTE`).
 */
const forgottenAt = (at: number, days: number): number => epochSeconds(at + days * DAY_MS);

/**
 * The sources root used, in the dedup table: one item per account and source, under
 * `first-seen#ACCOUNT#SOURCE`, whose `expiresAt` (the table's TTL attribute) each sighting moves
 * to `days` after it. TTL deletion is lazy (an expired item can linger for days), so a sighting
 * reads `expiresAt` itself: an item past it is a source not seen in that time.
 *
 * A sighting is one UpdateItem that moves the expiry on and returns the item as it was
 * (ALL_OLD). The item keeps the time of the source's first use (`firstSeenAt`, event time, set
 * only where there is none), and an event is first seen when there was no item, or one past its
 * expiry, or one whose first use is less than `FIRST_USE_MS` before the event: the burst that
 * brings a new source, and any retry, redelivery or late reading of its events, are first seen
 * whichever of them was noted first. Only an item that lingered past its expiry takes a second
 * write, to start its first use again.
 *
 * The learning period starts at the monitor's first sighting: a conditional PutItem writes the
 * start once (`attribute_not_exists`), and every later one reads it back from the refusal
 * (ALL_OLD). A container asks once, beside its first sighting, and keeps the answer.
 */
export class FirstSeenTable implements SourceMemory {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;
  readonly #settings: FirstSeenSettings;
  /** When learning began (wall clock, epoch ms), once this container knows it. */
  #learningSince: number | undefined;

  constructor(tableName: string, client: DynamoDBClient, settings: FirstSeenSettings) {
    this.#tableName = tableName;
    this.#client = client;
    this.#settings = settings;
  }

  async sighting(sighting: Sighting): Promise<FirstSeen | undefined> {
    // Side by side: the learning start is asked for once per container, and waits on nothing.
    const [firstSeen, learningUntil] = await Promise.all([
      this.#note(sighting),
      this.#learningUntil(sighting.now),
    ]);
    if (!firstSeen) return undefined;
    const { source } = sighting;
    const { days } = this.#settings;
    return sighting.now < learningUntil
      ? { kind: 'learning', source, days, learningUntil }
      : { kind: 'first-seen', source, days };
  }

  /** Notes the sighting; true when the source is first seen by this event. */
  async #note({ accountId, source, eventId, at }: Sighting): Promise<boolean> {
    const key = sourceKeyOf(accountId, source);
    const { Attributes: before } = await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: { pk: { S: key } },
        // Event time, so that replay and the Lambda agree: an event delivered late moves the
        // expiry from its own time, which is hours at most against the days remembered.
        UpdateExpression:
          'SET expiresAt = :expires, lastSeenAt = :at, firstSeenAt = if_not_exists(firstSeenAt, :at), firstEventId = if_not_exists(firstEventId, :eventId)',
        ExpressionAttributeValues: {
          ':expires': { N: String(forgottenAt(at, this.#settings.days)) },
          ':at': { N: String(at) },
          ':eventId': { S: eventId },
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (before === undefined) return true;
    if (numberIn(before.expiresAt) * 1000 <= at) {
      await this.#firstUseAgain(key, eventId, at);
      return true;
    }
    return at - numberIn(before.firstSeenAt) < FIRST_USE_MS;
  }

  /** An item past its expiry that TTL has not deleted yet: the source's first use is now. */
  async #firstUseAgain(key: string, eventId: string, at: number): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET firstSeenAt = :at, firstEventId = :eventId',
        ExpressionAttributeValues: { ':at': { N: String(at) }, ':eventId': { S: eventId } },
      }),
    );
  }

  /** Until when (wall clock, epoch ms) first-seen sources are marked but not raised. */
  async #learningUntil(now: number): Promise<number> {
    const { learningDays } = this.#settings;
    if (learningDays === 0) return Number.NEGATIVE_INFINITY;
    this.#learningSince ??= await this.#learningStart(now);
    return this.#learningSince + learningDays * DAY_MS;
  }

  /**
   * Writes `now` as the start of learning unless a start is written, and gives the start. A
   * start later than now (a clock that ran ahead) counts from now.
   */
  async #learningStart(now: number): Promise<number> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { pk: { S: LEARNING_KEY }, startedAt: { N: String(now) } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return now;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) {
        throw error;
      }
      return Math.min(numberIn(error.Item.startedAt), now);
    }
  }
}
