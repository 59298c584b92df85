import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../src/aws/alert-topic.js';
import type { ConfigTrouble } from '../../src/config-watch/active-config.js';
import { ConfigAlarm } from '../../src/config-watch/config-alarm.js';
import { MemoryDedupStore } from '../../src/dedup/memory-store.js';
import { useMoto } from '../support/aws-env.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

useMoto();

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-10-01T12:00:00Z');
const trouble: ConfigTrouble = {
  kind: 'invalid',
  problems: ['/root-monitor/config: allow[0].reason: must not be empty'],
  sources: ['/root-monitor/config'],
};

/** One container's alarm: its own memory of what it announced, over a shared dedup store. */
const containerAlarm = (store: MemoryDedupStore, topicArn: string): ConfigAlarm =>
  new ConfigAlarm(store, new AlertTopic(), topicArn, recordingLogger());

/** Raises from an invocation that starts at `at` and may last a minute. */
const raiseAt = (alarm: ConfigAlarm, raised: ConfigTrouble, at: number) =>
  alarm.raise(raised, new Date(at), at + 60_000);

describe('ConfigAlarm', () => {
  it('announces a lasting trouble again after a day, even from one warm container', async () => {
    const inbox = await createTopicInbox();
    const alarm = containerAlarm(new MemoryDedupStore(), inbox.topicArn);

    await raiseAt(alarm, trouble, T0);
    await raiseAt(alarm, trouble, T0 + HOUR);
    expect(await inbox.receiveAll()).toHaveLength(1);

    await raiseAt(alarm, trouble, T0 + 25 * HOUR);
    await raiseAt(alarm, trouble, T0 + 26 * HOUR);
    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('announces an unreadable parameter once, whatever each failed read said', async () => {
    const inbox = await createTopicInbox();
    const store = new MemoryDedupStore();
    const unreadable = (address: string): ConfigTrouble => ({
      kind: 'unreadable',
      problems: [
        `Cannot read configuration parameter /root-monitor/config: connect ETIMEDOUT ${address}:443`,
      ],
      sources: ['/root-monitor/config'],
    });

    for (const [minute, address] of [
      [0, '52.94.1.10'],
      [1, '52.94.1.11'],
      [2, '52.94.7.3'],
    ] as const) {
      // A new container each time, as cold starts during an SSM outage would be.
      await raiseAt(
        containerAlarm(store, inbox.topicArn),
        unreadable(address),
        T0 + minute * 60_000,
      );
    }

    expect(await inbox.receiveAll()).toHaveLength(1);
  });

  it('announces a stale configuration once across containers, with when it was read', async () => {
    const inbox = await createTopicInbox();
    const store = new MemoryDedupStore();
    const readAt = new Date(T0 - 20 * 60_000);
    const stale = (problem: string): ConfigTrouble => ({
      kind: 'stale',
      readAt,
      problems: [problem],
      sources: ['/root-monitor/config'],
    });

    await raiseAt(
      containerAlarm(store, inbox.topicArn),
      stale('ThrottlingException: Rate exceeded'),
      T0,
    );
    await raiseAt(
      containerAlarm(store, inbox.topicArn),
      stale('AccessDeniedException: not authorized'),
      T0 + HOUR,
    );

    const received = await inbox.receiveAll();
    expect(received).toEqual([
      expect.objectContaining({
        subject:
          '[HIGH] root-monitor configuration stale - allowlist of 2026-10-01T11:40:00Z in force',
        attributes: expect.objectContaining({ rule_id: 'config-stale' }),
      }),
    ]);
    expect(JSON.parse(received[0]?.message ?? '{}')).toMatchObject({
      content: { description: expect.stringContaining('for 20 minutes') },
      metadata: { additionalContext: { configReadAt: '2026-10-01T11:40:00Z' } },
    });
  });

  it('announces a new problem in an invalid document, even within the day', async () => {
    const inbox = await createTopicInbox();
    const alarm = containerAlarm(new MemoryDedupStore(), inbox.topicArn);

    await raiseAt(alarm, trouble, T0);
    await raiseAt(
      alarm,
      { ...trouble, problems: ['/root-monitor/config: version: must be 1'] },
      T0 + HOUR,
    );

    expect(await inbox.receiveAll()).toHaveLength(2);
  });
});
