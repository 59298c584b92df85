import { randomUUID } from 'node:crypto';
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  type InputTransformer,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { expect } from 'vitest';

/*
 * EventBridge rules run by moto, which matches patterns on PutEvents. Custom buses stand in for
 * the default bus so tests running in parallel share nothing.
 */

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** An SQS queue that records what a rule delivers; moto needs no queue policy for it. */
export const createRecorder = async (sqs: SQSClient) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('arrivals') }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const url = QueueUrl as string;
  return {
    arn: Attributes?.QueueArn as string,
    /** Every delivered event so far. moto delivers to targets inside PutEvents, so once that
     * returns, the queue already holds everything that matched. */
    drain: async (): Promise<Record<string, unknown>[]> => {
      const events: Record<string, unknown>[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return events;
        events.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}')));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },
  };
};

export const putAll = async (
  events: EventBridgeClient,
  busName: string,
  entries: readonly Omit<PutEventsRequestEntry, 'EventBusName'>[],
): Promise<void> => {
  for (let start = 0; start < entries.length; start += 10) {
    const batch = entries
      .slice(start, start + 10)
      .map((entry) => ({ ...entry, EventBusName: busName }));
    const { FailedEntryCount } = await events.send(new PutEventsCommand({ Entries: batch }));
    expect(FailedEntryCount).toBe(0);
  }
};

/** A bus with one rule per pattern, each sending what it matches to `targetArn`. */
export const createBusWithRules = async (
  events: EventBridgeClient,
  patterns: readonly unknown[],
  targetArn: string,
  state: RuleState = 'ENABLED',
): Promise<{ name: string; arn: string }> =>
  createBusWithRoutes(
    events,
    patterns.map((pattern) => ({ pattern, targetArn })),
    state,
  );

/**
 * A bus with one rule per route, each sending what its pattern matches to its own target, the
 * event itself or what an input transformer makes of it.
 */
export const createBusWithRoutes = async (
  events: EventBridgeClient,
  routes: readonly { pattern: unknown; targetArn: string; inputTransformer?: InputTransformer }[],
  state: RuleState = 'ENABLED',
): Promise<{ name: string; arn: string }> => {
  const name = unique('bus');
  const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: name }));
  for (const { pattern, targetArn, inputTransformer } of routes) {
    const rule = unique('rule');
    await events.send(
      new PutRuleCommand({
        Name: rule,
        EventBusName: name,
        EventPattern: JSON.stringify(pattern),
        State: state,
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: name,
        Targets: [{ Id: 'target', Arn: targetArn, InputTransformer: inputTransformer }],
      }),
    );
  }
  return { name, arn: EventBusArn as string };
};
