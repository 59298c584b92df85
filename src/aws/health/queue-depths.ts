import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueDepth, QueueReads } from '../../health/ports.js';

const count = (value: string | undefined): number => {
  const number = Number(value ?? '0');
  return Number.isFinite(number) ? number : 0;
};

/**
 * SQS's answer for a queue that does not exist: `QueueDoesNotExist` in its JSON protocol, with
 * the query protocol's `AWS.SimpleQueueService.NonExistentQueue` as the error's `Code`; either
 * is enough, so a client or endpoint that gives only one is still understood.
 */
const isMissingQueue = (error: unknown): boolean =>
  error instanceof QueueDoesNotExist ||
  (error instanceof Error &&
    [error.name, 'Code' in error ? error.Code : undefined].some(
      (code) => code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue',
    ));

/** How many messages wait in a queue named by its ARN. */
export class QueueDepths implements QueueReads {
  readonly #client: SQSClient;

  constructor(client: SQSClient) {
    this.#client = client;
  }

  async depth(queueArn: string): Promise<QueueDepth | undefined> {
    try {
      return await this.#depth(queueArn);
    } catch (error) {
      if (isMissingQueue(error)) return undefined;
      throw error;
    }
  }

  async #depth(queueArn: string): Promise<QueueDepth> {
    // arn:PARTITION:sqs:REGION:ACCOUNT:NAME
    const [, , , , account, name] = queueArn.split(':');
    if (account === undefined || name === undefined)
      throw new Error(`not an SQS queue ARN: ${queueArn}`);
    const { QueueUrl } = await this.#client.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (QueueUrl === undefined) throw new Error(`SQS gave no URL for ${queueArn}`);
    const { Attributes = {} } = await this.#client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return {
      url: QueueUrl,
      visible: count(Attributes.ApproximateNumberOfMessages),
      inFlight:
        count(Attributes.ApproximateNumberOfMessagesNotVisible) +
        count(Attributes.ApproximateNumberOfMessagesDelayed),
    };
  }
}
