import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DIGESTS_DUE_INDEX } from '../../src/aws/counted-event-item.js';

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
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return tableName;
};
