import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { TopicSubscriptionList } from '../../src/aws/health/topic-subscriptions.js';
import { subscribersCheck } from '../../src/health/subscribers.js';
import { useMoto } from '../support/aws-env.js';
import { deployTemplateResources } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { rewritingAnswers } from '../support/rewritten-answers.js';

useMoto();

/** Addresses that have not followed their confirmation link yet. */
const UNCONFIRMED = /@unconfirmed\.example\.com$/;

/**
 * moto confirms every subscription at once. AWS lists one still waiting for its confirmation link
 * with `PendingConfirmation` in place of its ARN; this client reads moto's real answer with that
 * change made, for the addresses the test has not "confirmed".
 */
const listingPending = (account: string): SNSClient =>
  rewritingAnswers(inAccount(new SNSClient(), account), 'ListSubscriptionsByTopicCommand', (xml) =>
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

/** What the stack's email subscriptions filter with when MinimumSeverity is HIGH. */
const HIGH_AND_ALARMS = {
  $or: [{ severity: ['CRITICAL', 'HIGH'] }, { severity: [{ exists: false }] }],
};

/**
 * The stack's two topics and, with `alertEmail`, its two email subscriptions, deployed from
 * template.yaml in moto. moto's CloudFormation does not make subscriptions: `subscribeAsStack`
 * makes each as CloudFormation would, with the filter the template sets.
 */
const monitorTopics = async ({
  alertEmail = '',
  declared = {},
}: {
  alertEmail?: string;
  declared?: Record<string, unknown>;
} = {}) => {
  const account = freshAccountId();
  const { stackName, physicalId } = await deployTemplateResources(
    account,
    ['AlertKey', 'AlertTopic', 'AlarmTopic', 'AlertEmailSubscription', 'AlarmEmailSubscription'],
    {
      parameters: {
        AlertEmail: alertEmail,
        MinimumSeverity: 'HIGH',
        SubscriptionFilterPolicies: JSON.stringify(declared),
      },
    },
  );
  const sns = inAccount(new SNSClient(), account);
  const topics = [await physicalId('AlertTopic'), await physicalId('AlarmTopic')];
  const subscribe = async (
    topicArn: string,
    protocol: string,
    endpoint: string,
    filterPolicy?: object,
  ): Promise<string> => {
    const { SubscriptionArn = '' } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: protocol,
        Endpoint: endpoint,
        ...(filterPolicy === undefined
          ? {}
          : {
              Attributes: {
                FilterPolicyScope: 'MessageAttributes',
                FilterPolicy: JSON.stringify(filterPolicy),
              },
            }),
      }),
    );
    return SubscriptionArn;
  };
  const subscribeAsStack = () =>
    Promise.all(topics.map((topic) => subscribe(topic, 'email', alertEmail, HIGH_AND_ALARMS)));
  const check = subscribersCheck(
    new TopicSubscriptionList(listingPending(account)),
    new MonitorStack(inAccount(new CloudFormationClient(), account), stackName),
    { topicArns: topics },
  );
  const setFilter = (SubscriptionArn: string, policy: object) =>
    sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: JSON.stringify(policy),
      }),
    );
  return { topics, sns, subscribe, subscribeAsStack, check, setFilter };
};

describe('Check: subscribers', () => {
  it('passes with a confirmed subscription on each topic, naming its protocol', async () => {
    const { topics, subscribe, check } = await monitorTopics();
    for (const topic of topics) await subscribe(topic, 'email', 'soc@example.com');

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict: `topic ${topics[0]}: 1 confirmed subscription (email); topic ${topics[1]}: 1 confirmed subscription (email), each filter as the stack or SubscriptionFilterPolicies sets it`,
    });
  });

  it('fails when the only email subscription awaits confirmation', async () => {
    const { topics, subscribe, check } = await monitorTopics();
    const [alerts = '', alarms = ''] = topics;
    await subscribe(alerts, 'email', 'soc@unconfirmed.example.com');
    await subscribe(alarms, 'email', 'soc@example.com');

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `topic ${alerts} has no confirmed subscription (1 pending confirmation): its alerts reach no one`,
      fix: expect.stringContaining('Subscription Confirmation'),
    });
  });

  it('passes with one confirmed and one pending, and counts the pending one', async () => {
    const { topics, subscribe, check } = await monitorTopics();
    const [alerts = '', alarms = ''] = topics;
    await subscribe(alerts, 'email', 'oncall@unconfirmed.example.com');
    await subscribe(alerts, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:chat-relay');
    await subscribe(alarms, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:chat-relay');

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: true,
      verdict: expect.stringContaining(
        `topic ${alerts}: 1 confirmed subscription (sqs), 1 pending`,
      ),
    });
  });

  it('fails when one topic has no subscription at all, naming only that one', async () => {
    const { topics, subscribe, check } = await monitorTopics();
    const [alerts = '', alarms = ''] = topics;
    await subscribe(alerts, 'email', 'soc@example.com');

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `topic ${alarms} has no confirmed subscription: its alerts reach no one`,
    });
  });

  it("passes when the stack's email subscriptions filter as the template sets them", async () => {
    const { subscribeAsStack, check } = await monitorTopics({ alertEmail: 'soc@example.com' });
    await subscribeAsStack();

    expect(await check.run(new Date())).toMatchObject({ ok: true });
  });

  it("fails when a stack subscription's filter was narrowed, with the stack's filter as the fix", async () => {
    const { topics, subscribeAsStack, check, setFilter } = await monitorTopics({
      alertEmail: 'soc@example.com',
    });
    const [alertSubscription = ''] = await subscribeAsStack();
    await setFilter(alertSubscription, { severity: ['LOW'] });

    const finding = await check.run(new Date());

    expect(finding).toEqual({
      ok: false,
      verdict: `on topic ${topics[0]}, email soc@example.com filters with MessageAttributes {"severity":["LOW"]}, not the stack's MessageAttributes ${JSON.stringify(HIGH_AND_ALARMS)} (AlertEmailSubscription)`,
      fix: `aws sns set-subscription-attributes --subscription-arn ${alertSubscription} --attribute-name FilterPolicy --attribute-value '${JSON.stringify(HIGH_AND_ALARMS)}'; then look in CloudTrail for who called SetSubscriptionAttributes`,
    });
  });

  it("fails when the stack's subscription is gone", async () => {
    const { topics, sns, subscribeAsStack, check } = await monitorTopics({
      alertEmail: 'soc@example.com',
    });
    const [, alarmSubscription] = await subscribeAsStack();
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: alarmSubscription }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topics[1],
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:123456789012:chat-relay',
      }),
    );

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `the stack's subscription AlarmEmailSubscription of email soc@example.com to topic ${topics[1]} is gone`,
      fix: expect.stringContaining(`aws sns subscribe --topic-arn ${topics[1]} --protocol email`),
    });
  });

  it('fails for a filter that matches nothing the monitor sends, even one the operator declared', async () => {
    const relay = 'arn:aws:sqs:us-east-1:123456789012:chat-relay';
    const { topics, subscribe, check } = await monitorTopics({
      declared: { [relay]: { severity: ['NONE'] } },
    });
    const [alerts = '', alarms = ''] = topics;
    await subscribe(alerts, 'sqs', relay, { severity: ['NONE'] });
    await subscribe(alarms, 'email', 'soc@example.com');

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `on topic ${alerts}, sqs ${relay} filters with {"severity":["NONE"]}, which matches nothing the monitor sends (no severity, no alarm)`,
      fix: expect.stringContaining("--attribute-value '{}'"),
    });
  });

  it('fails, saying why, when SubscriptionFilterPolicies is not an object of filter policies', async () => {
    const { check } = await monitorTopics({ declared: { 'soc@example.com': ['CRITICAL'] } });

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict:
        'the stack parameter SubscriptionFilterPolicies gives "soc@example.com" ["CRITICAL"], not a filter policy: the filters of subscriptions the stack does not make cannot be judged',
    });
  });

  it("fails for an operator's filter nobody declared, and passes once it is declared", async () => {
    const relay = 'arn:aws:sqs:us-east-1:123456789012:pager';
    const critical = { severity: ['CRITICAL'] };
    const undeclared = await monitorTopics();
    const declared = await monitorTopics({ declared: { [relay]: critical } });
    for (const { topics, subscribe } of [undeclared, declared]) {
      await subscribe(topics[0] ?? '', 'sqs', relay, critical);
      await subscribe(topics[1] ?? '', 'email', 'soc@example.com');
    }

    expect(await undeclared.check.run(new Date())).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        `sqs ${relay} filters with {"severity":["CRITICAL"]}, which neither the stack nor SubscriptionFilterPolicies declares`,
      ),
      fix: expect.stringContaining('SubscriptionFilterPolicies'),
    });
    expect(await declared.check.run(new Date())).toMatchObject({ ok: true });
  });
});
