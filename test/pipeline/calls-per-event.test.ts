import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootRecord, rootSessionCallRecord, rootSignIn } from '../../rules/cases.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { deployMonitor, envelope } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

/**
 * The requests the function sent AWS during `work`, as `service.Operation`, in order of arrival:
 * the proxy's record of requests, which runs on across the file, read from where it stood.
 */
const callsDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
  const before = proxy.seen.length;
  await work();
  return proxy.seen.slice(before).map(({ service, operation }) => `${service}.${operation}`);
};

const listUsers = () => envelope(rootRecord({ eventID: randomUUID(), eventName: 'ListUsers' }));

/** A warm container: its clients through the fault proxy, the configuration read once. */
const warmContainer = async () => {
  const stack = await deployMonitor({
    version: 1,
    allow: [{ id: 'list-users', reason: 'audit script, SEC-7', eventNames: ['ListUsers'] }],
  });
  const { monitor } = stack.container(clientsThrough(proxy));
  expect(await callsDuring(() => monitor.handle(listUsers()))).toEqual(['ssm.GetParameter']);
  return { ...stack, monitor };
};

describe('AWS calls per event, counted on the wire (moto behind the fault proxy)', () => {
  it('makes no AWS call for an allowlisted event while the configuration is cached', async () => {
    const { monitor } = await warmContainer();

    let decision: string | undefined;
    const calls = await callsDuring(async () => {
      decision = (await monitor.handle(listUsers())).decision;
    });

    expect(decision).toBe('allowlisted');
    expect(calls).toEqual([]);
  });

  it('notes the source beside the claim, publishes and marks the claim sent for an alerted event: four calls, and the learning start once', async () => {
    const { monitor, inbox } = await warmContainer();
    const signIn = () =>
      envelope(rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' } }));

    const first = await callsDuring(() => monitor.handle(signIn()));
    const second = await callsDuring(() => monitor.handle(signIn()));

    // Side by side, in any order: the source's sighting, the claim and, in the container's
    // first sighting, the start of learning.
    expect(first.slice(0, 3).sort()).toEqual([
      'dynamodb.PutItem',
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
    ]);
    expect(first.slice(3)).toEqual(['sns.Publish', 'dynamodb.UpdateItem']);
    expect(second).toEqual([
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
      'sns.Publish',
      'dynamodb.UpdateItem',
    ]);
    expect(await inbox.receiveAll()).toHaveLength(2);
  });

  it('publishes once for a burst of 50 root calls from one address, counting the others in its window', async () => {
    const { monitor, inbox } = await warmContainer();
    const burst = Array.from({ length: 50 }, () =>
      envelope(
        rootRecord({
          eventID: randomUUID(),
          eventName: 'DescribeInstances',
          eventSource: 'ec2.amazonaws.com',
          sourceIPAddress: '203.0.113.99',
        }),
      ),
    );

    const decisions: string[] = [];
    const perEvent: string[][] = [];
    const calls = await callsDuring(async () => {
      for (const event of burst) {
        perEvent.push(
          await callsDuring(async () => decisions.push((await monitor.handle(event)).decision)),
        );
      }
    });

    expect(decisions).toEqual(['alert', ...Array(49).fill('duplicate')]);
    expect(calls.filter((call) => call === 'sns.Publish')).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('ssm.'))).toEqual([]);
    expect(await inbox.receiveAll()).toHaveLength(1);
    // The opener: its source's sighting beside its claim (and the start of learning, the
    // container's first), the publish, then marking it sent beside noting its event.
    const [opener = [], ...counted] = perEvent;
    expect([...opener].sort()).toEqual([
      'dynamodb.PutItem',
      'dynamodb.PutItem',
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
      'sns.Publish',
    ]);
    // Each other: its sighting beside its claim, refused by the open window, then its note, and
    // the window's count.
    expect(counted).toEqual(
      Array(49).fill([
        'dynamodb.UpdateItem',
        'dynamodb.UpdateItem',
        'dynamodb.PutItem',
        'dynamodb.UpdateItem',
      ]),
    );
  });

  it('looks up the session of a call made in a root session once, before it is judged, and no other', async () => {
    const { monitor } = await warmContainer();

    const calls = await callsDuring(() =>
      monitor.handle(envelope(rootSessionCallRecord({ eventID: randomUUID() }))),
    );

    // No AssumeRoot was seen for it: the lookup first, then what any opener of a window costs
    // (with the start of learning sources, the container's first sighting).
    const [lookup, ...alert] = calls;
    expect(lookup).toBe('dynamodb.GetItem');
    expect(alert.sort()).toEqual([
      'dynamodb.PutItem',
      'dynamodb.PutItem',
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
      'dynamodb.UpdateItem',
      'sns.Publish',
    ]);
  });
});
