import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RootSession } from '../root-sessions/root-session.js';
import { isAccessKeyId } from '../root-sessions/root-session.js';
import { type RootSessionStore, rememberedUntil } from '../root-sessions/session-store.js';
import { epochSeconds } from './counted-event-item.js';

type Item = Record<string, AttributeValue>;

/**
 * The key of a session's item. An access key id is letters and digits only, so no dedup key
 * (`event#...`, a rule id and an account) is ever one of these.
 */
const sessionKeyOf = (accessKeyId: string): string => `root-session#${accessKeyId}`;

const text = (item: Item, name: string): string | undefined => {
  const value = item[name]?.S;
  return value === undefined || value === '' ? undefined : value;
};

const number = (item: Item, name: string): number | undefined => {
  const value = Number(item[name]?.N);
  return item[name]?.N === undefined || !Number.isFinite(value) ? undefined : value;
};

/** A stored session, or undefined when the item lacks a field: nothing half-read is joined. */
const sessionOf = (item: Item): RootSession | undefined => {
  const accessKeyId = text(item, 'accessKeyId');
  const openedBy = text(item, 'openedBy');
  const sourceIp = text(item, 'sourceIp');
  const targetAccount = text(item, 'targetAccount');
  const taskPolicyArn = text(item, 'taskPolicyArn');
  const openedAt = number(item, 'openedAt');
  const expiresAt = number(item, 'sessionExpiresAt');
  const eventId = text(item, 'eventId');
  const region = text(item, 'region');
  if (
    !isAccessKeyId(accessKeyId) ||
    openedBy === undefined ||
    sourceIp === undefined ||
    targetAccount === undefined ||
    taskPolicyArn === undefined ||
    openedAt === undefined ||
    expiresAt === undefined ||
    eventId === undefined ||
    region === undefined
  ) {
    return undefined;
  }
  return {
    accessKeyId,
    openedBy,
    openedByRole: text(item, 'openedByRole'),
    sourceIp,
    targetAccount,
    taskPolicyArn,
    openedAt,
    expiresAt,
    eventId,
    region,
  };
};

/**
 * Root sessions in the dedup table: one item per session under `root-session#<access key>`, kept
 * until the session's end plus a day (`expiresAt`, the table's TTL attribute, in epoch seconds;
 * see `rememberedUntil`). TTL deletion is lazy, so a read checks `expiresAt` itself. Only the
 * stack's roles write the table (its resource policy), so a session found here was written by
 * the function that saw its sts:AssumeRoot.
 */
export class RootSessionTable implements RootSessionStore {
  readonly #tableName: string;
  readonly #client: DynamoDBClient;
  readonly #clock: () => number;

  constructor(
    tableName: string,
    client: DynamoDBClient = new DynamoDBClient(),
    clock: () => number = Date.now,
  ) {
    this.#tableName = tableName;
    this.#client = client;
    this.#clock = clock;
  }

  /** Writes the session; a redelivered AssumeRoot writes the same item again. */
  async remember(session: RootSession): Promise<void> {
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: {
          pk: { S: sessionKeyOf(session.accessKeyId) },
          accessKeyId: { S: session.accessKeyId },
          openedBy: { S: session.openedBy },
          ...(session.openedByRole === undefined
            ? {}
            : { openedByRole: { S: session.openedByRole } }),
          sourceIp: { S: session.sourceIp },
          targetAccount: { S: session.targetAccount },
          taskPolicyArn: { S: session.taskPolicyArn },
          openedAt: { N: String(session.openedAt) },
          sessionExpiresAt: { N: String(session.expiresAt) },
          eventId: { S: session.eventId },
          region: { S: session.region },
          expiresAt: { N: String(epochSeconds(rememberedUntil(session))) },
        },
      }),
    );
  }

  /**
   * Read consistently: the session may have been written a moment ago by the invocation that
   * handled its AssumeRoot.
   */
  async find(accessKeyId: string): Promise<RootSession | undefined> {
    if (!isAccessKeyId(accessKeyId)) return undefined;
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { pk: { S: sessionKeyOf(accessKeyId) } },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const until = number(Item, 'expiresAt');
    if (until === undefined || until * 1000 <= this.#clock()) return undefined;
    const session = sessionOf(Item);
    return session?.accessKeyId === accessKeyId ? session : undefined;
  }
}
