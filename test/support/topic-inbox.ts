import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** One SNS delivery as an SQS subscriber sees it, taken out of SNS's JSON envelope. */
export interface Received {
  messageId: string;
  /** The topic that delivered it. */
  topicArn: string;
  subject: string | undefined;
  /** The message for the `sqs` protocol: `default` of a MessageStructure json message. */
  message: string;
  /** MessageAttributes by name, their values as strings. */
  attributes: Record<string, string>;
}

export interface TopicInbox {
  topicArn: string;
  /** Everything delivered since the last call, oldest first; removes it from the queue. */
  receiveAll(): Promise<Received[]>;
  /**
   * Creates another topic that delivers to the same queue, as one person subscribed to two
   * topics; returns its ARN.
   */
  addTopic(name?: string): Promise<string>;
}

interface Envelope {
  MessageId: string;
  TopicArn: string;
  Subject?: string | null;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

const fromEnvelope = (body: string): Received => {
  const envelope = JSON.parse(body) as Envelope;
  return {
    messageId: envelope.MessageId,
    topicArn: envelope.TopicArn,
    subject: envelope.Subject ?? undefined,
    message: envelope.Message,
    attributes: Object.fromEntries(
      Object.entries(envelope.MessageAttributes ?? {}).map(([name, { Value }]) => [name, Value]),
    ),
  };
};

/**
 * A fresh SNS topic with an SQS queue subscribed (SNS envelope kept, as an email or chat
 * integration would see the message). Call after `useMoto()`. Names are unique so test files
 * running in parallel against one moto server never see each other's messages.
 */
export const createTopicInbox = async (name = 'alerts'): Promise<TopicInbox> => {
  const suffix = randomUUID().slice(0, 8);
  const sns = new SNSClient();
  const sqs = new SQSClient();
  const { TopicArn: topicArn } = await sns.send(
    new CreateTopicCommand({ Name: `${name}-${suffix}` }),
  );
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-inbox-${suffix}` }),
  );
  if (topicArn === undefined || queueUrl === undefined) throw new Error('moto returned no ARN/URL');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const subscribe = (arn: string) =>
    sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
  await subscribe(topicArn);

  const addTopic = async (other = `${name}-second`): Promise<string> => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${other}-${suffix}` }));
    if (TopicArn === undefined) throw new Error('moto returned no ARN');
    await subscribe(TopicArn);
    return TopicArn;
  };

  const receiveAll = async (): Promise<Received[]> => {
    const received: Received[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      if (Messages.length === 0) return received;
      for (const { Body } of Messages) if (Body !== undefined) received.push(fromEnvelope(Body));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map(({ ReceiptHandle }, i) => ({
            Id: String(i),
            ReceiptHandle,
          })),
        }),
      );
    }
  };

  return { topicArn, receiveAll, addTopic };
};
