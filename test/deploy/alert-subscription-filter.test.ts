import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useMoto } from '../support/aws-env.js';
import { loadTemplate, resourceOf, type TemplateValue } from './cloudformation-template.js';

useMoto();

const template = loadTemplate('template.yaml');
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
type Severity = (typeof SEVERITIES)[number];

/** The email subscription's filter policy as CloudFormation resolves it for one MinimumSeverity. */
const filterPolicyFor = (minimum: Severity): TemplateValue => {
  const resolve = (node: TemplateValue): TemplateValue => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const findInMap = node['Fn::FindInMap'];
    if (Array.isArray(findInMap)) {
      const [map, key, field] = findInMap;
      expect(key).toEqual({ Ref: 'MinimumSeverity' });
      return template.Mappings?.[map as string]?.[minimum]?.[field as string] ?? null;
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve(resourceOf(template, 'AlertEmailSubscription').Properties?.FilterPolicy ?? null);
};

/** Publishes one message per severity and one without attributes, as a CloudWatch alarm does,
 * through a subscription carrying `filterPolicy`; returns the bodies that got through. */
const deliveredThrough = async (filterPolicy: TemplateValue): Promise<string[]> => {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  const suffix = randomUUID().slice(0, 8);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `alerts-${suffix}` }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `mailbox-${suffix}` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: {
        FilterPolicy: JSON.stringify(filterPolicy),
        FilterPolicyScope: 'MessageAttributes',
        RawMessageDelivery: 'true',
      },
    }),
  );
  for (const severity of SEVERITIES) {
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: severity,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: severity },
          service: { DataType: 'String', StringValue: 'root-monitor' },
        },
      }),
    );
  }
  await sns.send(new PublishCommand({ TopicArn, Message: 'ALARM' }));

  // moto delivers inside Publish: the queue already holds everything that got through.
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies.sort();
    bodies.push(...Messages.map((message) => message.Body ?? ''));
  }
};

describe('the email subscription filter policy', () => {
  it.each([
    ['CRITICAL', ['ALARM', 'CRITICAL']],
    ['HIGH', ['ALARM', 'CRITICAL', 'HIGH']],
    ['MEDIUM', ['ALARM', 'CRITICAL', 'HIGH', 'MEDIUM']],
    ['LOW', ['ALARM', 'CRITICAL', 'HIGH', 'LOW', 'MEDIUM']],
  ] as const)(
    'with MinimumSeverity %s mails %j, alarm notifications included',
    async (minimum, expected) => {
      expect(await deliveredThrough(filterPolicyFor(minimum))).toEqual(expected);
    },
  );

  it('offers exactly the severities the alerts carry', () => {
    expect(template.Parameters?.MinimumSeverity?.AllowedValues).toEqual([...SEVERITIES]);
    expect(Object.keys(template.Mappings?.SeverityAtLeast ?? {})).toEqual([...SEVERITIES]);
  });
});
