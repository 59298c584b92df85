import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { ALERT_DETAIL_TYPE, DIGEST_DETAIL_TYPE, EVENT_SOURCE } from '../../src/alert/bus-event.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { timeAgo } from '../support/cloudtrail-time.js';
import { createBusWithRules, createRecorder } from '../support/event-bus.js';
import type { ProxiedRequest } from '../support/fault-proxy.js';
import { clientsThrough } from '../support/faulty-clients.js';
import {
  deployMonitor,
  envelope,
  invocationWith,
  scheduledEvent,
  virtualTiming,
} from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

const INVOCATION = invocationWith(125_000);
const HOSTILE_AGENT = 'aws-cli/2\n\nSEVERITY: LOW - all clear\u202e <!channel> http://evil.example';

/**
 * A monitor whose alerts and digests also go on a bus of their own (standing in for the default
 * bus, so that tests running side by side share nothing), where a rule of the kind operators
 * write sends the monitor's events to a queue.
 */
const deployWithBus = async () => {
  const events = new EventBridgeClient();
  const recorder = await createRecorder(new SQSClient());
  const bus = await createBusWithRules(
    events,
    [{ source: [EVENT_SOURCE], 'detail-type': [ALERT_DETAIL_TYPE, DIGEST_DETAIL_TYPE] }],
    recorder.arn,
  );
  const deployed = await deployMonitor({ version: 1 }, { eventBus: bus.name });
  return { ...deployed, recorder };
};

const rootCall = (minutesAgo: number, fields: CloudTrailRecord = {}) =>
  envelope(
    rootRecord({
      eventID: randomUUID(),
      eventTime: timeAgo(minutesAgo),
      sourceIPAddress: '203.0.113.7',
      ...fields,
    }),
  );

const noMfaSignIn = (fields: CloudTrailRecord = {}) =>
  envelope(
    rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' }, ...fields }),
  );

/** An EventBridge client that keeps the name of every call made with it. */
const recordingCalls = () => {
  const calls: string[] = [];
  const client = new EventBridgeClient();
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize' },
  );
  return { client, calls };
};

/** EventBridge's answer when it took the call but not one of its entries (API reference). */
const refusingEveryEntry = (request: ProxiedRequest) => {
  if (request.operation !== 'PutEvents') return undefined;
  const { Entries = [] } = JSON.parse(request.body) as { Entries?: unknown[] };
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({
      FailedEntryCount: Entries.length,
      Entries: Entries.map(() => ({
        ErrorCode: 'InternalFailure',
        ErrorMessage: 'Internal service error.',
      })),
    }),
  };
};

describe('Alerts and digests on the event bus (moto routes them by pattern to a queue)', () => {
  it('puts each alert on the bus as its log line, led by its subject', async () => {
    const { inbox, recorder, container } = await deployWithBus();
    const { monitor, logger } = container();

    const result = await monitor.handle(noMfaSignIn({ userAgent: HOSTILE_AGENT }));

    expect(result).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    expect(await inbox.receiveAll()).toHaveLength(1);
    const [event, ...others] = await recorder.drain();
    expect(others).toEqual([]);
    expect(event).toMatchObject({ source: 'root-monitor', 'detail-type': 'Root Monitor Alert' });
    const [logLine] = logger.lines.filter((line) => line.message === 'ROOT_ACCOUNT_USAGE');
    expect(event?.detail).toEqual({
      // A new deployment is learning the sources root uses: marked, not raised.
      summary:
        '[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1 (first seen, learning)',
      ...logLine?.fields,
    });
    expect(event?.detail).toMatchObject({
      firstSeen: 'first seen (learning)',
      firstSeenSource: '198.51.100.23',
    });
    // Attacker-controlled text arrives escaped as in the log line: no line break, no bidi
    // override, no live link, whatever reads the detail.
    expect(event?.detail).toMatchObject({
      userAgent: 'aws-cli/2\\n\\nSEVERITY: LOW - all clear\\u202e <!channel> http[:]//evil.example',
    });
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('puts each digest on the bus, with its own detail-type', async () => {
    const { inbox, recorder, container } = await deployWithBus();
    const timing = virtualTiming();
    const { monitor, digests } = container({}, timing);
    for (const record of [rootCall(50), rootCall(48, { eventName: 'RunInstances' })]) {
      await monitor.handle(record, INVOCATION);
    }
    await inbox.receiveAll();
    expect(await recorder.drain()).toEqual([
      expect.objectContaining({ 'detail-type': 'Root Monitor Alert' }),
    ]);

    await digests.handle(scheduledEvent(), INVOCATION);

    expect(await inbox.receiveAll()).toHaveLength(1);
    const [event, ...others] = await recorder.drain();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      source: 'root-monitor',
      'detail-type': 'Root Monitor Digest',
      detail: {
        summary: expect.stringMatching(
          /^\[HIGH\] Root window digest: 1 root event after the alert/,
        ),
        decision: 'digest',
        dedupKey: 'root-activity#111122223333#203.0.113.7',
        events: 1,
        eventNames: { RunInstances: 1 },
        unmatched: [expect.objectContaining({ eventName: 'RunInstances' })],
      },
    });
  });

  it('puts nothing on the bus when the setting is off, and alerts and digests as ever', async () => {
    const { recorder } = await deployWithBus();
    // A monitor deployed with ALERT_EVENTS=false (readAlertingSettings gives it no bus), beside
    // a bus whose rule would take anything the monitor put on the default bus.
    const off = await deployMonitor({ version: 1 });
    const eventBridge = recordingCalls();
    const { monitor, digests } = off.container({ eventBridge: eventBridge.client });

    expect(await monitor.handle(noMfaSignIn())).toMatchObject({ decision: 'alert' });
    for (const record of [rootCall(50), rootCall(48)]) await monitor.handle(record, INVOCATION);
    expect(await digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      results: [expect.objectContaining({ decision: 'digest' })],
    });

    expect(await off.inbox.receiveAll()).toHaveLength(3);
    expect(await recorder.drain()).toEqual([]);
    expect(eventBridge.calls).toEqual([]);
  });

  it('delivers and logs the SNS alert when PutEvents fails, logs the failure, and succeeds', async () => {
    const { inbox, recorder, container } = await deployWithBus();
    const { monitor, logger } = container(clientsThrough(proxy));
    proxy.inject({ service: 'events', operation: 'PutEvents', fault: 'internal-error' });

    const result = await monitor.handle(noMfaSignIn());

    expect(result).toMatchObject({ decision: 'alert', claimed: true });
    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(await recorder.drain()).toEqual([]);
    expect(logger.lines.map((line) => line.message)).toContain('ROOT_ACCOUNT_USAGE');
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'Alerts not put on the event bus; the alerts were sent',
        fields: {
          error: expect.stringMatching(/InternalServerError|InternalFailure|Internal server/),
          eventIds: [expect.any(String)],
        },
      }),
    ]);
  });

  it('logs each entry EventBridge refused, naming its event, and succeeds', async () => {
    const { inbox, container } = await deployWithBus();
    const { monitor, logger } = container(clientsThrough(proxy));
    // moto never refuses an entry: the proxy answers as the PutEvents API reference documents.
    proxy.setRule(refusingEveryEntry);
    const signIn = noMfaSignIn();

    expect(await monitor.handle(signIn)).toMatchObject({ decision: 'alert' });

    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'EventBridge refused an alert event; the alert was sent',
        fields: {
          eventId: signIn.detail.eventID,
          reason: 'InternalFailure: Internal service error.',
        },
      }),
    ]);
  });

  it('sends the digest and logs the failure when PutEvents fails for it, and the run succeeds', async () => {
    const { inbox, recorder, container } = await deployWithBus();
    const timing = virtualTiming();
    const { monitor } = container({}, timing);
    for (const record of [rootCall(50), rootCall(48)]) await monitor.handle(record, INVOCATION);
    await inbox.receiveAll();
    await recorder.drain();
    const { digests, logger } = container(clientsThrough(proxy), timing);
    proxy.inject({ service: 'events', operation: 'PutEvents', fault: 'unavailable' });

    expect(await digests.handle(scheduledEvent(), INVOCATION)).toMatchObject({
      decision: 'digests',
      results: [expect.objectContaining({ events: 1 })],
      unsent: 0,
    });

    expect(await inbox.receiveAll()).toHaveLength(1);
    expect(await recorder.drain()).toEqual([]);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'Window digests not put on the event bus; the digests were sent',
        fields: {
          error: expect.stringMatching(/ServiceUnavailable/),
          dedupKeys: ['root-activity#111122223333#203.0.113.7'],
        },
      }),
    ]);
  });
});
