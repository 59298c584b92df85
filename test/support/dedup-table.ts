import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Creates a dedup table shaped as template.yaml makes it (`pk` string key, on demand), with a
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
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return tableName;
};
