import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDedupTable as createTable } from '../../src/aws/dedup-table-shape.js';

/**
 * Creates a dedup table shaped as template.yaml makes it, with a unique name so files sharing
 * one moto server never see each other's claims.
 */
export const createDedupTable = async (
  prefix = 'dedup',
  client = new DynamoDBClient(),
): Promise<string> => {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTable(client, tableName);
  return tableName;
};

/**
 * The body of a request that writes a dedup window, a claim or an event's note, but not a source
 * root used (`first-seen#...`), which is written beside the claim: for a fault injected into the
 * claims' writes alone (`Injection.body`).
 */
export const DEDUP_WRITES = /"pk":\{"S":"(?!first-seen#)/;
