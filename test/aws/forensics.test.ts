import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { Forensics, snapshotKey } from '../../src/aws/forensics.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';
import { queryError } from '../support/fault-proxy.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

const s3 = new S3Client();
const iam = new IAMClient();
const suffix = randomUUID().slice(0, 8);
const bucket = `root-monitor-forensics-${suffix}`;
const alert = { severity: 'CRITICAL', ruleIds: ['root-access-key-created'] };

const rootEvent = (fields: Record<string, unknown> = {}) =>
  toTrailEvent({
    eventID: randomUUID(),
    eventTime: new Date().toISOString(),
    eventName: 'CreateAccessKey',
    eventSource: 'iam.amazonaws.com',
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' },
    ...fields,
  });

const createUserWithKey = async (userName: string): Promise<string | undefined> => {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return AccessKey?.AccessKeyId;
};

const readSnapshot = async (key: string) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    serverSideEncryption: object.ServerSideEncryption,
    kmsKeyId: object.SSEKMSKeyId,
    contentType: object.ContentType,
    body: JSON.parse((await object.Body?.transformToString()) ?? 'null'),
  };
};

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe('Forensics', () => {
  describe('Method: takeSnapshot', () => {
    it('writes the event, account summary and recent users and keys, encrypted with KMS', async () => {
      const userName = `rm-forensics-${suffix}`;
      const accessKeyId = await createUserWithKey(userName);
      const event = rootEvent();

      const result = await new Forensics({ bucket }).takeSnapshot(event, alert);

      const day = event.eventTime?.toISOString().slice(0, 10);
      const key = `incidents/root-activity/${day}/${event.eventId}.json`;
      expect(result).toEqual({ written: true, bucket, key, gaps: [] });
      const stored = await readSnapshot(key);
      expect(stored.serverSideEncryption).toBe('aws:kms');
      expect(stored.contentType).toBe('application/json');
      expect(stored.body).toMatchObject({ eventId: event.eventId, alert, event: event.record });
      expect(stored.body.accountSummary.users).toBeGreaterThanOrEqual(1);
      expect(Object.keys(stored.body.accountSummary).sort()).toEqual([
        'accountAccessKeysPresent',
        'accountMfaEnabled',
        'roles',
        'users',
      ]);
      expect(stored.body.recentUsers).toContainEqual(expect.objectContaining({ userName }));
      expect(stored.body.recentAccessKeys).toContainEqual(
        expect.objectContaining({ userName, accessKeyId, status: 'Active' }),
      );
    });

    it('uses the KMS key it is given rather than the AWS managed one', async () => {
      const kmsKeyId = `arn:aws:kms:us-east-1:123456789012:key/${randomUUID()}`;
      const event = rootEvent();

      const result = await new Forensics({ bucket, kmsKeyId, s3, iam }).takeSnapshot(event, alert);

      expect((await readSnapshot(result.key)).kmsKeyId).toBe(kmsKeyId);
    });

    it('leaves out users and keys created before the 30 minutes preceding the event', async () => {
      const userName = `rm-forensics-old-${suffix}`;
      await createUserWithKey(userName);
      const later = new Date(Date.now() + 2 * 60 * 60_000);
      const event = rootEvent({ eventTime: later.toISOString() });

      const result = await new Forensics({ bucket, s3, iam }).takeSnapshot(event, alert, later);

      const { body } = await readSnapshot(result.key);
      expect(body.createdSince).toBe(new Date(later.getTime() - 30 * 60_000).toISOString());
      expect(body.recentUsers).not.toContainEqual(expect.objectContaining({ userName }));
      expect(body.recentAccessKeys).not.toContainEqual(expect.objectContaining({ userName }));
    });

    it('caps the users whose keys it inspects, newest first, and notes the cap', async () => {
      // Named to sort first, so an alphabetical cap would inspect it instead of the new one.
      await createUserWithKey(`aa-rm-forensics-old-${suffix}`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const newUser = `zz-rm-forensics-new-${suffix}`;
      const { User } = await iam.send(new CreateUserCommand({ UserName: newUser }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: newUser }));
      const now = new Date((User?.CreateDate?.getTime() ?? 0) + 30 * 60_000);
      const event = rootEvent({ eventTime: now.toISOString() });

      const result = await new Forensics({ bucket, s3, iam, maxUsersInspected: 1 }).takeSnapshot(
        event,
        alert,
        now,
      );

      expect(result.gaps).toContainEqual(
        expect.stringMatching(
          /^access keys inspected for 1 of \d+ users, recently created ones first$/,
        ),
      );
      const { body } = await readSnapshot(result.key);
      expect(body.gaps).toEqual(result.gaps);
      expect(body.recentAccessKeys).toEqual([
        expect.objectContaining({ userName: newUser, accessKeyId: AccessKey?.AccessKeyId }),
      ]);
    });

    it('still writes what it could when IAM refuses, naming what is missing', async () => {
      // IAM's answer in its Query protocol: AccessDenied, HTTP 403.
      proxy.setRule((request) =>
        request.service === 'iam'
          ? queryError('AccessDenied', `not authorized to perform: iam:${request.operation}`, 403)
          : undefined,
      );
      const deniedIam = new IAMClient({ endpoint: proxy.endpoint });

      const result = await new Forensics({ bucket, s3, iam: deniedIam }).takeSnapshot(
        rootEvent(),
        alert,
      );

      expect(result).toMatchObject({
        written: true,
        gaps: [
          'ListUsers: AccessDenied: not authorized to perform: iam:ListUsers',
          'GetAccountSummary: AccessDenied: not authorized to perform: iam:GetAccountSummary',
        ],
      });
      const { body } = await readSnapshot(result.key);
      expect(body).toMatchObject({
        accountSummary: null,
        recentUsers: null,
        recentAccessKeys: null,
      });
    });

    it('returns a failure instead of throwing when the snapshot cannot be stored', async () => {
      const forensics = new Forensics({ bucket: `missing-${suffix}`, s3, iam });

      const result = await forensics.takeSnapshot(rootEvent(), alert);

      expect(result.written).toBe(false);
      expect(!result.written && result.error.name).toBe('NoSuchBucket');
    });

    it('gives up after its budget when IAM never answers, so the invocation is not timed out', async () => {
      // A server that accepts connections and never replies.
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      const hanging = new IAMClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
      try {
        const forensics = new Forensics({ bucket, s3, iam: hanging, budgetMs: 300 });

        const result = await forensics.takeSnapshot(rootEvent(), alert);

        expect(result.written).toBe(false);
        expect(!result.written && result.error.message).toMatch(/not finished within 300 ms/);
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });
  });
});

describe('snapshotKey', () => {
  const now = new Date('2026-03-04T05:06:07Z');

  it('files the snapshot under the UTC date of the event', () => {
    const event = rootEvent({ eventID: 'abc-123', eventTime: '2026-10-01T23:59:59Z' });

    expect(snapshotKey(event, now)).toBe('incidents/root-activity/2026-10-01/abc-123.json');
  });

  it('uses the clock for an event without a time', () => {
    const event = rootEvent({ eventID: 'abc-123', eventTime: undefined });

    expect(snapshotKey(event, now)).toBe('incidents/root-activity/2026-03-04/abc-123.json');
  });

  it('replaces an eventID that is not a plain identifier with a digest', () => {
    const hostile = snapshotKey(rootEvent({ eventID: '../../x\n.json' }), now);
    const similar = snapshotKey(rootEvent({ eventID: '../../y\n.json' }), now);

    expect(hostile).toMatch(
      /^incidents\/root-activity\/\d{4}-\d\d-\d\d\/unsafe-id-[0-9a-f]{32}\.json$/,
    );
    expect(similar).not.toBe(hostile);
  });
});

describe('Module: forensics', () => {
  it('leaves the S3 and IAM clients out of the code loaded at start-up', async () => {
    // Bundled with code splitting, the entry holds what importing the module evaluates; the
    // clients belong in chunks fetched by the first snapshot.
    const { metafile } = await build({
      entryPoints: ['src/aws/forensics.ts'],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      mainFields: ['module', 'main'],
      outdir: 'forensics-bundle-probe',
      metafile: true,
      write: false,
      logLevel: 'silent',
    });

    const entry = Object.keys(metafile.outputs).find(
      (path) => metafile.outputs[path]?.entryPoint === 'src/aws/forensics.ts',
    );
    const loaded = new Set<string>();
    const pending = entry === undefined ? [] : [entry];
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (loaded.has(path)) continue;
      loaded.add(path);
      for (const imported of metafile.outputs[path]?.imports ?? []) {
        if (imported.kind !== 'dynamic-import') pending.push(imported.path);
      }
    }
    const loadedWithEntry = [...loaded].flatMap((path) =>
      Object.keys(metafile.outputs[path]?.inputs ?? {}),
    );
    expect(loadedWithEntry).toContain('src/aws/forensics.ts');
    expect(loadedWithEntry.filter((input) => /@aws-sdk\/client-(s3|iam)\//.test(input))).toEqual(
      [],
    );
  });
});
