import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { createTopicInbox, type TopicInbox } from '../support/topic-inbox.js';
import { BIN } from './run-cli.js';

useMoto();

const folder = mkdtempSync(join(tmpdir(), 'invoke-'));
const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8'));

/**
 * `root-monitor invoke` with exactly this environment: no AWS setting of the shell leaks in, and
 * no ~/.aws file or instance role is found, as on a fresh laptop.
 */
const invoke = (args: readonly string[], env: NodeJS.ProcessEnv) =>
  promisify(execFile)(process.execPath, [BIN, 'invoke', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: folder,
      AWS_CONFIG_FILE: join(folder, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

const SETTINGS = {
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
  DEDUP_TABLE_NAME: 'dedup',
  CONFIG_PARAMETER: '/root-monitor/config',
};
const EVENT = new URL('../../events/alert-console-login-without-mfa.json', import.meta.url)
  .pathname;

describe('root-monitor invoke: what it needs to run, named in one line before the handler runs', () => {
  it('names a missing setting, and where to give it', async () => {
    const result = await invoke(['--event', EVENT], {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      "root-monitor invoke: Missing required environment variable ALERT_TOPIC_ARN (the SNS topic alerts are published to): give the function's settings with --env-vars env.json, or set them in the shell\n",
    );
  });

  it('names the missing Region and the variable the SDK reads, even when AWS_DEFAULT_REGION is set', async () => {
    const [none, defaultOnly] = await Promise.all([
      invoke(['--event', EVENT], SETTINGS),
      invoke(['--event', EVENT], { ...SETTINGS, AWS_DEFAULT_REGION: 'eu-west-1' }),
    ]);

    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toBe(
      "root-monitor invoke: no AWS Region: set AWS_REGION, in the shell or in the --env-vars file's entry for the function, e.g. AWS_REGION=us-east-1\n",
    );
    expect(defaultOnly.stderr).toContain(
      'no AWS Region (AWS_DEFAULT_REGION is set, but the JavaScript SDK reads only AWS_REGION)',
    );
  });

  it('names the missing credentials and the variables that give them', async () => {
    const result = await invoke(['--event', EVENT], { ...SETTINGS, AWS_REGION: 'us-east-1' });

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^root-monitor invoke: no AWS credentials \(.*\): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(any values for an emulator at AWS_ENDPOINT_URL\), or AWS_PROFILE/,
      ),
      '',
    ]);
  });

  it('takes the Region from the --env-vars file', async () => {
    const envVars = join(folder, 'region.json');
    writeFileSync(
      envVars,
      JSON.stringify({ RootMonitorFunction: { ...SETTINGS, AWS_REGION: 'us-east-1' } }),
    );

    const result = await invoke(['--event', EVENT, '--env-vars', envVars], {});

    expect(result.stderr).toMatch(/^root-monitor invoke: no AWS credentials/);
  });
});

describe('root-monitor invoke: a gzipped file, as CloudTrail delivers it', () => {
  let inbox: TopicInbox;
  let envVars: string;

  beforeAll(async () => {
    inbox = await createTopicInbox('invoke-gzip');
    const parameter = `/root-monitor/invoke-${randomUUID().slice(0, 8)}`;
    await new SSMClient().send(
      new PutParameterCommand({ Name: parameter, Type: 'String', Value: '{"version": 1}' }),
    );
    envVars = join(folder, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({
        RootMonitorFunction: {
          ALERT_TOPIC_ARN: inbox.topicArn,
          DEDUP_TABLE_NAME: await createDedupTable('invoke-gzip'),
          CONFIG_PARAMETER: parameter,
          POWERTOOLS_LOG_LEVEL: 'WARN',
        },
      }),
    );
  });

  /** The moto settings of this run, the shell's AWS_* variables that useMoto set. */
  const motoEnv = (): NodeJS.ProcessEnv =>
    Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('AWS_')));

  it('reads a .json.gz CloudTrail log file and alerts on its root record', async () => {
    const record = {
      ...sample('alert-console-login-without-mfa.json').detail,
      eventID: randomUUID(),
    };
    const logFile = join(folder, '111122223333_CloudTrail_us-east-1_20260301T0000Z_abc.json.gz');
    writeFileSync(logFile, gzipSync(JSON.stringify({ Records: [record] })));

    const result = await invoke(['--event', logFile, '--env-vars', envVars], motoEnv());

    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: 'alert' });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('names a file that starts as gzip but is cut short', async () => {
    const broken = join(folder, 'broken.json.gz');
    writeFileSync(broken, gzipSync('{"Records": []}').subarray(0, 12));

    const result = await invoke(['--event', broken, '--env-vars', envVars], motoEnv());

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^root-monitor invoke: ${broken}: not valid gzip: `));
  });
});
