import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { TopicSubscriptionList } from '../../src/aws/health/topic-subscriptions.js';
import { subscribersCheck } from '../../src/health/subscribers.js';
import { useMoto } from '../support/aws-env.js';
import { rewritingAnswers } from '../support/rewritten-answers.js';

useMoto();

const sns = new SNSClient();

/** Addresses that have not followed their confirmation link yet. */
const UNCONFIRMED = /@unconfirmed\.example\.com$/;

/**
 * moto confirms every subscription at once. AWS lists one still waiting for its confirmation link
 * with `PendingConfirmation` in place of its ARN; this client reads moto's real answer with that
 * change made, for the addresses the test has not "confirmed".
 */
const listingPending = (): SNSClient =>
  rewritingAnswers(new SNSClient(), 'ListSubscriptionsByTopicCommand', (xml) =>
    xml.replace(/<member>[\s\S]*?<\/member>/g, (member) => {
      const endpoint = /<Endpoint>([^<]*)<\/Endpoint>/.exec(member)?.[1] ?? '';
      return UNCONFIRMED.test(endpoint)
        ? member.replace(
            /<SubscriptionArn>[^<]*<\/SubscriptionArn>/,
            '<SubscriptionArn>PendingConfirmation</SubscriptionArn>',
          )
        : member;
    }),
  );

const topicWith = async (...subscriptions: { protocol: string; endpoint: string }[]) => {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: `alerts-${randomUUID().slice(0, 8)}` }),
  );
  if (TopicArn === undefined) throw new Error('moto returned no topic ARN');
  for (const { protocol, endpoint } of subscriptions) {
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: protocol, Endpoint: endpoint }));
  }
  return TopicArn;
};

const checkOf = (topicArns: string[]) =>
  subscribersCheck(new TopicSubscriptionList(listingPending()), { topicArns });

describe('Check: subscribers', () => {
  it('passes with a confirmed subscription, naming its protocol', async () => {
    const topicArn = await topicWith({ protocol: 'email', endpoint: 'soc@example.com' });

    expect(await checkOf([topicArn]).run(new Date())).toEqual({
      ok: true,
      verdict: `topic ${topicArn}: 1 confirmed subscription (email)`,
    });
  });

  it('fails when the only email subscription awaits confirmation', async () => {
    const topicArn = await topicWith({
      protocol: 'email',
      endpoint: 'soc@unconfirmed.example.com',
    });

    const finding = await checkOf([topicArn]).run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `topic ${topicArn} has no confirmed subscription (1 pending confirmation): its alerts reach no one`,
      fix: expect.stringContaining('Subscription Confirmation'),
    });
  });

  it('passes with one confirmed and one pending, and counts the pending one', async () => {
    const topicArn = await topicWith(
      { protocol: 'email', endpoint: 'oncall@unconfirmed.example.com' },
      { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:chat-relay' },
    );

    expect(await checkOf([topicArn]).run(new Date())).toEqual({
      ok: true,
      verdict: `topic ${topicArn}: 1 confirmed subscription (sqs), 1 pending`,
    });
  });

  it('fails with no subscription at all', async () => {
    const topicArn = await topicWith();

    expect(await checkOf([topicArn]).run(new Date())).toMatchObject({
      ok: false,
      verdict: `topic ${topicArn} has no confirmed subscription: its alerts reach no one`,
    });
  });

  it('fails when one of several topics is unheard, naming only that one', async () => {
    const heard = await topicWith({ protocol: 'email', endpoint: 'soc@example.com' });
    const unheard = await topicWith();

    const finding = await checkOf([heard, unheard]).run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toContain(unheard);
    expect(finding.verdict).not.toContain(heard);
  });
});
