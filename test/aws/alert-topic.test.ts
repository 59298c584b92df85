import { randomUUID } from 'node:crypto';
import { DeleteTopicCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../src/aws/alert-topic.js';
import { useMoto } from '../support/aws-env.js';
import {
  formField,
  queryError,
  SNS_AUTHORIZATION_ERROR,
  SNS_KMS_ERRORS,
  SNS_KMS_THROTTLING,
} from '../support/fault-proxy.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';
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
        topicArn: inbox.topicArn,
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

describe('AlertTopic with a fallback topic', () => {
  const proxy = useFaultProxy();

  /** One subscriber on both topics; SNS reached through the fault proxy. */
  const twoTopics = async () => {
    const inbox = await createTopicInbox();
    const fallbackTopicArn = await inbox.addTopic('alarms');
    const logger = recordingLogger();
    const topic = new AlertTopic(new SNSClient({ endpoint: proxy.endpoint }), {
      fallbackTopicArn,
      logger,
    });
    /** SNS answers a publish to `refused` with `fault`, as it does when the topic's key is unusable. */
    const refuse = (refused: string, fault = SNS_KMS_ERRORS.KMSDisabledException) =>
      proxy.setRule((request) =>
        request.operation === 'Publish' && formField(request, 'TopicArn') === refused
          ? fault
          : undefined,
      );
    return { inbox, fallbackTopicArn, topic, logger, refuse };
  };

  it.each(Object.keys(SNS_KMS_ERRORS) as (keyof typeof SNS_KMS_ERRORS)[])(
    'publishes to the fallback topic when SNS answers %s for the alert topic',
    async (errorName) => {
      const { inbox, fallbackTopicArn, topic, logger, refuse } = await twoTopics();
      refuse(inbox.topicArn, SNS_KMS_ERRORS[errorName]);

      const messageId = await topic.publish({
        TopicArn: inbox.topicArn,
        Subject: 'Root disabled a key',
        Message: 'alert',
      });

      const received = await inbox.receiveAll();
      expect(received).toEqual([
        expect.objectContaining({ messageId, topicArn: fallbackTopicArn, message: 'alert' }),
      ]);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'ALERT_TOPIC_REFUSED',
          fields: expect.objectContaining({ error: expect.stringMatching(`^${errorName}: `) }),
        }),
      );
    },
  );

  it("publishes to the fallback topic when SNS answers AuthorizationError: the topic's policy refuses the function", async () => {
    const { inbox, fallbackTopicArn, topic, logger, refuse } = await twoTopics();
    refuse(inbox.topicArn, SNS_AUTHORIZATION_ERROR);

    const messageId = await topic.publish({ TopicArn: inbox.topicArn, Message: 'alert' });

    expect(await inbox.receiveAll()).toEqual([
      expect.objectContaining({ messageId, topicArn: fallbackTopicArn, message: 'alert' }),
    ]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'ALERT_TOPIC_REFUSED',
        fields: expect.objectContaining({
          error: expect.stringMatching(/^AuthorizationErrorException: User: .* is not authorized/),
        }),
      }),
    );
  });

  it('publishes to the fallback topic when the alert topic has been deleted', async () => {
    const { inbox, fallbackTopicArn, topic } = await twoTopics();
    proxy.setRule(() => undefined);
    const deletedArn = `${inbox.topicArn}-deleted`;
    await new SNSClient().send(new DeleteTopicCommand({ TopicArn: deletedArn }));

    await topic.publish({ TopicArn: deletedArn, Message: 'alert' });

    expect(await inbox.receiveAll()).toEqual([
      expect.objectContaining({ topicArn: fallbackTopicArn, message: 'alert' }),
    ]);
  });

  it('does not fall back when SNS itself fails: the Lambda retry is the answer to that', async () => {
    const { inbox, topic, refuse } = await twoTopics();
    refuse(inbox.topicArn, queryError('InternalError', 'Internal error', 500, 'Receiver'));

    await expect(topic.publish({ TopicArn: inbox.topicArn, Message: 'alert' })).rejects.toThrow(
      'Internal error',
    );
    expect(await inbox.receiveAll()).toEqual([]);
  });

  it('does not fall back when KMS throttles: its quota is shared by every key of the account', async () => {
    const { inbox, topic, refuse, logger } = await twoTopics();
    refuse(inbox.topicArn, SNS_KMS_THROTTLING);

    await expect(
      topic.publish({ TopicArn: inbox.topicArn, Message: 'alert' }),
    ).rejects.toMatchObject({ name: 'KMSThrottlingException' });
    expect(await inbox.receiveAll()).toEqual([]);
    expect(logger.lines).not.toContainEqual(
      expect.objectContaining({ message: 'ALERT_TOPIC_REFUSED' }),
    );
  });

  it("rejects with the fallback's error when both topics refuse", async () => {
    const { inbox, fallbackTopicArn, topic } = await twoTopics();
    proxy.setRule((request) =>
      request.operation === 'Publish' ? SNS_KMS_ERRORS.KMSInvalidStateException : undefined,
    );

    const publish = topic.publish({ TopicArn: inbox.topicArn, Message: 'alert' });

    await expect(publish).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    expect(proxy.faulted.slice(-2).map((request) => formField(request, 'TopicArn'))).toEqual([
      inbox.topicArn,
      fallbackTopicArn,
    ]);
    expect(await inbox.receiveAll()).toEqual([]);
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
