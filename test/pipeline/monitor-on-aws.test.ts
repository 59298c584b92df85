import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { iamUserRecord, roleSessionRecord, rootRecord, rootSignIn } from '../../rules/cases.js';
import { type AwsClients, monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import { eventsFrom } from '../../src/intake/events-from.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import type { Settings } from '../../src/settings.js';
import { createDedupTable } from '../support/dedup-table.js';
import { accessDenied, formField, queryError } from '../support/fault-proxy.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { envelope } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

const proxy = useFaultProxy({ stallMs: 10_000 });

const ssm = new SSMClient();
const dynamodb = new DynamoDBClient();

/** A deployed monitor's resources, unique to the test: topic with an inbox, table, parameter. */
const deploy = async (config?: object) => {
  const suffix = randomUUID().slice(0, 8);
  const inbox = await createTopicInbox();
  const dedupTableName = await createDedupTable();
  const configParameter = `/root-monitor-${suffix}/config`;
  if (config !== undefined) await putConfig(configParameter, config);
  const settings: Settings = {
    topicArn: inbox.topicArn,
    dedupTableName,
    configParameter,
    configMaxAgeSeconds: 1,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: { configParameter, topicArn: inbox.topicArn, dedupTableName },
  };
  /** A fresh Lambda container: its own caches, the same AWS resources. */
  const container = (clients: AwsClients = {}) => {
    const logger = recordingLogger();
    return { monitor: monitorOnAws(settings, logger, clients), logger };
  };
  /** Claims that hold their key: sent, or pending under a live lease. */
  const liveClaims = async () =>
    ((await dynamodb.send(new ScanCommand({ TableName: dedupTableName }))).Items ?? []).filter(
      (item) => item.status?.S === 'sent' || Number(item.leaseUntil?.N) > Date.now(),
    );
  return { inbox, settings, container, liveClaims };
};

const putConfig = (name: string, config: object | string) =>
  ssm.send(
    new PutParameterCommand({
      Name: name,
      Type: 'String',
      Overwrite: true,
      Value: typeof config === 'string' ? config : JSON.stringify(config),
    }),
  );

const eventId = () => randomUUID();
const noMfaSignIn = () =>
  envelope(rootSignIn({ eventID: eventId(), additionalEventData: { MFAUsed: 'No' } }));
const rootCall = (overrides: CloudTrailRecord = {}) =>
  envelope(rootRecord({ eventID: eventId(), ...overrides }));

describe('Monitor on AWS (moto)', () => {
  it('publishes an alert with its subject and attributes, and logs it at CRITICAL', async () => {
    const { inbox, container } = await deploy({ version: 1 });
    const { monitor, logger } = container();

    const result = await monitor.handle(noMfaSignIn());

    expect(result).toMatchObject({
      decision: 'alert',
      severity: 'CRITICAL',
      ruleIds: ['root-console-login-without-mfa'],
      messageId: expect.any(String),
      claimed: true,
    });
    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.subject).toMatch(/^\[CRITICAL\] .*111122223333 us-east-1/);
    expect(message?.attributes).toMatchObject({
      severity: 'CRITICAL',
      service: 'root-monitor',
      event_name: 'ConsoleLogin',
      rule_id: 'root-console-login-without-mfa',
      account_id: '111122223333',
    });
    const critical = logger.lines.filter((line) => line.level === 'critical');
    expect(critical).toEqual([
      expect.objectContaining({
        message: 'ROOT_ACCOUNT_USAGE',
        fields: expect.objectContaining({
          severity: 'CRITICAL',
          ruleIds: ['root-console-login-without-mfa'],
          eventName: 'ConsoleLogin',
          accountId: '111122223333',
          region: 'us-east-1',
          assumedRoot: false,
          suppressed: 0,
        }),
      }),
    ]);
  });

  it("alerts a member account's root email changed by a role, reading the allowlist it cannot obey", async () => {
    const { inbox, container } = await deploy({
      version: 1,
      allow: [{ id: 'office', reason: 'office network', sourceIps: ['198.51.100.0/24'] }],
    });
    const { monitor } = container();
    const memberEmail = envelope(
      roleSessionRecord({
        eventID: eventId(),
        eventSource: 'account.amazonaws.com',
        eventName: 'StartPrimaryEmailUpdate',
        requestParameters: { accountId: '444455556666', primaryEmail: 'new-owner@example.net' },
      }),
    );
    const ownContact = envelope(
      iamUserRecord({
        eventID: eventId(),
        eventSource: 'account.amazonaws.com',
        eventName: 'PutAlternateContact',
        requestParameters: { alternateContactType: 'SECURITY' },
      }),
    );

    expect(await monitor.handle(memberEmail)).toMatchObject({
      decision: 'alert',
      severity: 'CRITICAL',
      ruleIds: ['root-recovery-channel-changed'],
    });
    expect(await monitor.handle(ownContact)).toMatchObject({ decision: 'ignored' });
    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.subject).toBe(
      '[CRITICAL] Root email or account contacts changed - 111122223333 us-east-1',
    );
    // The queue subscribes to the chat payload.
    expect(JSON.parse(message?.message ?? '{}').metadata.additionalContext).toMatchObject({
      callerArn: 'arn:aws:sts::111122223333:assumed-role/ServiceTestRole/AccountAPITests',
      targetAccount: '444455556666',
      allowlistEntry: 'office',
      dedupKey: expect.stringMatching(/^event#/),
    });
  });

  it('applies an SSM edit within CONFIG_MAX_AGE_SECONDS, without a redeploy', async () => {
    const { inbox, settings, container } = await deploy({ version: 1 });
    const { monitor } = container();
    expect((await monitor.handle(rootCall())).decision).toBe('alert');

    await putConfig(settings.configParameter, {
      version: 1,
      allow: [{ id: 'list-users', reason: 'audit script, SEC-7', eventNames: ['ListUsers'] }],
    });
    await new Promise((resolve) => setTimeout(resolve, settings.configMaxAgeSeconds * 1000 + 200));

    expect(await monitor.handle(rootCall())).toMatchObject({
      decision: 'allowlisted',
      allowlistEntry: 'list-users',
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('treats a missing parameter as an empty allowlist, with a warning', async () => {
    const { inbox, container } = await deploy();
    const { monitor, logger } = container();
    expect((await monitor.handle(rootCall())).decision).toBe('alert');
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/not found/) }),
    );
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  describe('dedup', () => {
    it('collapses repeats across containers and reports them with the next alert', async () => {
      const { inbox, container } = await deploy({ version: 1, dedupMinutes: 15 });
      const first = container().monitor;
      const second = container().monitor;
      const at = (minute: number) =>
        rootCall({ eventTime: `2026-03-14T03:${String(minute).padStart(2, '0')}:00Z` });

      expect((await first.handle(at(0))).decision).toBe('alert');
      expect((await second.handle(at(5))).decision).toBe('duplicate');
      expect((await first.handle(at(10))).decision).toBe('duplicate');
      expect(await second.handle(at(16))).toMatchObject({ decision: 'alert', suppressedBefore: 2 });

      const messages = await inbox.receiveAll();
      expect(messages).toHaveLength(2);
      expect(messages[1]?.message).toContain('"suppressedBefore":"2"');
    });

    it('acknowledges a redelivered event without a second alert', async () => {
      const { inbox, container } = await deploy({ version: 1 });
      const event = noMfaSignIn();
      expect((await container().monitor.handle(event)).decision).toBe('alert');
      expect(await container().monitor.handle(event)).toMatchObject({
        decision: 'duplicate',
        redelivery: true,
      });
      expect(await inbox.receiveAll()).toHaveLength(1);
    });

    it('gives one message for 20 concurrent invocations sharing a key', async () => {
      const { inbox, container } = await deploy({ version: 1 });
      const events = Array.from({ length: 20 }, () => rootCall());
      // Through the proxy, which makes moto's conditional writes atomic as DynamoDB's are.
      const results = await Promise.all(
        events.map((event) =>
          container(clientsThrough(proxy, { requestTimeout: 3_000 })).monitor.handle(event),
        ),
      );
      expect(results.filter((result) => result.decision === 'alert')).toHaveLength(1);
      expect(results.filter((result) => result.decision === 'duplicate')).toHaveLength(19);
      expect(await inbox.receiveAll()).toHaveLength(1);
    });
  });

  describe('an invalid configuration', () => {
    it('allows nothing and sends one configuration alert, not one per event', async () => {
      // The first entry alone would allowlist ListUsers: it must not apply while its sibling
      // makes the document invalid.
      const { inbox, container } = await deploy({
        version: 1,
        allow: [
          { id: 'list-users', reason: 'audit script', eventNames: ['ListUsers'] },
          { id: 'broken', reason: 'r', eventNames: ['GetBillingData'], sourceIps: ['x'] },
        ],
      });
      const results = [];
      for (const _ of [1, 2, 3]) results.push(await container().monitor.handle(noMfaSignIn()));
      results.push(await container().monitor.handle(rootCall()));

      expect(results.map((result) => result.decision)).toEqual([
        'alert',
        'alert',
        'alert',
        'alert',
      ]);
      const messages = await inbox.receiveAll();
      const configAlerts = messages.filter((m) => m.attributes.rule_id === 'config-invalid');
      expect(configAlerts).toHaveLength(1);
      expect(configAlerts[0]?.subject).toMatch(/configuration invalid/);
      expect(messages).toHaveLength(5);
    });

    it('names the parameter when the document is not JSON', async () => {
      const { inbox, settings, container } = await deploy();
      await putConfig(settings.configParameter, '{"version": 1,');
      const { monitor, logger } = container();
      expect((await monitor.handle(rootCall())).decision).toBe('alert');
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          fields: expect.objectContaining({
            problems: [expect.stringMatching(`^${settings.configParameter}: not valid JSON`)],
          }),
        }),
      );
      expect(await inbox.receiveAll()).toHaveLength(2);
    });
  });

  it('fails closed when SSM cannot be read at cold start, with one configuration alert', async () => {
    const { inbox, container } = await deploy({
      version: 1,
      allow: [{ id: 'list-users', reason: 'audit script', eventNames: ['ListUsers'] }],
    });
    // SSM refuses the read, as when the function's role lost ssm:GetParameter.
    proxy.setRule((request) =>
      request.operation === 'GetParameter' ? accessDenied('ssm:GetParameter') : undefined,
    );
    const deniedSsm = () => new SSMClient({ endpoint: proxy.endpoint });

    // ListUsers would be allowlisted by the stored document, were it readable.
    expect((await container({ ssm: deniedSsm() }).monitor.handle(rootCall())).decision).toBe(
      'alert',
    );
    expect((await container({ ssm: deniedSsm() }).monitor.handle(noMfaSignIn())).decision).toBe(
      'alert',
    );
    const messages = await inbox.receiveAll();
    const configAlerts = messages.filter((m) => m.attributes.rule_id === 'config-invalid');
    expect(configAlerts).toHaveLength(1);
    expect(configAlerts[0]?.message).toContain('AccessDeniedException');
    expect(messages).toHaveLength(3);
  });

  describe('failures', () => {
    it('throws and frees its claim when SNS fails, so the retry delivers exactly one alert', async () => {
      const { inbox, container, liveClaims } = await deploy({ version: 1 });
      proxy.inject({ service: 'sns', operation: 'Publish', fault: 'internal-error' });
      const event = noMfaSignIn();

      await expect(container(clientsThrough(proxy)).monitor.handle(event)).rejects.toThrow(
        'Internal error',
      );
      expect(await liveClaims()).toEqual([]);

      expect((await container().monitor.handle(event)).decision).toBe('alert');
      expect((await container().monitor.handle(event)).decision).toBe('duplicate');
      expect(await inbox.receiveAll()).toHaveLength(1);
    });

    it('releases a claim whose answer was lost when SNS then fails, so the retry alerts', async () => {
      const { inbox, container, liveClaims } = await deploy({ version: 1 });
      proxy.inject(
        { service: 'dynamodb', operation: 'UpdateItem', fault: 'lose-answer' },
        { service: 'sns', operation: 'Publish', fault: 'unavailable' },
      );
      const event = noMfaSignIn();

      await expect(container(clientsThrough(proxy)).monitor.handle(event)).rejects.toThrow(
        'Service unavailable',
      );
      expect(await liveClaims()).toEqual([]);

      expect((await container().monitor.handle(event)).decision).toBe('alert');
      expect(await inbox.receiveAll()).toHaveLength(1);
    });

    it('publishes every other alert of a batch before throwing for one it could not', async () => {
      const { inbox, container } = await deploy({ version: 1 });
      const [first, stuck, last] = [noMfaSignIn(), noMfaSignIn(), noMfaSignIn()];
      const batch = { Records: [first.detail, stuck.detail, last.detail] };
      // SNS fails, every attempt, for the one alert that carries the stuck event's id.
      proxy.setRule((request) =>
        request.operation === 'Publish' &&
        (formField(request, 'Message') ?? '').includes(String(stuck.detail.eventID))
          ? queryError('InternalError', 'Internal error', 500, 'Receiver')
          : undefined,
      );

      // A batch as the backstop hands over a log file's root events.
      const events = eventsFrom(batch, 'file');
      await expect(
        container({ sns: clientsThrough(proxy).sns }).monitor.handleEvents(events),
      ).rejects.toThrow('Internal error');
      expect((await inbox.receiveAll()).length).toBe(2);

      const retried = await container().monitor.handleEvents(events);
      expect(retried).toMatchObject([
        { decision: 'duplicate' },
        { decision: 'alert' },
        { decision: 'duplicate' },
      ]);
      expect(await inbox.receiveAll()).toHaveLength(1);
    });

    it('gives up on an SNS that never answers in time to release the claim and throw', async () => {
      // The function's own clients (BOUNDED_CALLS): without bounded timeouts the call would
      // hang until the Lambda timed out, and the claim would hold off the first retry.
      const { container, liveClaims } = await deploy({ version: 1 });
      proxy.inject({ service: 'sns', operation: 'Publish', fault: 'stall' });
      process.env.AWS_ENDPOINT_URL_SNS = proxy.endpoint;
      try {
        await expect(container().monitor.handle(noMfaSignIn())).rejects.toThrow();
        expect(await liveClaims()).toEqual([]);
      } finally {
        delete process.env.AWS_ENDPOINT_URL_SNS;
      }
    });

    it('still alerts when DynamoDB fails, and says so', async () => {
      const { inbox, settings } = await deploy({ version: 1 });
      const logger = recordingLogger();
      const monitor = monitorOnAws({ ...settings, dedupTableName: 'no-such-table' }, logger);

      expect(await monitor.handle(noMfaSignIn())).toMatchObject({
        decision: 'alert',
        claimed: false,
      });
      expect(await inbox.receiveAll()).toHaveLength(1);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({ level: 'error', message: expect.stringMatching(/Dedup table/) }),
      );
    });

    it('alerts on an event nested too deeply to serialize, saying where to read it', async () => {
      const { inbox, container } = await deploy({ version: 1 });
      let nested: Record<string, unknown> = {};
      for (let depth = 0; depth < 200_000; depth++) nested = { nested };
      const { eventID: _, ...record } = rootRecord({ requestParameters: nested });

      expect((await container().monitor.handle(envelope(record))).decision).toBe('alert');
      const [message] = await inbox.receiveAll();
      expect(message?.message).toContain('nested too deeply to show here');
    });

    it('answers a malformed event without throwing: the unexpected-input alarm, no root alert', async () => {
      const { inbox, container } = await deploy({ version: 1 });
      const { monitor } = container();
      expect(await monitor.handle('not an event')).toMatchObject({
        decision: 'unexpected-input',
        input: 'not-an-object',
        handled: { decision: 'batch', results: [] },
      });
      expect(await monitor.handle({ detail: 42 })).toMatchObject({
        decision: 'unexpected-input',
        input: 'hand-typed-detail',
        handled: {
          decision: 'unreadable',
          error: 'event: field detail must be an object, got a number',
        },
      });
      expect((await inbox.receiveAll()).map(({ attributes }) => attributes.rule_id)).toEqual([
        'unexpected-input',
        'unexpected-input',
      ]);
    });
  });

  describe('forensics', () => {
    const s3 = new S3Client({ forcePathStyle: true });
    const withBucket = async (bucket: string) => {
      const { inbox, settings } = await deploy({ version: 1 });
      const logger = recordingLogger();
      const monitor = monitorOnAws({ ...settings, forensicsBucket: bucket }, logger);
      return { inbox, monitor, logger };
    };

    it('snapshots a CRITICAL alert after publishing it, and nothing for a lesser one', async () => {
      const bucket = `forensics-${randomUUID().slice(0, 8)}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const { inbox, monitor } = await withBucket(bucket);
      const critical = noMfaSignIn();

      await monitor.handle(critical);
      await monitor.handle(rootCall());

      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(Contents.map((object) => object.Key)).toEqual([
        `incidents/root-activity/2026-03-14/${critical.detail.eventID}.json`,
      ]);
      expect(await inbox.receiveAll()).toHaveLength(2);
    });

    it('never lets a failed snapshot hold back the alert', async () => {
      const { inbox, monitor, logger } = await withBucket('no-such-bucket-for-forensics');
      expect((await monitor.handle(noMfaSignIn())).decision).toBe('alert');
      expect(await inbox.receiveAll()).toHaveLength(1);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({ level: 'error', message: 'Forensic snapshot failed' }),
      );
    });
  });

  it('keeps the published subject ASCII, single-line and under 100 characters', async () => {
    // moto accepts any subject; SNS itself rejects these, so the rule is checked here.
    const { inbox, container } = await deploy({ version: 1 });
    const hostile = rootCall({
      userAgent: 'x\r\nSubject: all clear \u202e\u{1F600}',
      awsRegion: `us-east-1\n${'é'.repeat(200)}`,
      recipientAccountId: '111122223333\u0007',
    });
    await container().monitor.handle(hostile);
    const [message] = await inbox.receiveAll();
    expect(message?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});
