import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { eventKeyOf, REDELIVERY_MINUTES } from '../dedup/claim-for.js';
import type { CountedEvent } from '../dedup/counted-event.js';
import type { ClaimOutcome, ClaimRequest, DedupStore } from '../dedup/dedup-store.js';
import {
  carriedFrom,
  judge,
  untrustedWindowOf,
  type WindowRecord,
} from '../dedup/window-record.js';
import { windowIdOf } from '../digests/window-digest.js';
import { countedEventItem, epochSeconds, type Item, numberIn } from './counted-event-item.js';

/**
 * A claim that finds the window changed under it (taken over, replaced, marked sent) looks
 * again; this many looks without settling means the key is contended beyond reason, and the
 * caller alerts unclaimed.
 */
const MAX_CLAIM_ROUNDS = 3;

/** A stored window as the shared judgement reads it. A window without a status predates claims' states: its alert went out. */
const recordOf = (item: Item): WindowRecord => ({
  eventId: item.eventId?.S ?? '',
  token: item.claimToken?.S,
  status: item.status?.S === 'pending' ? 'pending' : 'sent',
  leaseUntil: numberIn(item.leaseUntil),
  at: numberIn(item.openedAt),
  until: numberIn(item.expiresAt) * 1000,
  suppressed: numberIn(item.suppressed),
  suppressedBefore: numberIn(item.suppressedBefore),
});

/**
 * Where a claim may open its window: nothing there, or a sent window of another event that
 * has closed. The condition `judge` would give 'open' for, in one round trip.
 */
const OPENS_FRESH =
  'attribute_not_exists(pk) OR ((attribute_not_exists(#status) OR #status = :sent) AND expiresAt <= :at AND eventId <> :eventId)';

/** Taking over a pending window past its lease: only if it is still that very claim. */
const TAKES_OVER = 'claimToken = :replaced AND #status = :pending';

/**
 * Replacing an untrusted window: only if it is still that very record (it may carry no token,
 * having been written by no claim).
 */
const STILL_UNTRUSTED = 'eventId = :replacedOpener AND expiresAt = :replacedExpires';

/** The window a claim replaces other than a closed sent one, and why it may. */
interface Replacing {
  record: WindowRecord;
  /** Untrusted (see `judge`), rather than pending past its lease. */
  untrusted: boolean;
}

/** Where an event's note may be written: nothing noted of the event that is still in force. */
const NOTHING_NOTED = 'attribute_not_exists(pk) OR expiresAt <= :at';

/**
 * Dedup windows in a DynamoDB table keyed by `pk` (string), with `expiresAt` (epoch seconds)
 * as its TTL attribute. TTL deletion is lazy (an expired item can linger for days), so the
 * claim checks `expiresAt` itself.
 *
 * A claim is one conditional UpdateItem that writes the window `pending`, with its token and
 * a lease until the end of the invocation: concurrent invocations race on the condition and
 * exactly one wins. Marking it `sent` after SNS accepted the alert is the second write. A
 * losing claim reads the window it lost to from the failed write (ALL_OLD) and lets `judge`
 * decide: count itself against a sent window (one more write), acknowledge a redelivery, wait
 * for a pending one, or take over a pending one whose lease has run out (conditional on its
 * token). When the SDK retries a write whose answer was lost, the retry finds the window its
 * own first attempt opened, and the token tells that apart from a redelivery.
 *
 * A root event counted in a window, or sent as a window's opener, is also noted under its own
 * key (see `eventKeyOf`): the note is what tells a redelivery from a new event once the
 * window is replaced, and a counted event's note waits in the `DigestsDue` index for the
 * window's digest (see `DigestTable`).
 */
export class DedupTable implements DedupStore {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;

  constructor(tableName: string, client: DynamoDBClient = new DynamoDBClient()) {
    this.#tableName = tableName;
    this.#client = client;
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    let replacing: Replacing | undefined;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      let record: WindowRecord;
      try {
        return await this.#open(request, replacing);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) {
          throw error;
        }
        record = recordOf(error.Item);
      }
      switch (judge(record, request)) {
        case 'own':
          return { kind: 'claimed', suppressedBefore: record.suppressedBefore };
        case 'redelivery':
          return { kind: 'duplicate', redelivery: true };
        case 'in-flight':
          return { kind: 'in-flight', leaseUntil: record.leaseUntil };
        case 'suppress':
          if (request.counted !== undefined) return this.#count(request, request.counted, record);
          if (await this.#countSuppressed(request.key, record.eventId)) {
            return { kind: 'duplicate', redelivery: false, openerId: record.eventId };
          }
          replacing = undefined;
          break;
        case 'untrusted':
          replacing = { record, untrusted: true };
          break;
        case 'open':
          replacing = record.status === 'pending' ? { record, untrusted: false } : undefined;
          break;
      }
    }
    throw new Error(`Dedup window ${request.key} kept changing during ${MAX_CLAIM_ROUNDS} claims`);
  }

  /**
   * Writes the claim's pending window over nothing or a closed sent window, or over the window
   * `replacing`: a pending one whose lease ran out, or an untrusted one. Every action reads the
   * item as it was before the write, so the replaced window's count moves to `suppressedBefore`
   * in the same write.
   */
  async #open(request: ClaimRequest, replacing: Replacing | undefined): Promise<ClaimOutcome> {
    const carried = replacing?.untrusted === true ? 0 : carriedFrom(replacing?.record);
    const { Attributes } = await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: { pk: { S: request.key } },
        UpdateExpression: `SET suppressedBefore = ${replacing === undefined ? 'if_not_exists(suppressed, :zero)' : ':carried'}, eventId = :eventId, claimToken = :token, #status = :pending, leaseUntil = :lease, openedAt = :openedAt, expiresAt = :expires, suppressed = :zero REMOVE messageId`,
        ConditionExpression:
          replacing === undefined
            ? OPENS_FRESH
            : replacing.untrusted
              ? STILL_UNTRUSTED
              : TAKES_OVER,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':eventId': { S: request.eventId },
          ':token': { S: request.token },
          ':pending': { S: 'pending' },
          ':lease': { N: String(request.leaseUntil) },
          ':openedAt': { N: String(request.at) },
          ':expires': { N: String(epochSeconds(request.until)) },
          ':zero': { N: '0' },
          ...(replacing === undefined
            ? {
                ':sent': { S: 'sent' },
                ':at': { N: String(Math.floor(request.at / 1000)) },
              }
            : replacing.untrusted
              ? {
                  ':replacedOpener': { S: replacing.record.eventId },
                  ':replacedExpires': { N: String(replacing.record.until / 1000) },
                  ':carried': { N: '0' },
                }
              : {
                  ':replaced': { S: replacing.record.token ?? '' },
                  ':carried': { N: String(carried) },
                }),
        },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (replacing?.untrusted === true) {
      return {
        kind: 'claimed',
        suppressedBefore: 0,
        replacedUntrusted: untrustedWindowOf(replacing.record),
      };
    }
    const suppressedBefore =
      replacing === undefined
        ? carriedFrom(Attributes === undefined ? undefined : recordOf(Attributes))
        : carried;
    return { kind: 'claimed', suppressedBefore };
  }

  /**
   * Marks the window sent and, at the same time, notes the opener under its own key: the alert
   * went out whether or not the window is still this claim's, and the two writes side by side
   * keep the alert path as long as it was with one.
   */
  async markSent(request: ClaimRequest, messageId: string | undefined): Promise<boolean> {
    const noteKey = eventKeyOf(request.eventId);
    const [marked, noted] = await Promise.allSettled([
      this.#markWindowSent(request, messageId),
      request.counted !== undefined && noteKey !== request.key
        ? this.#note({
            pk: { S: noteKey },
            eventId: { S: request.eventId },
            claimToken: { S: request.token },
            status: { S: 'sent' },
            openedAt: { N: String(request.at) },
            expiresAt: { N: String(epochSeconds(request.at + REDELIVERY_MINUTES * 60_000)) },
          })
        : undefined,
    ]);
    if (marked.status === 'rejected') throw marked.reason;
    if (noted.status === 'rejected') throw noted.reason;
    return marked.value;
  }

  async #markWindowSent(request: ClaimRequest, messageId: string | undefined): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: request.key } },
          UpdateExpression:
            messageId === undefined
              ? 'SET #status = :sent REMOVE leaseUntil'
              : 'SET #status = :sent, messageId = :messageId REMOVE leaseUntil',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':token': { S: request.token },
            ':sent': { S: 'sent' },
            ...(messageId === undefined ? {} : { ':messageId': { S: messageId } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Ends the lease of this claim's window, if it is still pending and still this claim's (a
   * claim whose write never landed changes nothing): the next claim for the key, the retry of
   * this event or another event, takes it over at once, with the count it was carrying.
   */
  async release(request: ClaimRequest): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: request.key } },
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: 'claimToken = :token AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':token': { S: request.token },
            ':pending': { S: 'pending' },
            ':zero': { N: '0' },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Counts a root event in the sent window that covers it: first its note, which makes it due
   * for the window's digest and acknowledges its redeliveries, then the window's count. The
   * note is the one write that matters: once it is written the event is covered (the window's
   * alert went out, and its time falls inside the window), even if the window has been
   * replaced meanwhile and keeps no count of it.
   */
  async #count(
    request: ClaimRequest,
    counted: CountedEvent,
    window: WindowRecord,
  ): Promise<ClaimOutcome> {
    const windowId = windowIdOf(request.key, window.eventId);
    const earlier = await this.#note(
      countedEventItem(request, counted, {
        openerId: window.eventId,
        openedAt: window.at,
        closesAt: window.until,
      }),
    );
    // Noted before: counted in this window already (the retry of an invocation that failed
    // after counting it), or handled otherwise, as an opener or in an earlier window.
    if (earlier !== undefined) {
      return earlier.countedIn?.S === windowId
        ? { kind: 'duplicate', redelivery: false, openerId: window.eventId }
        : { kind: 'duplicate', redelivery: true };
    }
    // Only the next alert's report of how many were suppressed reads this count: a failure to
    // keep it loses nothing the digest does not have.
    await this.#countSuppressed(request.key, window.eventId).catch(() => false);
    return { kind: 'duplicate', redelivery: false, openerId: window.eventId };
  }

  /**
   * Writes an event's note unless one is in force, and gives that one. Undefined when written,
   * by this call or by an attempt of it whose answer was lost (the token tells).
   */
  async #note(item: Item): Promise<Item | undefined> {
    const at = Math.floor(numberIn(item.openedAt) / 1000);
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: NOTHING_NOTED,
          ExpressionAttributeValues: { ':at': { N: String(at) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) {
        throw error;
      }
      return error.Item.claimToken?.S === item.claimToken?.S ? undefined : error.Item;
    }
  }

  /**
   * Counts one suppressed event in the sent window that covers it. False when that window was
   * replaced or taken over meanwhile: the claim looks again.
   */
  async #countSuppressed(key: string, openerId: string): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: key } },
          UpdateExpression: 'ADD suppressed :one',
          ConditionExpression:
            'eventId = :opener AND (attribute_not_exists(#status) OR #status = :sent)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':opener': { S: openerId },
            ':sent': { S: 'sent' },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
