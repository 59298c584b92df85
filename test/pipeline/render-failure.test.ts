import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { rootSignIn } from '../../rules/cases.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { envelope } from '../support/monitor-stack.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

// Rendering has no known way to fail; this stands in for the bug or event no test foresaw.
vi.mock('../../src/alert/root-usage-message.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/alert/root-usage-message.js')>()),
  rootUsageMessageFor: () => {
    throw new RangeError('Invalid time value');
  },
}));

useMoto();

describe('an alert that cannot be rendered', () => {
  it('is published plainly, and the failure logged, rather than lost', async () => {
    const inbox = await createTopicInbox();
    const dedupTableName = await createDedupTable();
    const configParameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
    const logger = recordingLogger();
    const monitor = monitorOnAws(
      {
        topicArn: inbox.topicArn,
        dedupTableName,
        configParameter,
        configMaxAgeSeconds: 60,
        configStaleAlarmSeconds: 900,
        forensicsBucket: undefined,
        forensicsKmsKeyId: undefined,
        monitor: {},
      },
      logger,
    );
    const eventID = randomUUID();

    const result = await monitor.handle(
      envelope(rootSignIn({ eventID, additionalEventData: { MFAUsed: 'No' } })),
    );

    expect(result).toMatchObject({ decision: 'alert', severity: 'CRITICAL' });
    const [message, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(message?.subject).toBe('[CRITICAL] Root user activity: root-console-login-without-mfa');
    expect(message?.attributes.rule_id).toBe('root-console-login-without-mfa');
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Alert could not be rendered; publishing it plainly',
        fields: expect.objectContaining({ error: 'RangeError: Invalid time value' }),
      }),
    );
  });
});
