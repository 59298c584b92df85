import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { sourceKeyOf } from '../../src/aws/first-seen-table.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import { ClaimInFlightError, type Timing } from '../../src/pipeline/settle-claim.js';
import { readSettings } from '../../src/settings.js';
import { DEDUP_WRITES } from '../support/dedup-table.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { deployMonitor, envelope, virtualTiming } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';
import { recordingLogger } from '../support/recording-logger.js';

const proxy = useFaultProxy({ stallMs: 1_000 });

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ACCOUNT = '111122223333';

/** CloudTrail's time format, `msAgo` before the wall clock `timing` reads. */
const timeBefore = (timing: Timing, msAgo: number): string =>
  `${new Date(timing.clock().getTime() - msAgo).toISOString().slice(0, 19)}Z`;

/** A root call outside any more specific rule (root-activity, HIGH, collapsed per address). */
const rootCall = (sourceIPAddress: string, eventTime: string, eventName = 'RunInstances') =>
  envelope(
    rootRecord({
      eventID: randomUUID(),
      eventTime,
      eventSource: 'ec2.amazonaws.com',
      eventName,
      sourceIPAddress,
    }),
  );

/** Root creating an access key: root-access-key-created, CRITICAL, which no allowlist silences. */
const rootCreatesKey = (sourceIPAddress: string, eventTime: string) =>
  envelope(
    rootRecord({
      eventID: randomUUID(),
      eventTime,
      eventName: 'CreateAccessKey',
      sourceIPAddress,
      responseElements: { accessKey: { accessKeyId: 'AKIAROOTEXAMPLE00001', status: 'Active' } },
    }),
  );

/**
 * A deployed monitor whose functions read FIRST_SEEN_DAYS as the template sets it, each container
 * built as the real-time function's entry builds it: `monitorOnAws(readSettings(env))`.
 */
const deploy = async (firstSeenDays: string, config: object = { version: 1 }) => {
  const stack = await deployMonitor(config);
  const env = {
    ALERT_TOPIC_ARN: stack.settings.topicArn,
    DEDUP_TABLE_NAME: stack.settings.dedupTableName,
    CONFIG_PARAMETER: stack.settings.configParameter,
    FIRST_SEEN_DAYS: firstSeenDays,
  };
  const timing = virtualTiming();
  /** A fresh Lambda container: its own clients and caches, the same table. */
  const container = (clients: Parameters<typeof monitorOnAws>[2] = {}) => {
    const logger = recordingLogger();
    return {
      monitor: monitorOnAws(readSettings(env), logger, clients, undefined, timing),
      logger,
    };
  };
  /** The sources noted, by account and source. */
  const sources = async () =>
    (await stack.items())
      .map((item) => item.pk?.S ?? '')
      .filter((key) => key.startsWith('first-seen#') && key !== 'first-seen#learning-since');
  return { ...stack, timing, container, sources };
};

describe('First-seen sources through the handler (moto)', () => {
  it('raises and marks the alert of a new source, and no other, across two collapse windows', async () => {
    const { inbox, timing, container } = await deploy('90/0');
    const { monitor, logger } = container();

    // Window 1 of 198.51.100.7: opened by its first use, which alerts as first seen.
    const opener = await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, 60 * MINUTE)));
    const inWindow = await monitor.handle(
      rootCall('198.51.100.7', timeBefore(timing, 55 * MINUTE)),
    );
    // Another new source meanwhile: a window of its own, first seen too.
    const other = await monitor.handle(rootCall('203.0.113.9', timeBefore(timing, 50 * MINUTE)));
    // Window 2 of 198.51.100.7, after the 15 minutes of the first: known now.
    const nextWindow = await monitor.handle(
      rootCall('198.51.100.7', timeBefore(timing, 30 * MINUTE)),
    );

    expect([opener, inWindow, other, nextWindow]).toMatchObject([
      { decision: 'alert', severity: 'CRITICAL' },
      { decision: 'duplicate' },
      { decision: 'alert', severity: 'CRITICAL' },
      { decision: 'alert', severity: 'HIGH' },
    ]);
    const received = await inbox.receiveAll();
    expect(received.map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
      '[HIGH] Root user activity - 111122223333 us-east-1 (+1 suppressed)',
    ]);
    expect(received.map((message) => message.attributes.severity)).toEqual([
      'CRITICAL',
      'CRITICAL',
      'HIGH',
    ]);
    expect(received[0]?.message).toContain(
      'First seen: root has not used 198.51.100.7 in this account in the last 90 days, so this alert is raised from HIGH to CRITICAL.',
    );
    expect(received[2]?.message).not.toContain('First seen');
    const alertLines = logger.lines.filter((line) => line.message === 'ROOT_ACCOUNT_USAGE');
    expect(alertLines.map((line) => line.fields.firstSeen)).toEqual([
      'first seen',
      'first seen',
      undefined,
    ]);
    expect(alertLines[0]?.fields).toMatchObject({
      severity: 'CRITICAL',
      severityRaisedFrom: 'HIGH',
      firstSeenSource: '198.51.100.7',
    });
  });

  it('finds a source first seen again after its days, from the item DynamoDB has not deleted yet', async () => {
    const { inbox, timing, container, items } = await deploy('1/0');
    const { monitor } = container();

    await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, 3 * DAY)));
    const sameDay = await monitor.handle(
      rootCall('198.51.100.7', timeBefore(timing, 3 * DAY - 60 * MINUTE)),
    );
    const [item] = (await items()).filter(
      (stored) => stored.pk?.S === sourceKeyOf(ACCOUNT, '198.51.100.7'),
    );
    // moto never deletes by TTL; the item holds its expiry a day after the last use.
    expect(Number(item?.expiresAt?.N) * 1000).toBe(
      Date.parse(timeBefore(timing, 3 * DAY - 60 * MINUTE)) + DAY,
    );
    const afterTheDay = await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, DAY)));

    expect(sameDay).toMatchObject({ decision: 'alert', severity: 'HIGH' });
    expect(afterTheDay).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
      '[HIGH] Root user activity - 111122223333 us-east-1',
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    ]);
  });

  it('marks without raising while a new deployment learns, and raises once its days are over', async () => {
    const { inbox, timing, container } = await deploy('90/7');

    const learning = await container().monitor.handle(
      rootCall('198.51.100.7', timeBefore(timing, MINUTE)),
    );
    timing.advance(8 * DAY);
    const learnt = await container().monitor.handle(
      rootCall('203.0.113.9', timeBefore(timing, MINUTE)),
    );

    expect(learning).toMatchObject({ decision: 'alert', severity: 'HIGH' });
    expect(learnt).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    const [marked, raised] = await inbox.receiveAll();
    expect(marked?.subject).toBe(
      '[HIGH] Root user activity - 111122223333 us-east-1 (first seen, learning)',
    );
    expect(marked?.message).toContain(
      'First seen (learning): root has not used 198.51.100.7 in this account in the last 90 days. The monitor is still learning the sources root uses, until',
    );
    expect(raised?.subject).toBe(
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    );
  });

  it('neither marks nor notes an allowlisted event, nor an AWS-internal source', async () => {
    const { inbox, timing, container, sources } = await deploy('90/0', {
      version: 1,
      allow: [{ id: 'office', reason: 'office network, SEC-1', sourceIps: ['198.51.100.0/24'] }],
    });
    const { monitor } = container();

    const allowlisted = await monitor.handle(
      rootCall('198.51.100.7', timeBefore(timing, 10 * MINUTE)),
    );
    const internal = await monitor.handle(rootCall('AWS Internal', timeBefore(timing, 9 * MINUTE)));
    const service = await monitor.handle(
      rootCall('cloudformation.amazonaws.com', timeBefore(timing, 8 * MINUTE)),
    );
    expect(await sources()).toEqual([]);
    // The allowlisted source is no known one: a call no entry can silence is first seen.
    const locked = await monitor.handle(rootCreatesKey('198.51.100.7', timeBefore(timing, MINUTE)));

    expect([allowlisted, internal, service, locked]).toMatchObject([
      { decision: 'allowlisted' },
      { decision: 'alert', severity: 'HIGH' },
      { decision: 'alert', severity: 'HIGH' },
      { decision: 'alert', severity: 'CRITICAL' },
    ]);
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[HIGH] Root user activity - 111122223333 us-east-1',
      '[HIGH] Root user activity - 111122223333 us-east-1',
      expect.stringMatching(/ \(first seen\)$/),
    ]);
    expect(await sources()).toEqual([sourceKeyOf(ACCOUNT, '198.51.100.7')]);
  });

  it('marks the window’s alert when another event of the new source’s burst was noted first', async () => {
    const { inbox, timing, container, windows, items } = await deploy('90/0');
    const [first, second] = [2, 1].map((secondsAgo) =>
      rootCall('198.51.100.7', timeBefore(timing, secondsAgo * 1000)),
    );
    // Delivered at once to two containers. The second event's claim opens the window, while its
    // sighting is held up (a stalled connection, which the SDK tries again), so the first
    // event's sighting is the one that finds the source new.
    const secondId = second?.detail.eventID ?? '';
    proxy.inject({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: 'stall',
      times: 1,
      body: new RegExp(`first-seen#[\\s\\S]*${secondId}`),
    });
    const winning = container(clientsThrough(proxy)).monitor.handle(second);
    while ((await windows()).length === 0) await new Promise((resolve) => setImmediate(resolve));
    // The first event meets the window pending, and fails for Lambda to retry it: nothing is
    // counted against an alert not yet sent.
    await expect(container().monitor.handle(first)).rejects.toBeInstanceOf(ClaimInFlightError);

    expect(await winning).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    // Lambda's retry of the first event: counted in the window the second's alert opened.
    expect(await container().monitor.handle(first)).toMatchObject({ decision: 'duplicate' });
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    ]);
    // The first event was the one noted first.
    const [noted] = (await items()).filter(
      (item) => item.pk?.S === sourceKeyOf(ACCOUNT, '198.51.100.7'),
    );
    expect(noted?.firstEventId?.S).toBe(first?.detail.eventID);
  });
});

describe('First-seen sources when DynamoDB fails them (moto behind the fault proxy)', () => {
  /** Every write of a source or of the learning start, not the claims beside them. */
  const FIRST_SEEN_WRITES = /"pk":\{"S":"first-seen#/;

  it.each([
    ['fails every attempt', 'internal-error'],
    ['throttles every attempt', 'throttle'],
    ['stalls past the timeout', 'stall'],
  ] as const)(
    'sends the alert unmarked, and says so in the log, when the lookup %s',
    async (_, fault) => {
      const { inbox, timing, container } = await deploy('90/0');
      proxy.inject({ service: 'dynamodb', fault, body: FIRST_SEEN_WRITES });
      const { monitor, logger } = container(clientsThrough(proxy, { requestTimeout: 500 }));

      const result = await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, MINUTE)));

      expect(result).toMatchObject({ decision: 'alert', severity: 'HIGH', claimed: true });
      expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
        '[HIGH] Root user activity - 111122223333 us-east-1',
      ]);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'First-seen lookup failed; alerting without the first-seen mark',
          fields: expect.objectContaining({ eventId: expect.any(String) }),
        }),
      );
    },
  );

  it('finds the source first seen when the answer to its sighting was lost and the SDK wrote it again', async () => {
    const { inbox, timing, container } = await deploy('90/0');
    // moto applies the update, then the answer is cut: the SDK's retry finds its own note.
    proxy.inject({ service: 'dynamodb', fault: 'lose-answer', times: 1, body: FIRST_SEEN_WRITES });
    const { monitor } = container(clientsThrough(proxy));

    const result = await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, MINUTE)));

    expect(result).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    ]);
  });

  it('marks the alert again on Lambda’s retry after its publish failed', async () => {
    const { inbox, timing, container } = await deploy('90/0');
    const event = rootCall('198.51.100.7', timeBefore(timing, MINUTE));
    proxy.inject({ service: 'sns', operation: 'Publish', fault: 'internal-error' });

    await expect(container(clientsThrough(proxy)).monitor.handle(event)).rejects.toThrow();
    proxy.inject();
    timing.advance(MINUTE);
    const retried = await container().monitor.handle(event);

    expect(retried).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    ]);
  });

  it('keeps first-seen failures out of the claims: a claim that fails still alerts unclaimed, marked', async () => {
    const { inbox, timing, container } = await deploy('90/0');
    proxy.inject({ service: 'dynamodb', fault: 'internal-error', body: DEDUP_WRITES });
    const { monitor } = container(clientsThrough(proxy));

    const result = await monitor.handle(rootCall('198.51.100.7', timeBefore(timing, MINUTE)));

    expect(result).toMatchObject({ decision: 'alert', severity: 'CRITICAL', claimed: false });
    expect((await inbox.receiveAll()).map((message) => message.subject)).toEqual([
      '[CRITICAL] Root user activity - 111122223333 us-east-1 (first seen)',
    ]);
  });
});
