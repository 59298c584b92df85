import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createQueueInbox } from '../../src/cli/local/queue-inbox.js';

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
  if (topicArn === undefined) throw new Error('moto returned no ARN');
  const queue = await createQueueInbox(sns, sqs, `${name}-inbox-${suffix}`, 1);
  await queue.subscribe(topicArn);

  const addTopic = async (other = `${name}-second`): Promise<string> => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${other}-${suffix}` }));
    if (TopicArn === undefined) throw new Error('moto returned no ARN');
    await queue.subscribe(TopicArn);
    return TopicArn;
  };

  const receiveAll = async (): Promise<Received[]> => (await queue.drain()).map(fromEnvelope);

  return { topicArn, receiveAll, addTopic };
};
