import { randomUUID } from 'node:crypto';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { iamUserRecord, rootRecord } from '../../rules/cases.js';
import { guardOnAws } from '../../src/aws/guard-on-aws.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import type { Settings } from '../../src/settings.js';
import { createDedupTable } from '../support/dedup-table.js';
import { accessDenied } from '../support/fault-proxy.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

const proxy = useFaultProxy();

const ssm = new SSMClient();

const listUsers = { id: 'list-users', reason: 'audit script, SEC-7', eventNames: ['ListUsers'] };

/** A monitor whose configuration is cached for an hour: only a dropped cache shows an edit. */
const deploy = async (config: object) => {
  const inbox = await createTopicInbox('changes');
  const dedupTableName = await createDedupTable('changes-dedup');
  const configParameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
  const settings: Settings = {
    topicArn: inbox.topicArn,
    dedupTableName,
    configParameter,
    configMaxAgeSeconds: 3600,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: { configParameter, topicArn: inbox.topicArn, dedupTableName },
  };
  const put = async (document: object): Promise<number> =>
    (
      await ssm.send(
        new PutParameterCommand({
          Name: configParameter,
          Type: 'String',
          Overwrite: true,
          Value: JSON.stringify(document),
        }),
      )
    ).Version ?? 0;
  await put(config);
  const logger = recordingLogger();
  return { inbox, settings, put, logger, client: ssm };
};

/** moto's account, where the test's topic and parameter live: the function's own. */
const OWN_ACCOUNT = '123456789012';
/** A member account whose events reach the same bus, or the same organization trail. */
const MEMBER_ACCOUNT = '111122223333';

const envelope = (detail: CloudTrailRecord) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.ssm',
  account: stringOr(detail.recipientAccountId, OWN_ACCOUNT),
  time: '2026-03-21T11:04:09Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

const stringOr = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : fallback;

/**
 * The CloudTrail record of an SSM write on `name` in the function's own account, by alice
 * unless another identity is given.
 */
const ssmCall = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  responseElements: Record<string, unknown> | null = null,
  record: (overrides: CloudTrailRecord) => CloudTrailRecord = iamUserRecord,
  account = OWN_ACCOUNT,
) =>
  envelope(
    record({
      eventID: randomUUID(),
      recipientAccountId: account,
      eventSource: 'ssm.amazonaws.com',
      eventName,
      requestParameters,
      responseElements,
    }),
  );

const rootListUsers = () => envelope(rootRecord({ eventID: randomUUID() }));

describe('a change to the configuration parameter, through the guard', () => {
  it('is announced by the guard, and leaves the real-time function to its cache', async () => {
    const { settings, put, logger, inbox } = await deploy({ version: 1, allow: [listUsers] });
    const monitor = monitorOnAws(settings, logger);
    const guard = guardOnAws(settings, logger);
    expect(await monitor.handle(rootListUsers())).toMatchObject({ decision: 'allowlisted' });

    const version = await put({ version: 1 });
    expect(
      await guard.handle(ssmCall('PutParameter', { name: settings.configParameter }, { version })),
    ).toMatchObject({ decision: 'alert', severity: 'MEDIUM', ruleIds: ['config-changed'] });

    // Cached for an hour: the real-time function reads the change when its cache expires.
    expect(await monitor.handle(rootListUsers())).toMatchObject({ decision: 'allowlisted' });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it("gives root's own change the tampering alert from real time and the announcement from the guard", async () => {
    const { settings, put, logger, inbox } = await deploy({ version: 1, allow: [listUsers] });
    const monitor = monitorOnAws(settings, logger);
    const guard = guardOnAws(settings, logger);
    expect(await monitor.handle(rootListUsers())).toMatchObject({ decision: 'allowlisted' });
    const version = await put({ version: 1 });
    const change = ssmCall(
      'PutParameter',
      { name: settings.configParameter },
      { version },
      rootRecord,
    );

    // One after the other: moto's conditional writes are not atomic between concurrent clients.
    const alert = await monitor.handle(change);
    const guarded = await guard.handle(change);

    expect(alert).toMatchObject({ decision: 'alert', ruleIds: ['root-audit-tampering'] });
    // The guard announces the change, and knows the tampering alert the real-time path sent.
    expect(guarded).toMatchObject({
      decision: 'batch',
      results: [
        { decision: 'alert', severity: 'MEDIUM', ruleIds: ['config-changed'] },
        { decision: 'duplicate', ruleIds: ['root-audit-tampering'], redelivery: true },
      ],
    });
    const subjects = (await inbox.receiveAll()).map((message) => message.subject).sort();
    expect(subjects).toEqual([
      expect.stringMatching(/^\[CRITICAL\]/),
      `[MEDIUM] root-monitor allowlist narrowed - ${OWN_ACCOUNT} us-east-1`,
    ]);
    // Root's own change drops the real-time function's cache: it takes effect at once.
    expect(await monitor.handle(rootListUsers())).toMatchObject({ decision: 'alert' });
  });

  it('announces a deletion as HIGH: the function now runs with nothing allowlisted', async () => {
    const { settings, logger, inbox } = await deploy({ version: 1, allow: [listUsers] });
    const guard = guardOnAws(settings, logger);
    await ssm.send(new DeleteParameterCommand({ Name: settings.configParameter }));

    expect(
      await guard.handle(ssmCall('DeleteParameters', { names: [settings.configParameter, '/x'] })),
    ).toMatchObject({ decision: 'alert', severity: 'HIGH' });

    const [message] = await inbox.receiveAll();
    expect(message?.subject).toBe(
      `[HIGH] root-monitor configuration deleted - ${OWN_ACCOUNT} us-east-1`,
    );
    expect(message?.message).toContain('now runs with nothing allowlisted');
  });

  it('names the parameter by ARN, and leaves every other parameter alone', async () => {
    const { settings, logger, inbox } = await deploy({ version: 1 });
    const guard = guardOnAws(settings, logger);
    const arn = `arn:aws:ssm:us-east-1:${OWN_ACCOUNT}:parameter${settings.configParameter}`;

    expect(
      await guard.handle(ssmCall('LabelParameterVersion', { name: arn, labels: ['x'] })),
    ).toMatchObject({ decision: 'alert', severity: 'LOW' });
    expect(
      await guard.handle(ssmCall('PutParameter', { name: `${settings.configParameter}-old` })),
    ).toMatchObject({ decision: 'ignored' });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it("leaves another account's parameter of the same name alone: it is not this monitor's", async () => {
    const { settings, put, logger, inbox } = await deploy({ version: 1, allow: [listUsers] });
    const guard = guardOnAws(settings, logger);
    expect(settings.topicArn.split(':')[4]).toBe(OWN_ACCOUNT);
    const version = await put({ version: 1 });

    expect(
      await guard.handle(
        ssmCall(
          'PutParameter',
          { name: settings.configParameter },
          { version },
          iamUserRecord,
          MEMBER_ACCOUNT,
        ),
      ),
    ).toMatchObject({ decision: 'ignored' });
    expect(await inbox.receiveAll()).toHaveLength(0);
  });

  it('still announces, as HIGH with the diff unknown, when the history cannot be read', async () => {
    const { settings, put, logger, inbox } = await deploy({ version: 1 });
    // SSM refuses the history, as when the guard's role lost ssm:GetParameterHistory.
    proxy.setRule((request) =>
      request.operation === 'GetParameterHistory'
        ? accessDenied('ssm:GetParameterHistory')
        : undefined,
    );
    const guard = guardOnAws(settings, logger, {
      ssm: new SSMClient({ endpoint: proxy.endpoint }),
    });
    const version = await put({ version: 1 });
    const refusedBefore = proxy.faulted.length;

    expect(
      await guard.handle(ssmCall('PutParameter', { name: settings.configParameter }, { version })),
    ).toMatchObject({ decision: 'alert', severity: 'HIGH' });
    expect(proxy.faulted.slice(refusedBefore).map(({ operation }) => operation)).toEqual([
      'GetParameterHistory',
    ]);
    const [message] = await inbox.receiveAll();
    expect(message?.subject).toMatch(/diff unknown/);
  });

  it('announces a refused attempt as MEDIUM: nothing changed, but someone tried', async () => {
    const { settings, logger, inbox } = await deploy({ version: 1 });
    const guard = guardOnAws(settings, logger);
    const refused = ssmCall('PutParameter', { name: settings.configParameter });
    (refused.detail as Record<string, unknown>).errorCode = 'AccessDenied';

    expect(await guard.handle(refused)).toMatchObject({ decision: 'alert', severity: 'MEDIUM' });
    expect((await inbox.receiveAll())[0]?.subject).toMatch(/refused/);
  });
});
