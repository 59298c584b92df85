import { randomUUID } from 'node:crypto';
import { NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../src/aws/alert-topic.js';
import { useMoto } from '../support/aws-env.js';
import { createTopicInbox } from '../support/topic-inbox.js';

useMoto();

const client = new SNSClient();

describe('AlertTopic', () => {
  describe('publish', () => {
    it('delivers subject, attributes and the default message, and returns the MessageId', async () => {
      const inbox = await createTopicInbox();
      const payload = { severity: 'CRITICAL', ruleIds: ['root-console-login-without-mfa'] };

      const messageId = await new AlertTopic(client).publish({
        TopicArn: inbox.topicArn,
        Subject: '[CRITICAL] Root console login without MFA - 111122223333 us-east-1',
        MessageStructure: 'json',
        Message: JSON.stringify({ default: JSON.stringify(payload), email: 'Root signed in.' }),
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'CRITICAL' },
          service: { DataType: 'String', StringValue: 'root-monitor' },
          account_id: { DataType: 'String', StringValue: '111122223333' },
        },
      });

      const received = await inbox.receiveAll();
      expect(received).toHaveLength(1);
      expect(received[0]).toEqual({
        messageId,
        subject: '[CRITICAL] Root console login without MFA - 111122223333 us-east-1',
        message: JSON.stringify(payload),
        attributes: { severity: 'CRITICAL', service: 'root-monitor', account_id: '111122223333' },
      });
    });

    it('rejects when SNS refuses the message, so the caller can release its claim', async () => {
      const topicArn = `arn:aws:sns:us-east-1:123456789012:missing-${randomUUID().slice(0, 8)}`;

      await expect(
        new AlertTopic(client).publish({ TopicArn: topicArn, Message: 'x' }),
      ).rejects.toBeInstanceOf(NotFoundException);
    });
  });
});

describe('createTopicInbox', () => {
  it('drains the queue: a second receive sees only what arrived since', async () => {
    const inbox = await createTopicInbox();
    const topic = new AlertTopic(client);
    await topic.publish({ TopicArn: inbox.topicArn, Message: 'first', Subject: 'one' });
    await topic.publish({ TopicArn: inbox.topicArn, Message: 'second', Subject: 'two' });

    const firstBatch = await inbox.receiveAll();
    const secondBatch = await inbox.receiveAll();

    expect(firstBatch.map((r) => r.message).sort()).toEqual(['first', 'second']);
    expect(secondBatch).toEqual([]);
  });
});
