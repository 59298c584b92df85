import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** An SQS queue that topics deliver to, as a person's email or chat integration would receive. */
export interface QueueInbox {
  /** Subscribes the queue to a topic, SNS's envelope kept (it carries subject and attributes). */
  subscribe(topicArn: string): Promise<void>;
  /** The envelopes delivered since the last call, oldest first; removes them from the queue. */
  drain(): Promise<string[]>;
}

/**
 * Creates the queue `queueName`. `waitSeconds` is how long an empty receive waits: 0 where the
 * emulator delivers to the queue before Publish answers.
 */
export const createQueueInbox = async (
  sns: SNSClient,
  sqs: SQSClient,
  queueName: string,
  waitSeconds = 0,
): Promise<QueueInbox> => {
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (queueUrl === undefined) throw new Error(`the emulator made no queue ${queueName}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const subscribe = async (topicArn: string): Promise<void> => {
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
  };
  const drain = async (): Promise<string[]> => {
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
        }),
      );
      if (Messages.length === 0) return bodies;
      for (const { Body } of Messages) if (Body !== undefined) bodies.push(Body);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map(({ ReceiptHandle }, index) => ({
            Id: String(index),
            ReceiptHandle,
          })),
        }),
      );
    }
  };
  return { subscribe, drain };
};
