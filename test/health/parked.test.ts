import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { QueueDepths } from '../../src/aws/health/queue-depths.js';
import { parkedCheck } from '../../src/health/parked.js';
import { useMoto } from '../support/aws-env.js';

useMoto();

const sqs = new SQSClient();

/** A queue as the stack makes them; returns its ARN and URL. */
const queue = async (name: string) => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-${randomUUID().slice(0, 8)}` }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (QueueUrl === undefined || Attributes?.QueueArn === undefined) throw new Error('no queue');
  return { url: QueueUrl, arn: Attributes.QueueArn };
};

/** What Lambda parks: the failed invocation's record, with the original event inside. */
const park = (url: string) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: JSON.stringify({
        requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
        requestPayload: { 'detail-type': 'AWS Console Sign In via CloudTrail' },
      }),
    }),
  );

const checkOf = (queueArns: string[]) => parkedCheck(new QueueDepths(sqs), { queueArns });

describe('Check: parked', () => {
  it('passes when both queues are empty', async () => {
    const onFailure = await queue('OnFailureQueue');
    const deadLetter = await queue('RuleDeadLetterQueue');

    expect(await checkOf([onFailure.arn, deadLetter.arn]).run(new Date())).toEqual({
      ok: true,
      verdict: 'no root event waits in the 2 queues of undelivered alerts',
    });
  });

  it('fails when an event is parked, naming the queue and how to read it', async () => {
    const onFailure = await queue('OnFailureQueue');
    const deadLetter = await queue('RuleDeadLetterQueue');
    await park(deadLetter.url);
    await park(deadLetter.url);

    const finding = await checkOf([onFailure.arn, deadLetter.arn]).run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(/wait in RuleDeadLetterQueue-\w+ \(2 waiting\)$/),
      fix: expect.stringContaining(`aws sqs receive-message --queue-url ${deadLetter.url}`),
    });
  });

  it('still fails while someone is reading the parked event (it is not handled until deleted)', async () => {
    const onFailure = await queue('OnFailureQueue');
    await park(onFailure.url);
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: onFailure.url, VisibilityTimeout: 300 }));

    const finding = await checkOf([onFailure.arn]).run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('(0 waiting, 1 being read or delayed)'),
    });
  });

  it('reports a queue that does not exist as missing, with a fix that is not a permission', async () => {
    const onFailure = await queue('OnFailureQueue');
    const missing = `arn:aws:sqs:us-east-1:123456789012:OnFailureQueue-${randomUUID().slice(0, 8)}`;

    const finding = await checkOf([onFailure.arn, missing]).run(new Date());

    expect(finding).toEqual({
      ok: false,
      verdict: `queue ${missing} does not exist: a root event that fails every retry would be lost, not parked`,
      fix: expect.stringMatching(/^check that MONITOR_QUEUE_ARNS lists the stack's current queues/),
    });
    expect(finding.ok || finding.fix).not.toMatch(/let the caller use/);
  });

  it('still names the parked events beside a missing queue, and how to read them', async () => {
    const deadLetter = await queue('RuleDeadLetterQueue');
    await park(deadLetter.url);
    const missing = `arn:aws:sqs:us-east-1:123456789012:OnFailureQueue-${randomUUID().slice(0, 8)}`;

    const finding = await checkOf([missing, deadLetter.arn]).run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /does not exist: .*; root events that were never alerted wait in RuleDeadLetterQueue-\w+ \(1 waiting\)$/,
      ),
      fix: expect.stringContaining(`aws sqs receive-message --queue-url ${deadLetter.url}`),
    });
  });
});
