import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { type FaultProxy, formField, SNS_KMS_ERRORS } from '../support/fault-proxy.js';
import { deployMonitor } from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * The two topics as the stack deploys them, one subscriber on both (the AlertEmail): the alert
 * topic under the AWS managed key, the alarm topic under the stack's key, which is the function's
 * fallback. SNS is reached through a fault proxy that answers for a topic whose key KMS refuses.
 */
const deploy = async (proxy: Pick<FaultProxy, 'endpoint'>) => {
  const stack = await deployMonitor(
    { version: 1 },
    { alarmTopic: true, monitor: { alertKeyArn: KEY_ARN } },
  );
  /** A fresh Lambda container, as each of Lambda's retries may be. */
  const container = () => stack.container({ sns: new SNSClient({ endpoint: proxy.endpoint }) });
  /** Claims that hold their key: sent, or pending under a live lease. */
  const liveClaims = async () =>
    (await stack.items()).filter(
      (item) => item.status?.S === 'sent' || Number(item.leaseUntil?.N) > Date.now(),
    );
  return { inbox: stack.inbox, alarmTopicArn: stack.alarmTopicArn ?? '', container, liveClaims };
};

/** SNS refuses publishes to these topics with `fault`; everything else reaches moto. */
const refusing =
  (topics: readonly string[], fault: (typeof SNS_KMS_ERRORS)[keyof typeof SNS_KMS_ERRORS]) =>
  (request: { operation: string; body: string; service: string }) =>
    request.operation === 'Publish' && topics.includes(formField(request, 'TopicArn') ?? '')
      ? fault
      : undefined;

/** Root acting on the alarm key, as EventBridge delivers it: the key's ARN in `resources`. */
const rootKmsCall = (eventName: string, requestParameters: Record<string, unknown>) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.kms',
  account: ACCOUNT,
  time: '2026-11-30T03:12:44Z',
  region: 'us-east-1',
  resources: [],
  detail: rootRecord({
    eventID: randomUUID(),
    eventTime: '2026-11-30T03:12:44Z',
    eventSource: 'kms.amazonaws.com',
    eventName,
    requestParameters,
    resources: [{ accountId: ACCOUNT, ARN: KEY_ARN }],
  }),
});

/** What root did to the key, and the error SNS then answers for the topic it encrypts. */
const KEY_TAMPERING = [
  ['DisableKey', 'KMSDisabledException', { keyId: KEY_ARN }],
  ['ScheduleKeyDeletion', 'KMSInvalidStateException', { keyId: KEY_ARN, pendingWindowInDays: 7 }],
  ['ScheduleKeyDeletion', 'KMSNotFoundException', { keyId: KEY_ARN, pendingWindowInDays: 7 }],
  ['PutKeyPolicy', 'KMSAccessDeniedException', { keyId: KEY_ARN, policyName: 'default' }],
] as const;

describe('Root disabling the alert key (SNS answering KMS errors, moto behind a fault proxy)', () => {
  const proxy = useFaultProxy();

  it.each(KEY_TAMPERING)(
    'root %s on the alarm key: the alarm topic answers %s, the alert arrives through the alert topic',
    async (eventName, errorName, requestParameters) => {
      const { inbox, alarmTopicArn, container } = await deploy(proxy);
      proxy.setRule(refusing([alarmTopicArn], SNS_KMS_ERRORS[errorName]));

      const result = await container().monitor.handle(rootKmsCall(eventName, requestParameters));

      expect(result).toMatchObject({
        decision: 'alert',
        severity: 'CRITICAL',
        ruleIds: ['root-audit-tampering'],
      });
      const received = await inbox.receiveAll();
      expect(received).toEqual([
        expect.objectContaining({
          topicArn: inbox.topicArn,
          attributes: expect.objectContaining({ rule_id: 'root-audit-tampering' }),
        }),
      ]);
    },
  );

  it.each(KEY_TAMPERING)(
    'root %s while the alert topic answers %s: the alert arrives through the alarm topic',
    async (eventName, errorName, requestParameters) => {
      const { inbox, alarmTopicArn, container } = await deploy(proxy);
      proxy.setRule(refusing([inbox.topicArn], SNS_KMS_ERRORS[errorName]));
      const { monitor, logger } = container();

      const result = await monitor.handle(rootKmsCall(eventName, requestParameters));

      expect(result).toMatchObject({ decision: 'alert', ruleIds: ['root-audit-tampering'] });
      const received = await inbox.receiveAll();
      expect(received).toEqual([
        expect.objectContaining({
          topicArn: alarmTopicArn,
          subject: expect.stringMatching(/^\[CRITICAL\] /),
          attributes: expect.objectContaining({
            severity: 'CRITICAL',
            rule_id: 'root-audit-tampering',
          }),
        }),
      ]);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          fields: expect.objectContaining({ error: expect.stringMatching(`^${errorName}: `) }),
        }),
      );
    },
  );

  it("with both topics refusing, Lambda's retries deliver the alert once a topic takes it", async () => {
    const { inbox, alarmTopicArn, container, liveClaims } = await deploy(proxy);
    const event = rootKmsCall('DisableKey', { keyId: KEY_ARN });
    proxy.setRule(refusing([inbox.topicArn, alarmTopicArn], SNS_KMS_ERRORS.KMSDisabledException));

    // The first attempt fails and leaves no claim, so the retry is not taken for a redelivery.
    const first = container();
    await expect(first.monitor.handle(event)).rejects.toMatchObject({
      name: 'KMSDisabledException',
    });
    expect(await liveClaims()).toEqual([]);
    expect(first.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'critical', message: 'ROOT_ACCOUNT_USAGE' }),
    );

    // Lambda's first retry: the alarm key is still disabled, the alert topic now takes it.
    proxy.setRule(refusing([alarmTopicArn], SNS_KMS_ERRORS.KMSDisabledException));
    expect(await container().monitor.handle(event)).toMatchObject({ decision: 'alert' });
    // A redelivery of the same event is acknowledged without a second alert.
    expect(await container().monitor.handle(event)).toMatchObject({ decision: 'duplicate' });

    expect(await inbox.receiveAll()).toEqual([
      expect.objectContaining({ topicArn: inbox.topicArn }),
    ]);
  });
});
