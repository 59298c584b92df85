import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { createTopicInbox, type Received, type TopicInbox } from '../support/topic-inbox.js';
import { REPO_ROOT } from './cloudformation-template.js';

const run = promisify(execFile);
useMoto();

const ssm = new SSMClient();
const SAMPLE = JSON.parse(
  readFileSync(join(REPO_ROOT, 'events/alert-config-change-by-iam-user.json'), 'utf8'),
);

const billing = {
  id: 'quarterly-billing-task',
  reason: 'Quarterly billing task, ticket SEC-42',
  eventNames: ['GetBillingData'],
  sourceIps: ['203.0.113.0/24'],
};
const nightlyExport = {
  id: 'nightly-billing-export',
  reason: 'Nightly billing export, ticket SEC-51',
  eventNames: ['GetBillingData', 'ExportBillingData'],
  sourceIps: ['198.51.100.7'],
};

describe('a configuration change through the guard, `root-monitor invoke --function GuardFunction`, against moto', () => {
  let inbox: TopicInbox;
  let dir: string;
  let envVars: string;
  let parameter: string;
  const ownAccount = (): string => inbox.topicArn.split(':')[4] ?? '';

  /** Writes a version as `config push` does, and returns the version SSM gave it. */
  const push = async (document: object, description: string): Promise<number> => {
    const { Version } = await ssm.send(
      new PutParameterCommand({
        Name: parameter,
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify(document),
        Description: description,
      }),
    );
    return Version ?? 0;
  };

  /**
   * The CloudTrail event of that PutParameter by alice, as EventBridge delivers it, in the
   * account the parameter and the topic are in (moto's): the function ignores another's.
   */
  const putEvent = (version: number) => {
    const event = structuredClone(SAMPLE);
    event.account = ownAccount();
    event.detail.recipientAccountId = ownAccount();
    event.detail.eventID = randomUUID();
    event.detail.requestParameters.name = parameter;
    event.detail.responseElements.version = version;
    return event;
  };

  const invoke = async (event: unknown) => {
    const file = join(dir, `${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(event));
    const { stdout } = await run(
      process.execPath,
      [
        'bin/root-monitor.js',
        'invoke',
        '--function',
        'GuardFunction',
        '--event',
        file,
        '--env-vars',
        envVars,
      ],
      { cwd: REPO_ROOT, env: process.env },
    );
    return JSON.parse(stdout);
  };

  /** The chat payload (what every protocol but email gets) and the email text. */
  const partsOf = (received: Received) => {
    const chat = JSON.parse(received.message);
    return { chat, text: JSON.stringify(chat) };
  };

  beforeAll(async () => {
    inbox = await createTopicInbox('config-change');
    const table = await createDedupTable('config-change-dedup');
    parameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
    dir = mkdtempSync(join(tmpdir(), 'root-monitor-'));
    envVars = join(dir, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({
        GuardFunction: {
          ALERT_TOPIC_ARN: inbox.topicArn,
          DEDUP_TABLE_NAME: table,
          CONFIG_PARAMETER: parameter,
          POWERTOOLS_LOG_LEVEL: 'WARN',
        },
      }),
    );
    await push({ version: 1, allow: [billing] }, 'Reason: first allowlist');
  });

  it("announces a widening change as HIGH, naming the user's ARN and the added entry", async () => {
    const version = await push(
      { version: 1, allow: [billing, nightlyExport] },
      'Reason: nightly billing export, ticket SEC-51',
    );

    const result = await invoke(putEvent(version));

    expect(result).toMatchObject({
      decision: 'alert',
      severity: 'HIGH',
      ruleIds: ['config-changed'],
      messageId: expect.any(String),
    });
    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.subject).toBe(
      `[HIGH] root-monitor allowlist widened - ${ownAccount()} us-east-1`,
    );
    expect(message?.attributes).toMatchObject({ severity: 'HIGH', rule_id: 'config-changed' });
    const { chat, text } = partsOf(message as Received);
    expect(chat.metadata.additionalContext).toMatchObject({
      principalArn: 'arn:aws:iam::111122223333:user/alice',
      principalType: 'IAMUser',
      throughConsole: 'true',
      parameters: parameter,
    });
    expect(text).toContain('nightly-billing-export');
    expect(text).toContain('new entry');
    expect(text).toContain('nightly billing export, ticket SEC-51');
  });

  it('announces a narrowing change as MEDIUM', async () => {
    const version = await push({ version: 1, allow: [billing] }, 'Reason: export retired');

    const result = await invoke(putEvent(version));

    expect(result).toMatchObject({ decision: 'alert', severity: 'MEDIUM' });
    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.subject).toBe(
      `[MEDIUM] root-monitor allowlist narrowed - ${ownAccount()} us-east-1`,
    );
    expect(partsOf(message as Received).text).toMatch(/nightly-billing-export.*entry removed/);
  });

  it('announces a redelivered event once', async () => {
    const version = await push({ version: 1, allow: [billing], dedupMinutes: 30 }, 'Reason: x');
    const event = putEvent(version);

    expect(await invoke(event)).toMatchObject({ decision: 'alert', severity: 'HIGH' });
    expect(await invoke(event)).toMatchObject({ decision: 'duplicate', redelivery: true });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });
});
