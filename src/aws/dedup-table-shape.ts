import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DIGESTS_DUE_INDEX } from './counted-event-item.js';

/**
 * The dedup table's keys and index, as template.yaml declares them (a deploy test holds them
 * equal): the string `pk`, and the sparse index of digests due.
 */
export const DEDUP_TABLE_SHAPE = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'digestDue', AttributeType: 'S' },
    { AttributeName: 'closesAt', AttributeType: 'N' },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    {
      IndexName: DIGESTS_DUE_INDEX,
      KeySchema: [
        { AttributeName: 'digestDue', KeyType: 'HASH' },
        { AttributeName: 'closesAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
} satisfies Omit<CreateTableCommandInput, 'TableName'>;

/** The attribute whose epoch seconds DynamoDB's TTL deletes an item after. */
export const DEDUP_TABLE_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Creates the dedup table `tableName` as the stack makes it, on demand and with its TTL, where
 * no stack deploys it: in an emulator.
 */
export const createDedupTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      ...DEDUP_TABLE_SHAPE,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: DEDUP_TABLE_TTL_ATTRIBUTE, Enabled: true },
    }),
  );
};
