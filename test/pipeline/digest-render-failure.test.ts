import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { useMoto } from '../support/aws-env.js';
import { timeAgo } from '../support/cloudtrail-time.js';
import { deployMonitor, envelope, scheduledEvent } from '../support/monitor-stack.js';

// Rendering has no known way to fail; this stands in for the bug or window no test foresaw.
vi.mock('../../src/digests/digest-message.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/digests/digest-message.js')>()),
  digestMessageFor: () => {
    throw new RangeError('Invalid time value');
  },
}));

useMoto();

describe('a window digest that cannot be rendered', () => {
  it('is published plainly, and the failure logged, rather than failing every run', async () => {
    const { inbox, container } = await deployMonitor();
    const { monitor, digests, logger } = container();
    for (const minutesAgo of [50, 48, 47]) {
      await monitor.handle(
        envelope(rootRecord({ eventID: randomUUID(), eventTime: timeAgo(minutesAgo) })),
      );
    }
    await inbox.receiveAll();

    expect(await digests.handle(scheduledEvent())).toMatchObject({
      results: [expect.objectContaining({ events: 2 })],
    });

    const [digest, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(digest?.subject).toBe('[HIGH] Root window digest: 2 root events');
    expect(digest?.attributes).toMatchObject({
      event_name: 'WindowDigest',
      rule_id: 'root-activity',
      account_id: '111122223333',
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Window digest could not be rendered; publishing it plainly',
      }),
    );
    expect(await digests.handle(scheduledEvent())).toEqual({
      decision: 'digests',
      results: [],
      unsent: 0,
    });
  });
});
