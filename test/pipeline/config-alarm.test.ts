import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../src/aws/alert-topic.js';
import { MemoryDedupStore } from '../../src/dedup/memory-store.js';
import { ConfigAlarm } from '../../src/pipeline/config-alarm.js';
import { useMoto } from '../support/aws-env.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

useMoto();

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-10-01T12:00:00Z');
const trouble = {
  problems: ['/root-monitor/config: allow[0].reason: must not be empty'],
  sources: ['/root-monitor/config'],
};

describe('ConfigAlarm', () => {
  it('announces a lasting trouble again after a day, even from one warm container', async () => {
    const inbox = await createTopicInbox();
    const alarm = new ConfigAlarm(
      new MemoryDedupStore(),
      new AlertTopic(),
      inbox.topicArn,
      recordingLogger(),
    );

    await alarm.raise(trouble, new Date(T0));
    await alarm.raise(trouble, new Date(T0 + HOUR));
    expect(await inbox.receiveAll()).toHaveLength(1);

    await alarm.raise(trouble, new Date(T0 + 25 * HOUR));
    await alarm.raise(trouble, new Date(T0 + 26 * HOUR));
    expect(await inbox.receiveAll()).toHaveLength(1);
  });
});
