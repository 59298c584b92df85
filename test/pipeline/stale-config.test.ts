import { randomUUID } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import type { Settings } from '../../src/settings.js';
import { createDedupTable } from '../support/dedup-table.js';
import { jsonError } from '../support/fault-proxy.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox, type Received } from '../support/topic-inbox.js';

const T0 = Date.parse('2026-11-30T03:00:00Z');
const READ_AT = '2026-11-30T03:00:00Z';
const MAX_AGE_SECONDS = 60;
const STALE_ALARM_SECONDS = 900;

const envelope = (detail: CloudTrailRecord) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: '111122223333',
  time: '2026-11-30T03:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});
/** Allowlisted by the document below. */
const listUsers = () => envelope(rootRecord({ eventID: randomUUID(), eventName: 'ListUsers' }));
/** Never allowlistable: always an alert. */
const noMfaSignIn = () =>
  envelope(rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' } }));

const staleAlerts = (messages: Received[]) =>
  messages.filter((message) => message.attributes.rule_id === 'config-stale');

/** Moves the clock the function, Powertools' cache and the dedup windows read. */
const at = (seconds: number): void => {
  vi.setSystemTime(T0 + seconds * 1000);
};

describe('A stale allowlist (SSM failing behind a fault proxy, a controlled clock)', () => {
  const proxy = useFaultProxy();
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const deploy = async () => {
    const inbox = await createTopicInbox();
    const dedupTableName = await createDedupTable();
    const configParameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
    await new SSMClient().send(
      new PutParameterCommand({
        Name: configParameter,
        Type: 'String',
        Value: JSON.stringify({
          version: 1,
          allow: [{ id: 'list-users', reason: 'audit script, SEC-7', eventNames: ['ListUsers'] }],
        }),
      }),
    );
    const settings: Settings = {
      topicArn: inbox.topicArn,
      dedupTableName,
      configParameter,
      configMaxAgeSeconds: MAX_AGE_SECONDS,
      configStaleAlarmSeconds: STALE_ALARM_SECONDS,
      forensicsBucket: undefined,
      forensicsKmsKeyId: undefined,
      monitor: { configParameter, topicArn: inbox.topicArn, dedupTableName },
    };
    const logger = recordingLogger();
    const ssm = new SSMClient({ endpoint: proxy.endpoint });
    return { inbox, logger, monitor: monitorOnAws(settings, logger, { ssm }) };
  };

  /** SSM answers every read with an internal error, which the SDK retries and gives up on. */
  const ssmDown = () =>
    proxy.setRule((request) =>
      request.service === 'ssm'
        ? jsonError('InternalServerError', 'An internal error occurred', 500)
        : undefined,
    );

  it('keeps the last good allowlist, says so in every alert, and announces it once it lasts', async () => {
    const { inbox, logger, monitor } = await deploy();
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');

    // SSM fails; the cached copy expires and the refresh fails: the last good document stays.
    ssmDown();
    at(MAX_AGE_SECONDS + 1);
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');
    expect((await monitor.handle(noMfaSignIn())).decision).toBe('alert');
    const [rootAlert, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    // Before the threshold: no configuration alert, but the alert says which allowlist is in force.
    expect(rootAlert?.attributes.rule_id).toBe('root-console-login-without-mfa');
    expect(JSON.parse(rootAlert?.message ?? '{}')).toMatchObject({
      content: { description: expect.stringContaining(`read at ${READ_AT} (UTC)`) },
      metadata: { additionalContext: { configReadAt: READ_AT } },
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'critical',
        message: 'ROOT_ACCOUNT_USAGE',
        fields: expect.objectContaining({ configReadAt: '2026-11-30T03:00:00.000Z' }),
      }),
    );

    // Past CONFIG_STALE_ALARM_SECONDS without a successful read: one configuration alert.
    at(STALE_ALARM_SECONDS + 1);
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');
    at(STALE_ALARM_SECONDS + 300);
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');
    expect((await monitor.handle(noMfaSignIn())).decision).toBe('alert');
    const announced = await inbox.receiveAll();
    expect(staleAlerts(announced)).toEqual([
      expect.objectContaining({
        subject: `[HIGH] root-monitor configuration stale - allowlist of ${READ_AT} in force`,
        attributes: expect.objectContaining({ severity: 'HIGH', event_name: 'ConfigurationStale' }),
      }),
    ]);
    expect(staleAlerts(announced)[0]?.message).toContain('InternalServerError');
    expect(announced).toHaveLength(2);

    // Still stale a day later: announced again, once.
    at(STALE_ALARM_SECONDS + 86_400 + 1);
    await monitor.handle(listUsers());
    await monitor.handle(listUsers());
    expect(staleAlerts(await inbox.receiveAll())).toHaveLength(1);

    // SSM reads again: alerts no longer carry the note.
    proxy.setRule(() => undefined);
    at(STALE_ALARM_SECONDS + 86_400 + MAX_AGE_SECONDS + 2);
    expect((await monitor.handle(noMfaSignIn())).decision).toBe('alert');
    const [recovered, ...afterRecovery] = await inbox.receiveAll();
    expect(afterRecovery).toEqual([]);
    expect(recovered?.message).not.toContain('configReadAt');

    // A day after the last announcement, when a repeat would be due were it still stale:
    // nothing is announced, the recovery noticed.
    at(STALE_ALARM_SECONDS + 2 * 86_400 + 2);
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');
    expect((await monitor.handle(noMfaSignIn())).decision).toBe('alert');
    const aDayOn = await inbox.receiveAll();
    expect(staleAlerts(aDayOn)).toEqual([]);
    expect(aDayOn).toHaveLength(1);
  });

  it('announces nothing when a refresh fails only briefly', async () => {
    const { inbox, monitor } = await deploy();
    await monitor.handle(listUsers());

    ssmDown();
    at(MAX_AGE_SECONDS + 1);
    await monitor.handle(listUsers());
    proxy.setRule(() => undefined);
    at(2 * MAX_AGE_SECONDS + 2);
    await monitor.handle(listUsers());
    at(STALE_ALARM_SECONDS + 1);
    expect((await monitor.handle(listUsers())).decision).toBe('allowlisted');

    expect(await inbox.receiveAll()).toEqual([]);
  });
});
