import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AwsSecurityFinding,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { afterAll, describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import { findingTargetOf, SecurityHubFindings } from '../../src/aws/security-hub.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { decide } from '../../src/engine/decide.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';
import type { Settings } from '../../src/settings.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { jsonError, startFaultProxy } from '../support/fault-proxy.js';
import { envelope } from '../support/monitor-stack.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTopicInbox } from '../support/topic-inbox.js';

const endpoint = useMoto();
const securityHub = new SecurityHubClient();

/** An address of its own, so that a dedup key (and its finding) belongs to one test. */
const uniqueAddress = (): string => {
  const bytes = randomUUID().replace(/-/g, '').slice(0, 8);
  return `2001:db8::${bytes.slice(0, 4)}:${bytes.slice(4)}`;
};

const deploy = async (securityHubFindings?: boolean) => {
  const inbox = await createTopicInbox('findings');
  const dedupTableName = await createDedupTable('findings-dedup');
  const settings: Settings = {
    topicArn: inbox.topicArn,
    dedupTableName,
    // Never created: nothing is allowlisted, every root event alerts.
    configParameter: `/root-monitor-${randomUUID().slice(0, 8)}/config`,
    configMaxAgeSeconds: 60,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: {},
    ...(securityHubFindings === undefined ? {} : { securityHubFindings }),
  };
  return { inbox, settings };
};

/** Findings in moto's Security Hub with one of these ids (moto keeps every test's findings). */
const findingsWithIds = async (...ids: string[]): Promise<AwsSecurityFinding[]> => {
  const { Findings = [] } = await securityHub.send(new GetFindingsCommand({}));
  return Findings.filter((finding) => ids.includes(finding.Id ?? ''));
};

describe('Security Hub findings (moto)', () => {
  it('imports an alert as a finding in the default product, with the event as its resource', async () => {
    const { inbox, settings } = await deploy(true);
    const monitor = monitorOnAws(settings, recordingLogger());
    const eventId = randomUUID();

    const result = await monitor.handle(
      envelope(rootSignIn({ eventID: eventId, additionalEventData: { MFAUsed: 'No' } })),
    );

    expect(result).toMatchObject({ decision: 'alert' });
    expect(await inbox.receiveAll()).toHaveLength(1);
    const { accountId } = findingTargetOf(settings.topicArn);
    const [finding, ...others] = await findingsWithIds(`event#${eventId}`);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: `arn:aws:securityhub:us-east-1:${accountId}:product/${accountId}/default`,
      GeneratorId: 'root-console-login-without-mfa',
      AwsAccountId: accountId,
      Types: ['TTPs/Initial Access/Root console sign-in without MFA'],
      Severity: { Label: 'CRITICAL', Original: 'CRITICAL' },
      // A new deployment learns the sources root uses: the source is marked, not raised.
      Title:
        '[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1 (first seen, learning)',
      Resources: [
        {
          Type: 'AwsAccount',
          Id: 'AWS::::Account:111122223333',
          Partition: 'aws',
          Region: 'us-east-1',
        },
      ],
      Network: { Direction: 'IN', SourceIpV4: '198.51.100.23' },
      ProductFields: expect.objectContaining({
        'root-monitor/EventId': eventId,
        'root-monitor/EventName': 'ConsoleLogin',
      }),
    });
  });

  it('updates the finding of a dedup key when the key alerts again, instead of adding one', async () => {
    const { settings } = await deploy(true);
    const monitor = monitorOnAws(settings, recordingLogger());
    const sourceIPAddress = uniqueAddress();
    const call = (eventTime: string) =>
      envelope(rootRecord({ eventID: randomUUID(), eventTime, sourceIPAddress }));

    // The window (15 minutes by default) has closed by the second call: both alert.
    const first = await monitor.handle(call('2026-03-14T02:00:00Z'));
    const second = await monitor.handle(call('2026-03-14T02:30:00Z'));

    expect([first.decision, second.decision]).toEqual(['alert', 'alert']);
    const findings = await findingsWithIds(`root-activity#111122223333#${sourceIPAddress}`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      GeneratorId: 'root-activity',
      Types: ['Unusual Behaviors/User/Root user activity'],
      LastObservedAt: '2026-03-14T02:30:00Z',
    });
  });

  it('imports nothing unless the option is on', async () => {
    const { settings } = await deploy();
    const sourceIPAddress = uniqueAddress();

    const result = await monitorOnAws(settings, recordingLogger()).handle(
      envelope(rootRecord({ eventID: randomUUID(), sourceIPAddress })),
    );

    expect(result).toMatchObject({ decision: 'alert' });
    expect(await findingsWithIds(`root-activity#111122223333#${sourceIPAddress}`)).toEqual([]);
  });

  describe('when Security Hub fails', () => {
    const proxies: { close(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const proxy of proxies) await proxy.close();
    });

    it('still sends the alert, and logs that the finding was not imported', async () => {
      const { inbox, settings } = await deploy(true);
      const proxy = await startFaultProxy(endpoint, (request) =>
        request.service === 'securityhub'
          ? jsonError('AccessDeniedException', 'not authorized to perform BatchImportFindings', 403)
          : undefined,
      );
      proxies.push(proxy);
      const logger = recordingLogger();
      const monitor = monitorOnAws(settings, logger, {
        securityHub: new SecurityHubClient({ endpoint: proxy.endpoint }),
      });

      const result = await monitor.handle(envelope(rootRecord({ eventID: randomUUID() })));

      expect(result).toMatchObject({ decision: 'alert', messageId: expect.any(String) });
      expect(await inbox.receiveAll()).toHaveLength(1);
      expect(proxy.faulted.map((request) => request.service)).toContain('securityhub');
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'Findings not imported into Security Hub; the alerts were sent',
          fields: expect.objectContaining({ error: expect.stringContaining('AccessDenied') }),
        }),
      );
    });

    it('gives up on an import that hangs once its budget is spent', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      proxies.push({
        close: () =>
          new Promise<void>((resolve) => {
            silent.closeAllConnections();
            silent.close(() => resolve());
          }),
      });
      const { port } = silent.address() as AddressInfo;
      const findings = new SecurityHubFindings({
        target: findingTargetOf('arn:aws:sns:us-east-1:123456789012:alerts'),
        client: new SecurityHubClient({ endpoint: `http://127.0.0.1:${port}` }),
        budgetMs: 300,
      });
      const alert = decide(toTrailEvent(rootRecord()), CATALOG, defaultConfigFor(CATALOG), {
        monitor: {},
      });
      if (alert.kind !== 'alert') throw new Error('expected an alert');

      await expect(
        findings.importFindings([{ alert, suppressedBefore: 0 }], new Date()),
      ).rejects.toThrow(/abort/i);
    });
  });
});
