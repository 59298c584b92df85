import { randomUUID } from 'node:crypto';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  type PutEventSelectorsCommandInput,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { Trails } from '../../src/aws/health/trails.js';
import { trailCheck } from '../../src/health/trail.js';
import { accessDenied } from '../support/fault-proxy.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

interface TrailSpec {
  multiRegion?: boolean;
  organization?: boolean;
  logging?: boolean;
  selectors?: Omit<PutEventSelectorsCommandInput, 'TrailName'>;
}

/**
 * A fresh account with the trails given, and the check looking at it through the fault proxy
 * (which lets everything through unless a test sets a rule).
 */
const accountWith = async (...trails: TrailSpec[]) => {
  const account = freshAccountId();
  const cloudtrail = inAccount(new CloudTrailClient(), account);
  const s3 = inAccount(new S3Client(), account);
  const names: string[] = [];
  for (const spec of trails) {
    const name = `trail-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: name,
        S3BucketName: name,
        IsMultiRegionTrail: spec.multiRegion ?? true,
        IsOrganizationTrail: spec.organization ?? false,
      }),
    );
    if (spec.selectors !== undefined) {
      await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: name, ...spec.selectors }));
    }
    if (spec.logging ?? true) await cloudtrail.send(new StartLoggingCommand({ Name: name }));
    names.push(name);
  }
  const proxied = inAccount(new CloudTrailClient({ endpoint: proxy.endpoint }), account);
  return { names, check: trailCheck(new Trails(proxied)) };
};

const soon = (): Date => new Date(Date.now() + 60_000);

describe('Check: trail', () => {
  it('passes for a logging multi-Region trail with the default selectors, naming it', async () => {
    const { names, check } = await accountWith({});

    const finding = await check.run(soon());

    expect(finding.ok).toBe(true);
    expect(finding.verdict).toContain(`trail ${names[0]} records read and write management events`);
    expect(finding.verdict).toMatch(/last delivery \d+ minutes? ago/);
  });

  it('passes for an organization trail', async () => {
    const { check } = await accountWith({ organization: true });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: true,
      verdict: expect.stringMatching(/^organization trail /),
    });
  });

  it('passes when one trail of several qualifies', async () => {
    const { check } = await accountWith({ logging: false }, {}, { multiRegion: false });

    expect((await check.run(soon())).ok).toBe(true);
  });

  it('fails with no trail at all, saying how to create one', async () => {
    const { check } = await accountWith();

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('no trail logs this account'),
      fix: expect.stringContaining('--is-multi-region-trail'),
    });
  });

  it('fails for a trail that is not logging, with the command that starts it', async () => {
    const { names, check } = await accountWith({ logging: false });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(`${names[0]} is not logging`),
      fix: expect.stringContaining('aws cloudtrail start-logging --name arn:aws:cloudtrail:'),
    });
  });

  it('fails for a single-Region trail', async () => {
    const { check } = await accountWith({ multiRegion: false });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('logs one Region only'),
      fix: expect.stringContaining('--is-multi-region-trail'),
    });
  });

  it('fails for a trail recording only write management events', async () => {
    const { check } = await accountWith({
      selectors: {
        EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('does not record read management events'),
    });
  });

  it('fails for a trail recording only read management events', async () => {
    const { names, check } = await accountWith({
      selectors: {
        EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(`${names[0]} does not record write management events`),
      fix: expect.stringContaining('an event selector for all management events'),
    });
  });

  it('fails for a trail recording data events and no management events', async () => {
    const { names, check } = await accountWith({
      selectors: {
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: false,
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
          },
        ],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        `${names[0]} does not record read or write management events`,
      ),
      fix: expect.stringContaining('an event selector for all management events'),
    });
  });

  it('fails for advanced selectors on data events alone', async () => {
    const { names, check } = await accountWith({
      selectors: {
        AdvancedEventSelectors: [
          {
            Name: 'objects',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ],
          },
        ],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        `${names[0]} does not record read or write management events`,
      ),
    });
  });

  it('fails, naming the permission, when the event selectors cannot be read (CloudTrail answering AccessDenied)', async () => {
    const { names, check } = await accountWith({});
    proxy.setRule((request) =>
      request.operation === 'GetEventSelectors'
        ? accessDenied('cloudtrail:GetEventSelectors')
        : undefined,
    );

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(
        `${names[0]} its event selectors cannot be read (AccessDeniedException: User: `,
      ),
      fix: expect.stringMatching(
        /^let the caller use cloudtrail:GetEventSelectors on arn:aws:cloudtrail:us-east-1:\d{12}:trail\/trail-/,
      ),
    });
  });

  it('fails for a trail whose selectors exclude an event source (KMS: root disabling the alert key)', async () => {
    const { check } = await accountWith({
      selectors: {
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            ExcludeManagementEventSources: ['kms.amazonaws.com'],
          },
        ],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('leaves management events out (excludes kms.amazonaws.com)'),
    });
  });

  it('passes for advanced selectors on the management category alone', async () => {
    const { check } = await accountWith({
      selectors: {
        AdvancedEventSelectors: [
          {
            Name: 'management',
            FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
          },
        ],
      },
    });

    expect((await check.run(soon())).ok).toBe(true);
  });

  it('fails for advanced selectors that keep only writes', async () => {
    const { check } = await accountWith({
      selectors: {
        AdvancedEventSelectors: [
          {
            Name: 'writes',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      },
    });

    const finding = await check.run(soon());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('does not record read management events'),
    });
  });

  it('fails for a logging trail that has not delivered for hours', async () => {
    const { check } = await accountWith({});

    // moto sets LatestDeliveryTime when logging starts; the check is asked three hours on.
    const finding = await check.run(new Date(Date.now() + 3 * 60 * 60 * 1000));

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('last delivered 3 hours ago'),
      fix: expect.stringContaining('S3 bucket policy and KMS key'),
    });
  });
});
