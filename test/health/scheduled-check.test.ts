import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduledCheckOnAws } from '../../src/aws/health/scheduled-check-on-aws.js';
import type { Check } from '../../src/health/check.js';
import { readHealthSettings } from '../../src/health/health-settings.js';
import { HealthAlertNotSentError } from '../../src/health/scheduled-check.js';
import { createDedupTable } from '../support/dedup-table.js';
import { answerDrift } from '../support/drift-answers.js';
import { type HealthyAccount, healthyAccount } from '../support/healthy-account.js';
import { scheduledEvent } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox, type TopicInbox } from '../support/topic-inbox.js';

// moto has no drift detection: the fault proxy answers it as the CloudFormation API reference
// documents (support/drift-answers.ts): a first run, no detection completed yet.
const proxy = useFaultProxy();

beforeEach(() => {
  answerDrift(proxy, { last: { status: 'NOT_CHECKED' } });
});

const context = (): Context =>
  ({
    functionName: 'root-monitor-health-check',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 60_000,
  }) as Context;

/** The EMF lines Powertools Metrics writes to standard output during `work`. */
const emfLinesOf = async (work: () => Promise<unknown>) => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('Scheduled health check: the Lambda handler', () => {
  let account: HealthyAccount;
  let inbox: TopicInbox;

  beforeAll(async () => {
    account = await healthyAccount();
    // From here on, every client made with the SDK's defaults, the handler's too, acts in the account.
    process.env.AWS_ACCESS_KEY_ID = account.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = account.credentials.secretAccessKey;
    inbox = await createTopicInbox('health');
    // The handler's clients, made at its import, reach moto through the proxy.
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    Object.assign(process.env, account.env, {
      ALERT_TOPIC_ARN: inbox.topicArn,
      // The alarm topic, here delivering to the same person.
      FALLBACK_TOPIC_ARN: await inbox.addTopic('alarms'),
      POWERTOOLS_METRICS_NAMESPACE: 'RootMonitor/test',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    // Two of the checks fail: an event waits in the on-failure queue, and the
    // configuration document is broken.
    await account.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: account.queueUrls[0], MessageBody: '{"parked": true}' }),
    );
    await account.clients.ssm.send(
      new PutParameterCommand({
        Name: account.env.CONFIG_PARAMETER,
        Value: '{"version": 1, "allow": [{"id": "x"}]}',
        Type: 'String',
        Overwrite: true,
      }),
    );
  }, 120_000);

  it('sends one alert per failing check, a metric for every check; a second run the same day sends none', async () => {
    const { handler } = await import('../../src/functions/health-check.js');

    let first: unknown;
    const metrics = await emfLinesOf(async () => {
      first = await handler(scheduledEvent(), context());
    });
    const alerts = await inbox.receiveAll();
    let second: unknown;
    const secondMetrics = await emfLinesOf(async () => {
      second = await handler(scheduledEvent(), context());
    });
    const repeated = await inbox.receiveAll();

    expect(first).toEqual({
      checks: [
        { id: 'trail', ok: true },
        { id: 'rule', ok: true },
        { id: 'functions', ok: true },
        { id: 'regions', ok: true },
        { id: 'accounts', ok: true },
        { id: 'backstop', ok: true },
        { id: 'subscribers', ok: true },
        { id: 'keys', ok: true },
        { id: 'parked', ok: false, alert: 'sent' },
        { id: 'digests', ok: true },
        { id: 'config', ok: false, alert: 'sent' },
        { id: 'drift', ok: true },
      ],
    });
    // Each alert on both topics: one of them may be the very thing that fails.
    expect(alerts.map(({ subject, topicArn }) => [subject, topicArn]).sort()).toEqual(
      ['config', 'parked'].flatMap((id) =>
        [process.env.ALERT_TOPIC_ARN, process.env.FALLBACK_TOPIC_ARN]
          .sort()
          .map((topicArn) => [
            `[HIGH] root-monitor health check failed: ${id} - ${account.accountId}`,
            topicArn,
          ]),
      ),
    );
    expect(new Set(alerts.map(({ attributes }) => attributes.rule_id))).toEqual(
      new Set(['health-config', 'health-parked']),
    );
    // The heartbeat: one point per run, whatever the checks found.
    for (const run of [metrics, secondMetrics]) {
      expect(run.filter((line) => 'HealthCheckRun' in line)).toEqual([
        expect.objectContaining({ HealthCheckRun: 1, service: 'root-monitor' }),
      ]);
    }
    expect(
      metrics
        .filter((line) => 'HealthCheckFailed' in line)
        .map((line) => [line.Check, line.HealthCheckFailed])
        .sort(),
    ).toEqual([
      ['accounts', 0],
      ['backstop', 0],
      ['config', 1],
      ['digests', 0],
      ['drift', 0],
      ['functions', 0],
      ['keys', 0],
      ['parked', 1],
      ['regions', 0],
      ['rule', 0],
      ['subscribers', 0],
      ['trail', 0],
    ]);
    expect(second).toMatchObject({
      checks: expect.arrayContaining([
        { id: 'parked', ok: false, alert: 'already-sent-today' },
        { id: 'config', ok: false, alert: 'already-sent-today' },
      ]),
    });
    expect(repeated).toEqual([]);
  });
});

describe('Scheduled health check: an alert SNS does not take', () => {
  afterEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  });

  const failing: Check = {
    id: 'subscribers',
    actions: [],
    run: async () => ({
      ok: false,
      verdict: 'topic X has no confirmed subscription',
      fix: 'confirm it',
    }),
  };

  it('throws, so Lambda retries, and gives the day back: the retry sends it', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    const name = `health-${randomUUID().slice(0, 8)}`;
    const settings = readHealthSettings({
      MONITOR_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:root-monitor',
      ROOT_USAGE_RULE_NAME: 'rule',
      // Not created yet: SNS answers NotFound, as for a deleted topic with no fallback.
      ALERT_TOPIC_ARN: `arn:aws:sns:us-east-1:123456789012:${name}`,
      MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:123456789012:q',
      CONFIG_PARAMETER: '/c',
      MONITOR_STACK_NAME: 'root-monitor',
      DEDUP_TABLE_NAME: await createDedupTable('health'),
    });
    const logger = recordingLogger();
    const metrics = { checked: () => undefined, ran: () => undefined };
    const scheduled = scheduledCheckOnAws(settings, logger, { checks: [failing], metrics });

    await expect(scheduled.run()).rejects.toBeInstanceOf(HealthAlertNotSentError);
    const inbox = await createTopicInbox(name.replace(/-\w+$/, ''));
    const retried = scheduledCheckOnAws({ ...settings, topicArn: inbox.topicArn }, logger, {
      checks: [failing],
      metrics,
    });

    expect(await retried.run()).toEqual({
      checks: [{ id: 'subscribers', ok: false, alert: 'sent' }],
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(logger.lines.map(({ message }) => message)).toContain('Health alert not sent');
  });
  it('is sent when one of the two topics takes it, and says which refused', async () => {
    const inbox = await createTopicInbox('health-one-topic');
    const settings = readHealthSettings({
      MONITOR_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:root-monitor',
      ROOT_USAGE_RULE_NAME: 'rule',
      // Deleted: SNS answers NotFound. The alarm topic still takes it.
      ALERT_TOPIC_ARN: `arn:aws:sns:us-east-1:123456789012:gone-${randomUUID().slice(0, 8)}`,
      FALLBACK_TOPIC_ARN: inbox.topicArn,
      MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:123456789012:q',
      CONFIG_PARAMETER: '/c',
      MONITOR_STACK_NAME: 'root-monitor',
      DEDUP_TABLE_NAME: await createDedupTable('health'),
    });
    const logger = recordingLogger();
    const scheduled = scheduledCheckOnAws(settings, logger, {
      checks: [failing],
      metrics: { checked: () => undefined, ran: () => undefined },
    });

    expect(await scheduled.run()).toEqual({
      checks: [{ id: 'subscribers', ok: false, alert: 'sent' }],
    });
    expect((await inbox.receiveAll()).map(({ topicArn }) => topicArn)).toEqual([inbox.topicArn]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Health alert not sent to one topic',
        fields: expect.objectContaining({ topicArn: settings.topicArn }),
      }),
    );
  });
});

describe("Scheduled health check: given anything but its schedule's event", () => {
  const passing: Check = {
    id: 'trail',
    actions: [],
    run: async () => ({ ok: true, verdict: 'the trail logs every Region' }),
  };

  it('still runs the checks, and raises the unexpected-input alarm once an hour', async () => {
    const inbox = await createTopicInbox('health-input');
    const settings = readHealthSettings({
      MONITOR_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:root-monitor',
      ROOT_USAGE_RULE_NAME: 'rule',
      ALERT_TOPIC_ARN: inbox.topicArn,
      MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:123456789012:q',
      CONFIG_PARAMETER: '/c',
      DEDUP_TABLE_NAME: await createDedupTable('health-input'),
      MONITOR_STACK_NAME: 'root-monitor',
    });
    const logger = recordingLogger();
    const counted: string[] = [];
    const scheduled = scheduledCheckOnAws(settings, logger, {
      checks: [passing],
      metrics: { checked: () => undefined, ran: () => undefined },
      inputMetrics: { unexpectedInput: (fn, shape) => counted.push(`${fn} ${shape}`) },
    });

    // A schedule given a constant input, as an earlier template's digest schedule had.
    const first = await scheduled.handle({ rootMonitorTask: 'digests' }, context());
    const [alarm, ...others] = await inbox.receiveAll();
    const again = await scheduled.handle({ rootMonitorTask: 'digests' }, context());

    expect(first).toEqual({
      decision: 'unexpected-input',
      input: 'digest-task',
      alarm: 'sent',
      handled: { checks: [{ id: 'trail', ok: true }] },
    });
    expect(others).toEqual([]);
    expect(alarm?.subject).toBe(
      '[HIGH] root-monitor unexpected input to health-check: digest-task - 123456789012',
    );
    expect(alarm?.attributes).toMatchObject({ rule_id: 'unexpected-input', severity: 'HIGH' });
    expect(again).toMatchObject({
      alarm: 'already sent this hour',
      handled: { checks: [{ id: 'trail', ok: true }] },
    });
    expect(await inbox.receiveAll()).toEqual([]);
    expect(counted).toEqual(['health-check digest-task', 'health-check digest-task']);
  });
});
