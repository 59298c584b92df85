import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { iamUserRecord, rootSignIn } from '../../rules/cases.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { createTopicInbox, type Received, type TopicInbox } from '../support/topic-inbox.js';
import { REPO_ROOT } from './cloudformation-template.js';

const run = promisify(execFile);
useMoto();

/** moto's account, where the topics, table and parameter live. */
const OWN_ACCOUNT = '123456789012';

/**
 * Inputs no trigger of the stack sends, each handed to a function by `invoke --as-is` exactly as
 * a console test or a tampered rule target would hand it over: the function raises its
 * unexpected-input alarm, judges the CloudTrail events the input holds, and never throws.
 */
describe('an input its trigger never sends, through `root-monitor invoke --as-is` against moto', () => {
  let inbox: TopicInbox;
  let alarmTopicArn: string;
  let dir: string;
  let envVars: string;
  let parameter: string;

  beforeAll(async () => {
    inbox = await createTopicInbox('unexpected');
    alarmTopicArn = await inbox.addTopic('unexpected-alarms');
    const table = await createDedupTable('unexpected-dedup');
    parameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
    await new SSMClient().send(
      new PutParameterCommand({ Name: parameter, Type: 'String', Value: '{"version": 1}' }),
    );
    dir = mkdtempSync(join(tmpdir(), 'root-monitor-unexpected-'));
    envVars = join(dir, 'env.json');
    const topics = {
      ALERT_TOPIC_ARN: inbox.topicArn,
      FALLBACK_TOPIC_ARN: alarmTopicArn,
      DEDUP_TABLE_NAME: table,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    };
    const judging = { ...topics, CONFIG_PARAMETER: parameter };
    writeFileSync(
      envVars,
      JSON.stringify({
        RootMonitorFunction: judging,
        GuardFunction: judging,
        DigestFunction: topics,
        TrailFileFunction: judging,
      }),
    );
  });

  const invoke = async (fn: string, event: unknown, ...flags: string[]) => {
    const file = join(dir, `${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(event));
    const { stdout, stderr } = await run(
      process.execPath,
      [
        'bin/root-monitor.js',
        'invoke',
        '--function',
        fn,
        '--event',
        file,
        '--env-vars',
        envVars,
        ...flags,
      ],
      { cwd: REPO_ROOT, env: process.env },
    );
    return { result: JSON.parse(stdout), stderr };
  };

  /** What reached each topic since the last call, by subject. */
  const received = async () => {
    const messages = await inbox.receiveAll();
    const subjects = (topic: string) =>
      messages
        .filter((message: Received) => message.topicArn === topic)
        .map(({ subject }) => subject)
        .sort();
    return { alerts: subjects(inbox.topicArn), alarms: subjects(alarmTopicArn), messages };
  };

  const rootRecord = () =>
    rootSignIn({
      eventID: randomUUID(),
      recipientAccountId: OWN_ACCOUNT,
      additionalEventData: { MFAUsed: 'No' },
    });

  it.each([
    ['{}, a constant target Input', {}, 'empty-object'],
    [
      'the digest task, a schedule input where a CloudTrail event belongs',
      { rootMonitorTask: 'digests' },
      'digest-task',
    ],
  ])(
    'the real-time function given %s: the alarm alone, nothing to judge',
    async (_, input, shape) => {
      const { result, stderr } = await invoke('RootMonitorFunction', input, '--as-is');

      expect(result).toEqual({
        decision: 'unexpected-input',
        input: shape,
        alarm: 'sent',
        handled: { decision: 'batch', results: [] },
      });
      const { alerts, alarms, messages } = await received();
      expect(alerts).toEqual([]);
      expect(alarms).toEqual([
        `[CRITICAL] root-monitor unexpected input to real-time: ${shape} - ${OWN_ACCOUNT}`,
      ]);
      expect(messages[0]?.message).toContain('a tampered target');
      expect(messages[0]?.attributes).toMatchObject({
        rule_id: 'unexpected-input',
        severity: 'CRITICAL',
      });
      // Counted too: the metric behind the stack's unexpected-input alarm, the second path.
      expect(stderr).toMatch(/"Function":"real-time","Shape":"[a-z-]+","UnexpectedInput":1/);
    },
  );

  it.each([
    [
      'a bare CloudTrail record, an InputPath of $.detail',
      (record: object) => record,
      'cloudtrail-record',
    ],
    [
      'a hand-typed {"detail": ...}, an InputTransformer',
      (record: object) => ({ detail: record }),
      'hand-typed-detail',
    ],
    ['a CloudTrail log file', (record: object) => ({ Records: [record] }), 'cloudtrail-log-file'],
  ])(
    'the real-time function given %s: the alarm, and the event inside alerted beside it',
    async (_, shaped, shape) => {
      const { result } = await invoke('RootMonitorFunction', shaped(rootRecord()), '--as-is');

      expect(result).toMatchObject({
        decision: 'unexpected-input',
        input: shape,
        alarm: 'sent',
        handled: { decision: 'alert', ruleIds: ['root-console-login-without-mfa'] },
      });
      const { alerts, alarms } = await received();
      expect(alerts).toEqual([
        expect.stringMatching(/^\[CRITICAL\] Root console sign-in without MFA/),
      ]);
      expect(alarms).toEqual([
        `[CRITICAL] root-monitor unexpected input to real-time: ${shape} - ${OWN_ACCOUNT}`,
      ]);
    },
  );

  it('alarms once an hour for a function and shape, and counts every one', async () => {
    const first = await invoke('RootMonitorFunction', { unexpected: true }, '--as-is');
    await received();

    const again = await invoke('RootMonitorFunction', { unexpected: true }, '--as-is');

    expect(first.result).toMatchObject({ input: 'other-object', alarm: 'sent' });
    expect(again.result).toMatchObject({ input: 'other-object', alarm: 'already sent this hour' });
    expect((await received()).messages).toEqual([]);
    expect(again.stderr).toContain('"UnexpectedInput":1');
  });

  it('wraps the same hand-typed payload without --as-is, as EventBridge would deliver it: no alarm', async () => {
    const { result } = await invoke('RootMonitorFunction', { detail: rootRecord() });

    expect(result).toMatchObject({ decision: 'alert' });
    const { alerts, alarms } = await received();
    expect(alerts).toHaveLength(1);
    expect(alarms).toEqual([]);
  });

  it('the guard given a bare record: the alarm, and the change announced beside it', async () => {
    const change = iamUserRecord({
      eventID: randomUUID(),
      recipientAccountId: OWN_ACCOUNT,
      eventSource: 'ssm.amazonaws.com',
      eventName: 'LabelParameterVersion',
      requestParameters: { name: parameter, labels: ['x'] },
    });

    const { result } = await invoke('GuardFunction', change, '--as-is');

    expect(result).toMatchObject({
      decision: 'unexpected-input',
      input: 'cloudtrail-record',
      alarm: 'sent',
      handled: { decision: 'alert', ruleIds: ['config-changed'] },
    });
    const { alerts, alarms } = await received();
    expect(alerts).toEqual([expect.stringMatching(/^\[LOW\] root-monitor/)]);
    expect(alarms).toEqual([
      `[CRITICAL] root-monitor unexpected input to guard: cloudtrail-record - ${OWN_ACCOUNT}`,
    ]);
  });

  it('the digest function given its old constant input: the alarm, and the run all the same', async () => {
    const { result } = await invoke('DigestFunction', { rootMonitorTask: 'digests' }, '--as-is');

    expect(result).toEqual({
      decision: 'unexpected-input',
      input: 'digest-task',
      alarm: 'sent',
      handled: { decision: 'digests', results: [], unsent: 0 },
    });
    expect((await received()).alarms).toEqual([
      `[HIGH] root-monitor unexpected input to digests: digest-task - ${OWN_ACCOUNT}`,
    ]);
  });

  it('the digest function without --event: the Scheduled Event its schedule sends, no alarm', async () => {
    const { stdout } = await run(
      process.execPath,
      ['bin/root-monitor.js', 'invoke', '--function', 'DigestFunction', '--env-vars', envVars],
      { cwd: REPO_ROOT, env: process.env },
    );

    expect(JSON.parse(stdout)).toEqual({ decision: 'digests', results: [], unsent: 0 });
    expect((await received()).messages).toEqual([]);
  });

  it('the backstop given an EventBridge event: the alarm, and the event alerted as real time would', async () => {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'AWS Console Sign In via CloudTrail',
      source: 'aws.signin',
      account: OWN_ACCOUNT,
      time: '2026-03-14T02:51:08Z',
      region: 'us-east-1',
      resources: [],
      detail: rootRecord(),
    };

    const { result } = await invoke('TrailFileFunction', event, '--as-is');

    expect(result).toMatchObject({
      decision: 'unexpected-input',
      input: 'eventbridge-event',
      alarm: 'sent',
      handled: { decision: 'alert' },
    });
    const { alerts, alarms } = await received();
    expect(alerts).toHaveLength(1);
    expect(alarms).toEqual([
      `[CRITICAL] root-monitor unexpected input to trail-files: eventbridge-event - ${OWN_ACCOUNT}`,
    ]);
  });

  it('refuses, as a usage error, a shape the trigger cannot be made to send', async () => {
    const failure = await invoke('DigestFunction', { detail: rootRecord() }).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('DigestFunction is invoked by its schedule'),
    });
  });
});
