import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DIGESTS_DUE_INDEX } from '../../src/aws/counted-event-item.js';

/** The table's keys and index, as template.yaml declares them (a deploy test holds them equal). */
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

/**
 * Creates a dedup table shaped as template.yaml makes it (`pk` string key, the sparse index of
 * digests due, on demand), with a
 * unique name so files sharing one moto server never see each other's claims.
 */
export const createDedupTable = async (
  prefix = 'dedup',
  client = new DynamoDBClient(),
): Promise<string> => {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      ...DEDUP_TABLE_SHAPE,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return tableName;
};
