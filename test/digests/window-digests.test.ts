import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { timeAgo } from '../support/cloudtrail-time.js';
import { clientsThrough } from '../support/faulty-clients.js';
import {
  deployMonitor,
  envelope,
  invocationWith,
  scheduledEvent,
  virtualTiming,
} from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy({ stallMs: 30_000 });

const MINUTE = 60_000;
const INVOCATION = invocationWith(125_000);

/** A root call from `address`: root-activity collapses calls from one address for 15 minutes. */
const rootCall = (
  minutesAgo: number,
  address = '203.0.113.7',
  fields: CloudTrailRecord = {},
): CloudTrailRecord =>
  rootRecord({
    eventID: randomUUID(),
    eventTime: timeAgo(minutesAgo),
    sourceIPAddress: address,
    ...fields,
  });

/** A monitor whose window for 203.0.113.7 alerted at 50 minutes ago and then counted two calls. */
const monitorWithClosedWindow = async () => {
  const deployed = await deployMonitor();
  const timing = virtualTiming();
  const { monitor } = deployed.container({}, timing);
  const counted = [
    rootCall(48, '203.0.113.7', { eventName: 'RunInstances', errorCode: 'UnauthorizedOperation' }),
    rootCall(47, '203.0.113.7', { eventName: 'DescribeInstances' }),
  ];
  for (const record of [rootCall(50), ...counted, counted[0] ?? {}]) {
    await monitor.handle(envelope(record), INVOCATION);
  }
  const alerts = await deployed.inbox.receiveAll();
  expect(alerts).toHaveLength(1);
  return { ...deployed, timing };
};

describe('Window digests: the scheduled run (moto: DynamoDB index -> function -> SNS)', () => {
  it('sends one digest of what a closed window counted, once, and none for a window still open', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();
    const { monitor, digests } = container({}, timing);
    // Another address's window opened 5 minutes ago, with a call counted: it closes in 10.
    await monitor.handle(envelope(rootCall(5, '198.51.100.9')), INVOCATION);
    await monitor.handle(envelope(rootCall(4, '198.51.100.9')), INVOCATION);
    await inbox.receiveAll();

    const result = await digests.handle(scheduledEvent(), INVOCATION);

    expect(result).toEqual({
      decision: 'digests',
      unsent: 0,
      results: [
        expect.objectContaining({
          decision: 'digest',
          dedupKey: 'root-activity#111122223333#203.0.113.7',
          events: 2,
          reportedBefore: 0,
        }),
      ],
    });
    const [digest, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(digest?.attributes).toMatchObject({ event_name: 'WindowDigest', severity: 'HIGH' });
    expect(digest?.message).toContain('203.0.113.7');
    expect(digest?.message).toContain('RunInstances');
    expect(digest?.message).toContain('DescribeInstances');

    expect(await digests.handle(scheduledEvent(), INVOCATION)).toEqual({
      decision: 'digests',
      results: [],
      unsent: 0,
    });
    expect(await inbox.receiveAll()).toEqual([]);

    timing.advance(11 * MINUTE);
    expect(await digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ dedupKey: 'root-activity#111122223333#198.51.100.9' })],
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('leaves a digest SNS would not take for the next run, which sends it, without failing the run', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();
    proxy.inject({ service: 'sns', operation: 'Publish', fault: 'internal-error' });

    // Not thrown: a failed run would be retried, then parked with the alerts that never
    // reached a person. The digest waits for the next run.
    expect(
      await container(clientsThrough(proxy), timing).digests.handle(scheduledEvent(), INVOCATION),
    ).toEqual({ decision: 'digests', results: [], unsent: 1 });
    proxy.inject();
    expect(await inbox.receiveAll()).toEqual([]);

    // The next run, five minutes later, in a fresh container.
    timing.advance(5 * MINUTE);
    expect(await container({}, timing).digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ events: 2 })],
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('sends a digest once when two runs take it at the same moment', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();

    // Through the proxy, which makes moto's conditional writes atomic, as DynamoDB's are.
    await Promise.all([
      container(clientsThrough(proxy), timing).digests.handle(scheduledEvent(), INVOCATION),
      container(clientsThrough(proxy), timing).digests.handle(scheduledEvent(), INVOCATION),
    ]);

    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('sends a digest again, rather than never, when it went out but could not be marked sent', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();
    // The lease is taken (one UpdateItem); every write after the publish fails.
    proxy.inject({ service: 'dynamodb', operation: 'UpdateItem', fault: 'unavailable', after: 1 });
    const faulty = container(clientsThrough(proxy), timing);

    expect(await faulty.digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ events: 2 })],
    });
    expect(faulty.logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'Window digest sent but not marked sent; the next run sends it again',
      }),
    ]);
    proxy.inject();

    // Its lease ends with the invocation that held it.
    timing.advance(3 * MINUTE);
    await container({}, timing).digests.handle(scheduledEvent(), INVOCATION);
    expect(await inbox.receiveAll()).toHaveLength(2);
  });

  it('claims no digest in the last 30 seconds of its invocation; the next run sends it', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();
    const { digests, logger } = container({}, timing);

    expect(await digests.handle(scheduledEvent(), invocationWith(20_000))).toEqual({
      decision: 'digests',
      results: [],
      unsent: 0,
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Digest run out of time; the next run sends the digests still due',
      }),
    );
    expect(await inbox.receiveAll()).toEqual([]);

    expect(await digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ events: 2 })],
    });
  });

  it('sends a second digest of an event counted after the first was sent, saying so', async () => {
    const { inbox, container, timing } = await monitorWithClosedWindow();
    const { monitor, digests } = container({}, timing);
    await digests.handle(scheduledEvent(), INVOCATION);
    await inbox.receiveAll();

    // A trail file brings a call inside the window that real-time delivery never brought.
    await monitor.handle(
      envelope(rootCall(46, '203.0.113.7', { eventName: 'TerminateInstances' })),
    );

    expect(await digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ events: 1, reportedBefore: 2 })],
    });
    const [second] = await inbox.receiveAll();
    expect(second?.message).toContain('TerminateInstances');
    expect(second?.message).not.toContain('DescribeInstances');
  });
});
