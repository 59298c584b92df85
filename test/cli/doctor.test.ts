import { spawn } from 'node:child_process';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerDrift } from '../support/drift-answers.js';
import { type HealthyAccount, healthyAccount } from '../support/healthy-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { BIN, runCli } from './run-cli.js';
import { temporaryDirectory, writeFile } from './trail-files.js';

// moto has no drift detection: the fault proxy answers it as the CloudFormation API reference
// documents (support/drift-answers.ts), a detection that finds nothing; the rest reaches moto.
const proxy = useFaultProxy();

const CHECKS = [
  'trail',
  'rule',
  'functions',
  'regions',
  'accounts',
  'backstop',
  'subscribers',
  'keys',
  'parked',
  'digests',
  'config',
  'drift',
];

describe('root-monitor doctor', () => {
  let account: HealthyAccount;
  let envVars: string;

  beforeAll(async () => {
    account = await healthyAccount();
    envVars = writeFile(
      temporaryDirectory(),
      'env.json',
      JSON.stringify({
        RootMonitorFunction: { ALERT_TOPIC_ARN: account.topicArn },
        HealthCheckFunction: account.env,
      }),
    );
    // The child process signs with a key moto attributes to the account: the caller's credentials.
    process.env.AWS_ACCESS_KEY_ID = account.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = account.credentials.secretAccessKey;
    process.env.AWS_REGION = 'eu-west-1';
    // The child process reaches moto through the proxy.
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  }, 120_000);

  beforeEach(() => {
    answerDrift(proxy, {});
  });

  it('passes every check on a healthy stack, one line each, exit 0', async () => {
    const result = await runCli(['doctor', '--env-vars', envVars]);

    expect(result.stderr).toContain(`all ${CHECKS.length} checks pass`);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/).slice(0, 2))).toEqual(
      CHECKS.map((id) => ['ok', id]),
    );
    expect(result.status).toBe(0);
  });

  it('fails with exit 1 and the fix when an event is parked; json names every check', async () => {
    await account.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: account.queueUrls[0], MessageBody: '{"parked": true}' }),
    );

    const text = await runCli(['doctor', '--env-vars', envVars]);
    const json = await runCli(['doctor', '--env-vars', envVars, '--format', 'json']);

    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /^FAIL {2}parked {7}root events that were never alerted wait in OnFailureQueue-\w+ \(1 waiting\)\n {19}fix: read each as an alert \(aws sqs receive-message --queue-url http:\/\/127/m,
    );
    expect(text.stderr).toContain(`1 of ${CHECKS.length} checks fail`);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      checks: { id: string; ok: boolean }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.map(({ id, ok }) => [id, ok])).toEqual(
      CHECKS.map((id) => [id, id !== 'parked']),
    );
  });

  it('reads the settings from a process substitution, as the one command of --help gives them', async () => {
    // What `aws lambda get-function-configuration --query '{HealthCheckFunction:
    // Environment.Variables}'` prints; the AWS CLI is stood in for by cat.
    const printed = writeFile(
      temporaryDirectory(),
      'printed.json',
      JSON.stringify({ HealthCheckFunction: account.env }, null, 4),
    );

    // Spawned, not spawnSync: the proxy answering the child runs in this process.
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        'bash',
        ['-c', `'${process.execPath}' '${BIN}' doctor --env-vars <(cat '${printed}')`],
        { env: process.env },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', () => resolve({ stdout, stderr }));
    });

    expect(result.stderr).toContain('checks');
    expect(result.stderr).not.toContain('--env-vars');
    expect(result.stdout.split('\n').filter((line) => /^(ok|FAIL) /.test(line))).toHaveLength(
      CHECKS.length,
    );
  });

  it('is a usage error, naming the variable, when a setting is missing', async () => {
    const partial = writeFile(
      temporaryDirectory(),
      'env.json',
      JSON.stringify({ HealthCheckFunction: { ...account.env, ROOT_USAGE_RULE_NAME: '' } }),
    );

    const result = await runCli(['doctor', '--env-vars', partial]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ROOT_USAGE_RULE_NAME');
  });

  it('runs the accounts check alone with --organization, failing with the actions it needs where there is no organization', async () => {
    const result = await runCli(['doctor', '--organization', '--format', 'json']);
    const report = JSON.parse(result.stdout) as {
      checks: { id: string; ok: boolean; fix: string }[];
    };

    expect(result.status).toBe(1);
    expect(report.checks.map(({ id, ok }) => [id, ok])).toEqual([['accounts', false]]);
    expect(report.checks[0]?.fix).toContain(
      'organizations:ListAccounts, cloudformation:ListStackInstances',
    );
  });

  it('refuses --call-as other than SELF or DELEGATED_ADMIN, and --stack-set without --organization', async () => {
    const callAs = await runCli(['doctor', '--organization', '--call-as', 'ROOT']);
    const stackSet = await runCli(['doctor', '--env-vars', envVars, '--stack-set', 'x']);

    expect(callAs).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--call-as must be SELF or DELEGATED_ADMIN'),
    });
    expect(stackSet).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--stack-set and --call-as go with --organization'),
    });
  });

  it('refuses an unknown format', async () => {
    const result = await runCli(['doctor', '--env-vars', envVars, '--format', 'yaml']);

    expect(result).toMatchObject({ status: 2, stderr: expect.stringContaining('--format') });
  });

  it('explains every check in --help', async () => {
    const result = await runCli(['doctor', '--help']);

    expect(result.status).toBe(0);
    for (const id of CHECKS) expect(result.stdout).toMatch(new RegExp(`^ {2}${id} `, 'm'));
  });
});
