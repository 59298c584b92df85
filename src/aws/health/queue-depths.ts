import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth, QueueReads } from '../../health/reads.js';

const count = (value: string | undefined): number => {
  const number = Number(value ?? '0');
  return Number.isFinite(number) ? number : 0;
};

/** How many messages wait in a queue named by its ARN. */
export class QueueDepths implements QueueReads {
  readonly #client: SQSClient;

  constructor(client: SQSClient) {
    this.#client = client;
  }

  async depth(queueArn: string): Promise<QueueDepth> {
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
