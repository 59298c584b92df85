import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { assumeRootRecord, MEMBER_ACCOUNT, rootSessionCallRecord } from '../../rules/cases.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { deployMonitor, envelope } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { BUCKET_UNLOCK_CONFIG, OPENER_ROLE, UNLOCK_POLICY } from '../support/root-session-case.js';

const proxy = useFaultProxy();

/**
 * A session of its own per test, opened a minute ago (the table forgets a session a day after it
 * ends, by the wall clock): its key, the AssumeRoot that opens it, and its calls a few seconds
 * apart.
 */
const newSession = () => {
  const accessKeyId = `ASIA${randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()}`;
  const openedAt = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const assumeRoot = assumeRootRecord({
    eventID: randomUUID(),
    eventTime: at(openedAt),
    responseElements: {
      credentials: { accessKeyId, expiration: at(openedAt + 900_000) },
    },
  });
  let calls = 0;
  const call = (overrides: CloudTrailRecord = {}) =>
    rootSessionCallRecord({
      eventID: randomUUID(),
      eventTime: at(openedAt + 10_000 * ++calls),
      userIdentity: {
        type: 'Root',
        principalId: MEMBER_ACCOUNT,
        arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
        accountId: MEMBER_ACCOUNT,
        accessKeyId,
        assumedRoot: 'true',
      },
      ...overrides,
    });
  const fields = {
    rootSession: 'seen',
    sessionOpenedBy: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
    sessionOpenedByRole: OPENER_ROLE,
    sessionSourceIp: '192.0.2.1',
    sessionTaskPolicy: UNLOCK_POLICY,
    sessionOpenedAt: new Date(openedAt).toISOString(),
    sessionExpiresAt: new Date(openedAt + 900_000).toISOString(),
    sessionAssumeRootRegion: 'us-west-2',
  };
  return { accessKeyId, openedAt, assumeRoot, call, fields };
};

describe('the root session join on AWS (moto)', () => {
  it("remembers an AssumeRoot in the dedup table, allowlists its session's task in later invocations, and alerts the call its task policy does not allow", async () => {
    const { inbox, settings, container } = await deployMonitor(BUCKET_UNLOCK_CONFIG);
    const { accessKeyId, openedAt, assumeRoot, call, fields } = newSession();

    expect(await container().monitor.handle(envelope(assumeRoot))).toMatchObject({
      decision: 'alert',
      ruleIds: ['root-session-issued'],
    });
    // One item per session, under its key, kept by the table's TTL until a day after it ends.
    const { Item } = await new DynamoDBClient().send(
      new GetItemCommand({
        TableName: settings.dedupTableName,
        Key: { pk: { S: `root-session#${accessKeyId}` } },
      }),
    );
    expect(Item).toMatchObject({
      openedBy: { S: fields.sessionOpenedBy },
      taskPolicyArn: { S: UNLOCK_POLICY },
      targetAccount: { S: MEMBER_ACCOUNT },
      expiresAt: { N: String((openedAt + 900_000 + 24 * 3_600_000) / 1000) },
    });

    // Each call in a fresh container: the session comes from the table, not from memory.
    const unlock = container();
    expect(await unlock.monitor.handle(envelope(call()))).toMatchObject({
      decision: 'allowlisted',
      allowlistEntry: 'bucket-unlock-calls',
    });
    expect(unlock.logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Root usage allowlisted',
        fields: expect.objectContaining({ ...fields, taskPolicyCheck: 'within' }),
      }),
    );
    expect(
      await container().monitor.handle(envelope(call({ eventName: 'GetBucketPolicy' }))),
    ).toMatchObject({ decision: 'allowlisted' });

    const denied = container();
    const outside = call({
      eventName: 'DeleteBucket',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:iam::444455556666:root is not authorized to perform: s3:DeleteBucket with an explicit deny in a session policy',
    });
    expect(await denied.monitor.handle(envelope(outside))).toMatchObject({
      decision: 'alert',
      severity: 'HIGH',
      ruleIds: ['root-session-outside-task-policy'],
    });
    expect(denied.logger.lines.filter((line) => line.level === 'critical')).toEqual([
      expect.objectContaining({
        message: 'ROOT_ACCOUNT_USAGE',
        fields: expect.objectContaining({
          ...fields,
          taskPolicyCheck: 'outside',
          allowlistEntry: 'bucket-unlock-calls',
        }),
      }),
    ]);

    const [issued, outsideAlert, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(issued?.attributes.rule_id).toBe('root-session-issued');
    expect(outsideAlert?.subject).toBe(
      `[HIGH] Root session call outside its task policy via AssumeRoot - ${MEMBER_ACCOUNT} us-west-2`,
    );
    // The queue subscribes to the chat payload: the structured alert, and the card's text.
    const chat = JSON.parse(outsideAlert?.message ?? '{}');
    expect(chat.metadata.additionalContext).toMatchObject({
      ...fields,
      taskPolicyCheck: 'outside',
    });
    expect(chat.content.description).toContain(
      '*Task policy:* OUTSIDE the task policy `S3UnlockBucketPolicy`: it does not allow `s3.amazonaws.com` `DeleteBucket`',
    );
  });

  it('says so when no AssumeRoot was seen for a session, and lets no entry naming its opener cover it', async () => {
    const { inbox, container } = await deployMonitor(BUCKET_UNLOCK_CONFIG);
    const { call } = newSession();

    const { monitor, logger } = container();
    expect(await monitor.handle(envelope(call()))).toMatchObject({
      decision: 'alert',
      ruleIds: ['root-activity'],
    });
    expect(logger.lines.find((line) => line.level === 'critical')?.fields).toMatchObject({
      rootSession: 'unseen',
    });
    const [alert] = await inbox.receiveAll();
    expect(JSON.parse(alert?.message ?? '{}').content.description).toContain(
      '*Root session:* a root session opened by sts:AssumeRoot, but no AssumeRoot for its access key was seen',
    );
  });

  it('alerts without the session when the table cannot be read, rather than let an entry naming its opener pass it', async () => {
    const { container } = await deployMonitor(BUCKET_UNLOCK_CONFIG);
    const { assumeRoot, call } = newSession();
    await container().monitor.handle(envelope(assumeRoot));
    proxy.inject({ service: 'dynamodb', operation: 'GetItem', fault: 'internal-error' });

    const { monitor, logger } = container(clientsThrough(proxy));
    expect(await monitor.handle(envelope(call()))).toMatchObject({ decision: 'alert' });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Root sessions unreadable; the event is judged without its session',
      }),
    );
    expect(logger.lines.find((line) => line.level === 'critical')?.fields).toMatchObject({
      rootSession: 'unreadable',
    });
  });

  it('joins through the real-time handler itself, as `root-monitor invoke` runs it', async () => {
    const { inbox, settings } = await deployMonitor(BUCKET_UNLOCK_CONFIG);
    const { assumeRoot, call } = newSession();
    const folder = mkdtempSync(join(tmpdir(), 'root-sessions-'));
    const envVars = join(folder, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({
        RootMonitorFunction: {
          ALERT_TOPIC_ARN: settings.topicArn,
          DEDUP_TABLE_NAME: settings.dedupTableName,
          CONFIG_PARAMETER: settings.configParameter,
          POWERTOOLS_LOG_LEVEL: 'WARN',
        },
      }),
    );
    const invoke = async (record: CloudTrailRecord) => {
      const file = join(folder, `${randomUUID()}.json`);
      writeFileSync(file, JSON.stringify(envelope(record)));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          'bin/root-monitor.js',
          'invoke',
          '--function',
          'RootMonitorFunction',
          '--event',
          file,
          '--env-vars',
          envVars,
        ],
        { cwd: REPO_ROOT, env: process.env },
      );
      return JSON.parse(stdout) as Record<string, unknown>;
    };

    expect(await invoke(assumeRoot)).toMatchObject({ decision: 'alert' });
    expect(await invoke(call())).toMatchObject({
      decision: 'allowlisted',
      allowlistEntry: 'bucket-unlock-calls',
    });
    expect(
      await invoke(call({ eventName: 'PutBucketAcl', errorCode: 'AccessDenied' })),
    ).toMatchObject({ decision: 'alert', ruleIds: ['root-session-outside-task-policy'] });
    const messages = await inbox.receiveAll();
    expect(messages.map((message) => message.attributes.rule_id)).toEqual([
      'root-session-issued',
      'root-session-outside-task-policy',
    ]);
  });
});
