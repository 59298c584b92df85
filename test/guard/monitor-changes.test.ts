import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iamUserRecord, roleSessionRecord, rootRecord } from '../../rules/cases.js';
import { guardOnAws } from '../../src/aws/guard-on-aws.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { useMoto } from '../support/aws-env.js';
import {
  deployMonitor,
  envelope,
  invocationWith,
  scheduledEvent,
} from '../support/monitor-stack.js';
import { recordingLogger } from '../support/recording-logger.js';

useMoto();

const ACCOUNT = '111122223333';
const STACK = 'root-monitor-guarded';
const REAL_TIME_FUNCTION = `${STACK}-RootMonitorFunction`;
const ROOT_USAGE_RULE = `${STACK}-root-usage`;
const INVOCATION = invocationWith(125_000);

/** The monitor's parts the guard knows from its settings, as the template writes them. */
const MONITOR = {
  functionNames: [REAL_TIME_FUNCTION, `${STACK}-GuardFunction`],
  ruleNames: [ROOT_USAGE_RULE, `${STACK}-guard-lambda`],
  stackName: STACK,
  alarmNames: [`${STACK}-root-account-usage`],
  logGroupNames: [`/aws/lambda/${REAL_TIME_FUNCTION}`],
};

const deployGuard = async () => {
  const deployed = await deployMonitor({ version: 1 }, { alarmTopic: true, monitor: MONITOR });
  const guard = (logger = recordingLogger()) => ({
    guard: guardOnAws(deployed.settings, logger),
    logger,
  });
  return { ...deployed, guard };
};

const minutesAgo = (minutes: number): string =>
  `${new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19)}Z`;

/** A call at `minutes` ago, with its own eventID. */
const at = (minutes: number, record: CloudTrailRecord): CloudTrailRecord => ({
  ...record,
  eventID: randomUUID(),
  eventTime: minutesAgo(minutes),
});

const putInput = iamUserRecord({
  eventSource: 'events.amazonaws.com',
  eventName: 'PutTargets',
  requestParameters: {
    rule: ROOT_USAGE_RULE,
    targets: [{ id: 'live', arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:x`, input: '{}' }],
  },
});

const chatOf = (message: string) =>
  JSON.parse(message) as {
    content?: { title?: string; description?: string };
    metadata?: { additionalContext?: Record<string, string> };
  };

describe('The guard: changes to the monitor by any identity, announced on a path of their own (moto)', () => {
  it('announces a constant target input on the root-usage rule by an IAM user as HIGH, naming the principal', async () => {
    const { inbox, guard } = await deployGuard();

    const result = await guard().guard.handle(envelope(at(1, putInput)), INVOCATION);

    expect(result).toMatchObject({
      decision: 'alert',
      severity: 'HIGH',
      ruleIds: ['monitor-changed'],
    });
    const [announcement, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(announcement?.attributes).toMatchObject({
      severity: 'HIGH',
      rule_id: 'monitor-changed',
    });
    expect(announcement?.topicArn).toBe(inbox.topicArn);
    const chat = chatOf(announcement?.message ?? '{}');
    expect(JSON.stringify(chat)).toContain(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(JSON.stringify(chat)).toContain('PutTargets');
    expect(chat.content?.description).toContain(
      '*What changed:* `target live is given input {} instead of the event`',
    );
  });

  it('sends a change to an alert path (a subscription filter that matches nothing) to both topics', async () => {
    const { inbox, alarmTopicArn, settings, guard } = await deployGuard();
    const filter = at(
      1,
      iamUserRecord({
        eventSource: 'sns.amazonaws.com',
        eventName: 'SetSubscriptionAttributes',
        requestParameters: {
          subscriptionArn: `${settings.topicArn}:${randomUUID()}`,
          attributeName: 'FilterPolicy',
          attributeValue: '{"severity":["NONE"]}',
        },
      }),
    );

    await guard().guard.handle(envelope(filter), INVOCATION);

    const received = await inbox.receiveAll();
    expect(received.map((message) => message.topicArn).sort()).toEqual(
      [inbox.topicArn, alarmTopicArn].sort(),
    );
    expect(chatOf(received[0]?.message ?? '{}').content?.description).toContain(
      '*What changed:* `FilterPolicy set to',
    );
  });

  it('collapses repeated changes by one principal into one announcement and a digest', async () => {
    const { inbox, guard, container } = await deployGuard();
    const { guard: lambda } = guard();
    const calls = [5, 4, 3].map((minutes) =>
      at(
        minutes + 30,
        roleSessionRecord({
          eventSource: 'lambda.amazonaws.com',
          eventName: 'PutFunctionConcurrency20171031',
          requestParameters: { functionName: REAL_TIME_FUNCTION, reservedConcurrentExecutions: 0 },
        }),
      ),
    );

    for (const call of calls) await lambda.handle(envelope(call), INVOCATION);

    expect(await inbox.receiveAll()).toHaveLength(1);
    const digests = await container().digests.handle(scheduledEvent(), INVOCATION);
    expect(digests).toMatchObject({ decision: 'digests', results: [{ events: 2 }] });
  });

  it('announces a root change seen by both paths once: the real-time function and the guard claim one key', async () => {
    const { inbox, guard, container } = await deployGuard();
    const change = at(
      1,
      rootRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: REAL_TIME_FUNCTION },
      }),
    );

    // One after the other: moto's conditional writes are not atomic between concurrent
    // clients (the dedup contract's concurrency case runs behind the serialising fault proxy).
    const byRealTime = await container().monitor.handle(envelope(change), INVOCATION);
    const byGuard = await guard().guard.handle(envelope(change), INVOCATION);

    const decisions = [byGuard, byRealTime].map((result) => result.decision).sort();
    expect(decisions).toEqual(['alert', 'duplicate']);
    const alerts = (await inbox.receiveAll()).filter(
      (message) => message.topicArn === inbox.topicArn,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes).toMatchObject({
      severity: 'CRITICAL',
      rule_id: 'root-audit-tampering',
    });
  });

  it('makes one MEDIUM message of a stack update and one digest of the calls CloudFormation made for it, in any order', async () => {
    const { inbox, guard, container } = await deployGuard();
    const deployer = {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/pipeline`,
      accountId: ACCOUNT,
    };
    // Long enough ago that the hour-long window of the operation has closed.
    const update = at(
      90,
      roleSessionRecord({
        userIdentity: deployer,
        eventSource: 'cloudformation.amazonaws.com',
        eventName: 'UpdateStack',
        requestParameters: { stackName: STACK },
      }),
    );
    const byCloudFormation = [
      [
        'lambda.amazonaws.com',
        'UpdateFunctionConfiguration20150331v2',
        { functionName: REAL_TIME_FUNCTION },
      ],
      [
        'lambda.amazonaws.com',
        'UpdateFunctionCode20150331v2',
        { functionName: REAL_TIME_FUNCTION },
      ],
      ['events.amazonaws.com', 'PutRule', { name: ROOT_USAGE_RULE }],
      ['logs.amazonaws.com', 'PutRetentionPolicy', { logGroupName: MONITOR.logGroupNames[0] }],
    ].map(([eventSource, eventName, requestParameters], index) =>
      at(
        89 - index,
        roleSessionRecord({
          userIdentity: { ...deployer, invokedBy: 'cloudformation.amazonaws.com' },
          sourceIPAddress: 'cloudformation.amazonaws.com',
          eventSource,
          eventName,
          requestParameters,
        } as CloudTrailRecord),
      ),
    );
    const { guard: lambda } = guard();

    await lambda.handle(envelope(update), INVOCATION);
    for (const call of [...byCloudFormation].reverse()) {
      await lambda.handle(envelope(call), INVOCATION);
    }

    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.attributes).toMatchObject({
      severity: 'MEDIUM',
      rule_id: 'monitor-stack-changed',
    });
    expect(message?.message).toContain(deployer.arn);
    const digests = await container().digests.handle(scheduledEvent(), INVOCATION);
    expect(digests).toMatchObject({ decision: 'digests', results: [{ events: 4 }] });
  });

  it('announces a CloudFormation call on a monitor resource with no operation on the monitor’s stack as HIGH', async () => {
    const { inbox, guard } = await deployGuard();
    const call = at(
      1,
      roleSessionRecord({
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/other-stack/cfn`,
          invokedBy: 'cloudformation.amazonaws.com',
        },
        eventSource: 'lambda.amazonaws.com',
        eventName: 'DeleteFunction20150331',
        requestParameters: { functionName: REAL_TIME_FUNCTION },
      }),
    );

    await guard().guard.handle(envelope(call), INVOCATION);

    const [message] = await inbox.receiveAll();
    expect(message?.attributes).toMatchObject({
      severity: 'HIGH',
      rule_id: 'monitor-changed-by-cloudformation',
    });
  });

  it('ignores ordinary changes: another function, a read of the monitor', async () => {
    const { inbox, guard } = await deployGuard();
    const { guard: lambda } = guard();
    const other = at(
      1,
      iamUserRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: 'orders-api' },
      }),
    );
    const read = at(
      1,
      iamUserRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'GetFunction20150331v2',
        readOnly: true,
        requestParameters: { functionName: REAL_TIME_FUNCTION },
      }),
    );

    for (const event of [other, read]) {
      expect(await lambda.handle(envelope(event), INVOCATION)).toMatchObject({
        decision: 'ignored',
      });
    }
    expect(await inbox.receiveAll()).toEqual([]);
  });
});
