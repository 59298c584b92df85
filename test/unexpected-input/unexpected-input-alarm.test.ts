import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootSignIn } from '../../rules/cases.js';
import { formField, type ProxiedRequest, SNS_KMS_ERRORS } from '../support/fault-proxy.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { deployMonitor } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

/** SNS refuses publishes to these topics as when their key is disabled. */
const refusing = (topics: readonly string[]) => (request: ProxiedRequest) =>
  request.operation === 'Publish' && topics.includes(formField(request, 'TopicArn') ?? '')
    ? SNS_KMS_ERRORS.KMSDisabledException
    : undefined;

/** Claims that hold their key: sent, or pending under a live lease. */
const live = (items: Record<string, { S?: string; N?: string }>[]) =>
  items.filter(
    (item) =>
      item.pk?.S?.startsWith('unexpected-input#') &&
      (item.status?.S === 'sent' || Number(item.leaseUntil?.N) > Date.now()),
  );

describe('The unexpected-input alarm is never lost (moto behind a fault proxy)', () => {
  const proxy = useFaultProxy();

  const deploy = async () => {
    const stack = await deployMonitor({ version: 1 }, { alarmTopic: true });
    /** A fresh Lambda container, its clients reaching moto through the proxy. */
    const container = () => stack.container(clientsThrough(proxy));
    return { ...stack, alarmTopicArn: stack.alarmTopicArn ?? '', container };
  };

  it('goes to the alert topic when SNS refuses the alarm topic', async () => {
    const { inbox, alarmTopicArn, container } = await deploy();
    proxy.setRule(refusing([alarmTopicArn]));

    const result = await container().monitor.handle({});

    expect(result).toMatchObject({ decision: 'unexpected-input', alarm: 'sent' });
    expect(await inbox.receiveAll()).toEqual([
      expect.objectContaining({
        topicArn: inbox.topicArn,
        attributes: expect.objectContaining({ rule_id: 'unexpected-input' }),
      }),
    ]);
  });

  it("fails the invocation when neither topic takes it, leaving no claim; Lambda's retry sends it", async () => {
    const { inbox, alarmTopicArn, container, items } = await deploy();
    proxy.setRule(refusing([inbox.topicArn, alarmTopicArn]));
    const hidden = { detail: rootSignIn({ eventID: randomUUID() }) };

    // The event it held is judged all the same, and fails as its alert does: a retry sends both.
    await expect(container().monitor.handle(hidden)).rejects.toMatchObject({
      name: 'KMSDisabledException',
    });
    expect(live(await items())).toEqual([]);

    proxy.setRule(() => undefined);
    expect(await container().monitor.handle(hidden)).toMatchObject({
      decision: 'unexpected-input',
      input: 'hand-typed-detail',
      alarm: 'sent',
      handled: { decision: 'alert' },
    });
    const received = await inbox.receiveAll();
    expect(received.map(({ topicArn }) => topicArn).sort()).toEqual(
      [inbox.topicArn, alarmTopicArn].sort(),
    );
  });

  it('is sent unclaimed when the dedup table cannot answer', async () => {
    const { inbox, alarmTopicArn, container } = await deploy();
    proxy.inject({ service: 'dynamodb', fault: 'internal-error' });

    const { monitor, logger } = container();
    expect(await monitor.handle([])).toMatchObject({ input: 'not-an-object', alarm: 'sent' });

    expect((await inbox.receiveAll()).map(({ topicArn }) => topicArn)).toEqual([alarmTopicArn]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Dedup table unavailable; sending the unexpected-input alarm unclaimed',
      }),
    );
  });
});
