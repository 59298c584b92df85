import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionForSample } from '../../src/cli/local/sample-function.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { createTopicInbox, type TopicInbox } from '../support/topic-inbox.js';
import { REPO_ROOT } from './cloudformation-template.js';

const run = promisify(execFile);
useMoto();

const EVENTS = readdirSync(join(REPO_ROOT, 'events')).filter((name) => name.endsWith('.json'));

/** The function whose trigger sends a sample, as `root-monitor try` chooses it. */
const functionFor = (name: string): string =>
  functionForSample(JSON.parse(readFileSync(join(REPO_ROOT, 'events', name), 'utf8')));

/** What a sample's file name promises, under config/example.json. */
const promisedDecision = (name: string): string => {
  const [decision] = name.split('-');
  return decision === 'allowlisted' || decision === 'ignored' || decision === 'digests'
    ? decision
    : 'alert';
};

describe('events/ through `root-monitor invoke` against moto', () => {
  let inbox: TopicInbox;
  let envVars: string;

  beforeAll(async () => {
    inbox = await createTopicInbox('events');
    const table = await createDedupTable('events-dedup');
    // The name the samples use: the configuration-change sample must name the parameter.
    const parameter = '/root-monitor/config';
    await new SSMClient().send(
      new PutParameterCommand({
        Name: parameter,
        Type: 'String',
        Overwrite: true,
        Value: readFileSync(join(REPO_ROOT, 'config/example.json'), 'utf8'),
      }),
    );
    // The same shape as env.json, as `sam local invoke --env-vars` reads it, naming the
    // monitor's functions and roles as env.json does (the samples name them).
    const { MONITOR_FUNCTION_NAMES, MONITOR_ROLE_ARNS } =
      (
        JSON.parse(readFileSync(join(REPO_ROOT, 'env.json'), 'utf8')) as Record<
          string,
          Record<string, string>
        >
      ).RootMonitorFunction ?? {};
    envVars = join(mkdtempSync(join(tmpdir(), 'root-monitor-')), 'env.json');
    const shared = {
      ALERT_TOPIC_ARN: inbox.topicArn,
      DEDUP_TABLE_NAME: table,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    writeFileSync(
      envVars,
      JSON.stringify({
        RootMonitorFunction: {
          ...shared,
          CONFIG_PARAMETER: parameter,
          MONITOR_FUNCTION_NAMES,
          MONITOR_ROLE_ARNS,
        },
        GuardFunction: { ...shared, CONFIG_PARAMETER: parameter },
        DigestFunction: shared,
      }),
    );
  });

  it('covers every scenario the deployment issue names', () => {
    expect(EVENTS).toEqual(
      expect.arrayContaining([
        'alert-console-login-without-mfa.json',
        'alert-console-login-with-mfa.json',
        'alert-console-login-failure.json',
        'alert-access-key-created.json',
        'alert-read-only-call.json',
        'allowlisted-billing-task.json',
        'ignored-service-invoked.json',
        'alert-minimal-test-payload.json',
      ]),
    );
  });

  /**
   * The sample's path; a configuration change is first moved to the account the parameter and
   * the topic are in (moto's), since the function ignores another account's parameter.
   */
  const eventFile = (name: string): string => {
    const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'events', name), 'utf8'));
    if (sample.source !== 'aws.ssm') return `events/${name}`;
    const account = inbox.topicArn.split(':')[4];
    sample.account = account;
    sample.detail.recipientAccountId = account;
    const file = join(dirname(envVars), name);
    writeFileSync(file, JSON.stringify(sample));
    return file;
  };

  it.concurrent.each(EVENTS)('%s gives the decision its name promises', async (name) => {
    const { stdout } = await run(
      process.execPath,
      [
        'bin/root-monitor.js',
        'invoke',
        '--function',
        functionFor(name),
        '--event',
        eventFile(name),
        '--env-vars',
        envVars,
      ],
      { cwd: REPO_ROOT, env: process.env },
    );
    expect(JSON.parse(stdout)).toMatchObject({ decision: promisedDecision(name) });
  });

  it('published exactly one message per alerting sample', async () => {
    // Runs after the concurrent invocations above have finished.
    const alerting = EVENTS.filter((name) => promisedDecision(name) === 'alert');
    const received = await inbox.receiveAll();
    expect(received).toHaveLength(alerting.length);
  });

  it("reads root deleting the health check as tampering, env.json naming the stack's functions", async () => {
    // A fresh eventID: the sample itself is alerted above.
    const sample = JSON.parse(
      readFileSync(join(REPO_ROOT, 'events/alert-health-check-deleted.json'), 'utf8'),
    );
    sample.detail.eventID = randomUUID();
    const event = join(dirname(envVars), 'health-check-deleted.json');
    writeFileSync(event, JSON.stringify(sample));

    const { stdout } = await run(
      process.execPath,
      ['bin/root-monitor.js', 'invoke', '--event', event, '--env-vars', envVars],
      { cwd: REPO_ROOT, env: process.env },
    );

    expect(JSON.parse(stdout)).toMatchObject({
      decision: 'alert',
      severity: 'CRITICAL',
      ruleIds: ['root-audit-tampering'],
    });
  });

  it('logs the alert as one Powertools JSON line at CRITICAL, with the Lambda context', async () => {
    // A fresh eventID: the sample itself has already been alerted above.
    const sample = JSON.parse(
      readFileSync(join(REPO_ROOT, 'events/alert-stop-logging.json'), 'utf8'),
    );
    sample.detail.eventID = randomUUID();
    const event = join(dirname(envVars), 'stop-logging.json');
    writeFileSync(event, JSON.stringify(sample));
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/root-monitor.js', 'invoke', '--event', event, '--env-vars', envVars],
      { cwd: REPO_ROOT, env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'root-monitor-test' } },
    );
    const lines = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.message === 'ROOT_ACCOUNT_USAGE')).toEqual([
      expect.objectContaining({
        level: 'CRITICAL',
        service: 'root-monitor-test',
        function_request_id: expect.any(String),
        severity: 'CRITICAL',
        ruleIds: ['root-audit-tampering'],
        eventName: 'StopLogging',
        accountId: '111122223333',
      }),
    ]);
    // root-audit-tampering alerts once per event: a fresh eventID is never a duplicate.
    expect(JSON.parse(stdout)).toMatchObject({ decision: 'alert' });
  });

  it('exits non-zero, naming the variable, when the environment is incomplete', async () => {
    const failure = await run(
      process.execPath,
      ['bin/root-monitor.js', 'invoke', '--event', 'events/alert-read-only-call.json'],
      { cwd: REPO_ROOT, env: { ...process.env, ALERT_TOPIC_ARN: '' } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ALERT_TOPIC_ARN'),
    });
  });
});
