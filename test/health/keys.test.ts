import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { AlertKeys } from '../../src/aws/health/keys.js';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { keysCheck } from '../../src/health/keys.js';
import { useMoto } from '../support/aws-env.js';
import { deployTemplateResources } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

/** KMS in the account. */
const kmsIn = (account: string, region = 'us-east-1'): KMSClient =>
  inAccount(new KMSClient({ region }), account);

/** A trail key's policy as CloudTrail's console writes it: the account, CloudTrail, and readers. */
const trailKeyPolicy = (account: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Allow CloudTrail to encrypt logs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${account}:trail/*`,
        },
      },
    },
  ],
});

/**
 * The stack's key, its two topics and two of its alarms, deployed from template.yaml in moto
 * (moto's CloudFormation makes the key and topics; the alarms stay in the template, where the
 * check reads which alarms notify the alarm topic). With `trailKey`, a key like the one an
 * organization trail encrypts with, given as TrailKmsKeyArn.
 */
const monitorKeys = async ({ trailKey = false } = {}) => {
  const account = freshAccountId();
  const kms = kmsIn(account);
  const trailKeyArn = trailKey
    ? (
        await kms.send(
          new CreateKeyCommand({
            Policy: JSON.stringify(trailKeyPolicy(account)),
            Description: 'trail',
          }),
        )
      ).KeyMetadata?.Arn
    : undefined;
  const { stackName, physicalId } = await deployTemplateResources(
    account,
    ['AlertKey', 'AlertTopic', 'AlarmTopic', 'RootUsageAlarm', 'HealthCheckErrorsAlarm'],
    {
      parameters:
        trailKeyArn === undefined
          ? {}
          : { TrailBucketName: 'org-trail', TrailKmsKeyArn: trailKeyArn },
    },
  );
  const sns = inAccount(new SNSClient(), account);
  const check = keysCheck(
    new AlertKeys((region) => kmsIn(account, region), sns, {
      homeRegion: 'us-east-1',
      account,
    }),
    new MonitorStack(inAccount(new CloudFormationClient(), account), stackName),
  );
  return {
    account,
    kms,
    sns,
    check,
    alertKey: await physicalId('AlertKey'),
    alarmTopic: await physicalId('AlarmTopic'),
    trailKeyArn: trailKeyArn ?? '',
    stackName,
  };
};

describe('Check: keys', () => {
  it("passes when the alarm topic's key is enabled and admits the alarms and the roles through SNS", async () => {
    const { check, alertKey, alarmTopic } = await monitorKeys();

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({ ok: true });
    expect(finding.verdict).toContain(`topic ${alarmTopic} encrypts with arn:aws:kms:us-east-1:`);
    expect(finding.verdict).toContain(
      `${alertKey}, Enabled, whose policy lets 2 alarms and the stack's roles (through SNS) use it`,
    );
    expect(finding.verdict).toContain(
      'encrypts with alias/aws/sns, which nobody in the account can disable',
    );
  });

  it('fails for a disabled key, with enable-key as the fix', async () => {
    const { check, kms, alertKey } = await monitorKeys();
    await kms.send(new DisableKeyCommand({ KeyId: alertKey }));

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /key\/.+ is Disabled: nothing encrypted with it can be published$/,
      ),
      fix: expect.stringContaining('aws kms enable-key --key-id arn:aws:kms:us-east-1:'),
    });
  });

  it('fails for a key pending deletion, naming the day, with cancel-key-deletion as the fix', async () => {
    const { check, kms, alertKey } = await monitorKeys();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: alertKey, PendingWindowInDays: 7 }));

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(/is pending deletion on \d{4}-\d\d-\d\dT/),
      fix: expect.stringContaining('aws kms cancel-key-deletion'),
    });
  });

  it('fails when the key policy no longer admits CloudWatch, naming each alarm it shuts out', async () => {
    const { check, kms, alertKey } = await monitorKeys();
    const { Policy = '{}' } = await kms.send(
      new GetKeyPolicyCommand({ KeyId: alertKey, PolicyName: 'default' }),
    );
    const policy = JSON.parse(Policy) as { Statement: { Sid: string }[] };
    policy.Statement = policy.Statement.filter(
      ({ Sid }) => Sid !== 'StackAlarmsPublishToEncryptedTopic',
    );
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: alertKey,
        PolicyName: 'default',
        Policy: JSON.stringify(policy),
      }),
    );

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('-root-account-usage kms:GenerateDataKey, kms:Decrypt'),
      fix: expect.stringContaining('aws kms put-key-policy'),
    });
  });

  it('fails for a Deny on the key that shuts the roles out of SNS, naming the statement', async () => {
    const { check, kms, alertKey, account } = await monitorKeys();
    const { Policy = '{}' } = await kms.send(
      new GetKeyPolicyCommand({ KeyId: alertKey, PolicyName: 'default' }),
    );
    const policy = JSON.parse(Policy) as { Statement: object[] };
    policy.Statement.push({
      Sid: 'QuietlyNoSns',
      Effect: 'Deny',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
    });
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: alertKey,
        PolicyName: 'default',
        Policy: JSON.stringify(policy),
      }),
    );

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        "the account's roles through SNS kms:GenerateDataKey (denied by QuietlyNoSns)",
      ),
    });
  });

  it("fails when the alarm topic no longer encrypts with the stack's key", async () => {
    const { check, sns, alarmTopic, stackName } = await monitorKeys();
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: alarmTopic,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: 'alias/aws/sns',
      }),
    );

    const finding = await check.run(new Date());

    expect(stackName).not.toBe('');
    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        `topic ${alarmTopic} encrypts with alias/aws/sns, not the stack's arn:aws:kms:`,
      ),
      fix: expect.stringContaining(
        `aws sns set-topic-attributes --topic-arn ${alarmTopic} --attribute-name KmsMasterKeyId`,
      ),
    });
  });

  it("checks the trail's key when one is given: enabled passes, disabled fails", async () => {
    const { check, kms, trailKeyArn } = await monitorKeys({ trailKey: true });

    const healthy = await check.run(new Date());
    // moto disables a key named by its id, not its ARN.
    await kms.send(new DisableKeyCommand({ KeyId: trailKeyArn.split('/').at(-1) }));
    const disabled = await check.run(new Date(Date.now() + 1));

    expect(healthy).toMatchObject({
      ok: true,
      verdict: expect.stringContaining(
        `the trail's key ${trailKeyArn} is Enabled, and its policy lets CloudTrail encrypt and the backstop decrypt`,
      ),
    });
    expect(disabled).toMatchObject({
      ok: false,
      verdict: `the trail's key ${trailKeyArn} is Disabled: CloudTrail cannot write log files and the backstop cannot read them`,
    });
  });
});
