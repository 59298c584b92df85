import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { UNTRUSTED_WINDOW_LOG_MESSAGE } from '../../src/pipeline/monitor.js';
import { ClaimInFlightError } from '../../src/pipeline/settle-claim.js';
import { BIN } from '../cli/run-cli.js';
import { DEDUP_WRITES } from '../support/dedup-table.js';
import { clientsThrough } from '../support/faulty-clients.js';
import {
  deployMonitor,
  envelope,
  invocationWith,
  virtualTiming,
} from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy({ stallMs: 30_000 });

const MINUTE = 60_000;
/** What Lambda leaves the handler of the deployed function (its Timeout, less a little). */
const INVOCATION = invocationWith(125_000);

const noMfaSignIn = () =>
  envelope(rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' } }));

/** A root call at 03:`minute` UTC, from the one address: root-activity collapses such calls. */
const rootCallAt = (minute: number) =>
  envelope(
    rootRecord({
      eventID: randomUUID(),
      eventTime: `2026-03-14T03:${String(minute).padStart(2, '0')}:00Z`,
    }),
  );

describe('Alert claims: pending until SNS accepts, leased until the invocation ends', () => {
  it('alerts on the retry when the function died between claim and publish, once the lease is over', async () => {
    const { inbox, settings, container, windows } = await deployMonitor();
    const event = noMfaSignIn();
    const dir = mkdtempSync(join(tmpdir(), 'root-monitor-crash-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
    writeFileSync(
      join(dir, 'env.json'),
      JSON.stringify({
        RootMonitorFunction: {
          ALERT_TOPIC_ARN: settings.topicArn,
          DEDUP_TABLE_NAME: settings.dedupTableName,
          CONFIG_PARAMETER: settings.configParameter,
          POWERTOOLS_LOG_LEVEL: 'ERROR',
        },
      }),
    );
    // The real handler in its own process, killed once its publish is on the wire.
    proxy.inject({ service: 'sns', operation: 'Publish', fault: 'stall' });
    const publishing = proxy.arrival('sns', 'Publish');
    const lambda = spawn(
      process.execPath,
      [BIN, 'invoke', '--event', join(dir, 'event.json'), '--env-vars', join(dir, 'env.json')],
      { env: { ...process.env, AWS_ENDPOINT_URL: proxy.endpoint }, stdio: 'ignore' },
    );
    await publishing;
    lambda.kill('SIGKILL');
    await once(lambda, 'exit');
    proxy.inject();

    const [left] = await windows();
    expect(left).toMatchObject({ status: { S: 'pending' } });
    expect(Number(left?.leaseUntil?.N)).toBeGreaterThan(Date.now());

    // Delivered again while the dead invocation's lease is live: neither alerted nor
    // acknowledged, but failed, so that Lambda retries it.
    const timing = virtualTiming();
    await expect(container({}, timing).monitor.handle(event, INVOCATION)).rejects.toBeInstanceOf(
      ClaimInFlightError,
    );
    expect(await inbox.receiveAll()).toEqual([]);

    // Lambda's retry, a minute later: `invoke`'s context gave the dead invocation 30 s.
    timing.advance(MINUTE);
    expect(await container({}, timing).monitor.handle(event, INVOCATION)).toMatchObject({
      decision: 'alert',
      claimed: true,
    });
    expect(await container({}, timing).monitor.handle(event, INVOCATION)).toMatchObject({
      decision: 'duplicate',
      redelivery: true,
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('alerts on the retry after the lease when publishing and then the release both failed', async () => {
    const { inbox, container } = await deployMonitor();
    const event = noMfaSignIn();
    const timing = virtualTiming();
    proxy.inject(
      { service: 'sns', operation: 'Publish', fault: 'internal-error' },
      // The claim passes; the release after the failed publish meets 503s.
      {
        service: 'dynamodb',
        operation: 'UpdateItem',
        fault: 'unavailable',
        after: 1,
        body: DEDUP_WRITES,
      },
    );
    const failed = container(clientsThrough(proxy), timing);

    await expect(failed.monitor.handle(event, INVOCATION)).rejects.toThrow('Internal error');
    expect(failed.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Alert not published and its dedup claim not released',
      }),
    );
    proxy.inject();

    // Lambda's first retry, a minute later: the claim is still leased to the failed invocation.
    timing.advance(MINUTE);
    await expect(container({}, timing).monitor.handle(event, INVOCATION)).rejects.toBeInstanceOf(
      ClaimInFlightError,
    );
    // Its second retry, two minutes after that: the lease is over, and it alerts.
    timing.advance(2 * MINUTE);
    expect(await container({}, timing).monitor.handle(event, INVOCATION)).toMatchObject({
      decision: 'alert',
    });
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('answers success when SNS accepted the alert but marking it sent failed; a later delivery may alert again', async () => {
    const { inbox, container } = await deployMonitor();
    const event = noMfaSignIn();
    const timing = virtualTiming();
    proxy.inject({
      service: 'dynamodb',
      operation: 'UpdateItem',
      fault: 'throttle',
      after: 1,
      body: DEDUP_WRITES,
    });
    const sent = container(clientsThrough(proxy), timing);

    expect(await sent.monitor.handle(event, INVOCATION)).toMatchObject({
      decision: 'alert',
      claimed: true,
    });
    expect(sent.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Alert sent but its claim not marked sent; the key may alert twice',
      }),
    );
    proxy.inject();

    timing.advance(3 * MINUTE);
    expect((await container({}, timing).monitor.handle(event, INVOCATION)).decision).toBe('alert');
    expect(await inbox.receiveAll()).toHaveLength(2);
  });

  it('never counts an event against a window whose alert is pending; only against a sent one', async () => {
    const { inbox, container, windows } = await deployMonitor();
    const [opener, follower] = [rootCallAt(0), rootCallAt(1)];
    const timing = virtualTiming();
    proxy.inject(
      { service: 'sns', operation: 'Publish', fault: 'internal-error' },
      {
        service: 'dynamodb',
        operation: 'UpdateItem',
        fault: 'unavailable',
        after: 1,
        body: DEDUP_WRITES,
      },
    );
    await expect(
      container(clientsThrough(proxy), timing).monitor.handle(opener, INVOCATION),
    ).rejects.toThrow();
    proxy.inject();

    await expect(container({}, timing).monitor.handle(follower, INVOCATION)).rejects.toBeInstanceOf(
      ClaimInFlightError,
    );

    timing.advance(3 * MINUTE);
    expect((await container({}, timing).monitor.handle(opener, INVOCATION)).decision).toBe('alert');
    expect(await container({}, timing).monitor.handle(follower, INVOCATION)).toMatchObject({
      decision: 'duplicate',
      redelivery: false,
    });
    expect(await windows()).toEqual([
      expect.objectContaining({ status: { S: 'sent' }, suppressed: { N: '1' } }),
    ]);
    expect(await inbox.receiveAll()).toHaveLength(1);
  });
});

describe('Out of order: a window counts every event of its key that happened before it closes', () => {
  it('counts an event older than the window’s opener in that window, once, and alerts nothing more', async () => {
    const { inbox, container, windows, notes } = await deployMonitor();
    const [opener, older, later] = [rootCallAt(10), rootCallAt(0), rootCallAt(12)];
    const { monitor } = container();

    expect((await monitor.handle(opener)).decision).toBe('alert');
    expect(await monitor.handle(older)).toMatchObject({ decision: 'duplicate', redelivery: false });
    // Delivered again: acknowledged, not counted a second time.
    expect(await monitor.handle(older)).toMatchObject({ decision: 'duplicate' });
    expect(await monitor.handle(later)).toMatchObject({ decision: 'duplicate', redelivery: false });

    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(await windows()).toEqual([
      expect.objectContaining({
        eventId: { S: opener.detail.eventID },
        status: { S: 'sent' },
        suppressed: { N: '2' },
      }),
    ]);
    // Both wait for the opener's window digest.
    expect(
      (await notes())
        .filter((note) => note.openerId?.S === opener.detail.eventID)
        .map((note) => note.eventId?.S)
        .sort(),
    ).toEqual([older.detail.eventID, later.detail.eventID].sort());
  });

  it('does not trust a sent window that opens in a future year: the next event of its key alerts, and says why', async () => {
    const { inbox, container, settings } = await deployMonitor();
    const event = rootCallAt(5);
    const future = Date.parse('2031-01-01T00:00:00Z');
    // What a forged write (or a broken clock) would leave: a sent window that swallows its key.
    await new DynamoDBClient().send(
      new PutItemCommand({
        TableName: settings.dedupTableName,
        Item: {
          pk: {
            S: `root-activity#${event.detail.recipientAccountId}#${event.detail.sourceIPAddress}`,
          },
          eventId: { S: 'forged' },
          status: { S: 'sent' },
          openedAt: { N: String(future) },
          expiresAt: { N: String(future / 1000 + 15 * 60) },
          suppressed: { N: '0' },
        },
      }),
    );
    const { monitor, logger } = container();

    expect(await monitor.handle(event)).toMatchObject({ decision: 'alert', claimed: true });

    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: UNTRUSTED_WINDOW_LOG_MESSAGE,
        fields: expect.objectContaining({ openerId: 'forged', openedAt: future }),
      }),
    );
    // The fresh window is trusted: the next event of the key is counted in it.
    expect(await container().monitor.handle(rootCallAt(6))).toMatchObject({
      decision: 'duplicate',
      redelivery: false,
    });
  });
});
