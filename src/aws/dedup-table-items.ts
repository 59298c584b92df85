import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';

/** An update of one item, made only while its condition holds. */
export type ConditionalUpdate = Pick<
  UpdateItemCommandInput,
  'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
> & { ConditionExpression: string };

/**
 * The dedup table as its two views use it, the windows (`DedupTable`) and the digests
 * (`DigestTable`): items keyed by `pk`, most of them changed by a conditional update whose failed
 * condition means the item is no longer the writer's to change.
 */
export abstract class DedupTableItems {
  protected readonly tableName: string;
  protected readonly client: DynamoDBClient;

  constructor(tableName: string, client: DynamoDBClient = new DynamoDBClient()) {
    this.tableName = tableName;
    this.client = client;
  }

  /** Updates the item `pk` if the update's condition holds: false when it did not. */
  protected async updateIf(pk: string, update: ConditionalUpdate): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({ TableName: this.tableName, Key: { pk: { S: pk } }, ...update }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
