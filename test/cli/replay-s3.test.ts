import { randomUUID } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../bench/generate-archive.js';
import { listArchive } from '../../src/aws/trail-archive.js';
import { useMoto } from '../support/aws-env.js';
import { runCli } from './run-cli.js';
import { logFile, rootRecord } from './trail-files.js';

useMoto();

const s3 = new S3Client();

/** Every file under a directory, as paths relative to it. */
const filesUnder = (directory: string): string[] =>
  readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(directory, path)).isFile(),
  );

/**
 * A local CloudTrail archive and the same files in a moto bucket under the same keys: a
 * generated archive over three Regions and two days, an organization's account beside it, a
 * corrupt file, and a JSON lines file.
 */
const archive = async () => {
  const directory = mkdtempSync(join(tmpdir(), 'replay-s3-'));
  generateArchive(directory, 9, 400, 37);
  const org = join(directory, 'AWSLogs/o-abcdef1234/444455556666/CloudTrail/us-east-1/2026/10/01');
  mkdirSync(org, { recursive: true });
  writeFileSync(
    join(org, '444455556666_CloudTrail_us-east-1_20261001T0100Z_org.json.gz'),
    gzipSync(
      logFile([
        rootRecord({ recipientAccountId: '444455556666', eventTime: '2026-10-01T01:00:00Z' }),
      ]),
    ),
  );
  const day = join(directory, 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/01');
  writeFileSync(join(day, 'corrupt.json.gz'), gzipSync(logFile([rootRecord()])).subarray(0, 40));
  writeFileSync(
    join(day, 'extra.jsonl'),
    `${JSON.stringify(rootRecord({ eventName: 'GetBucketAcl' }))}\nnot json\n`,
  );
  const bucket = `archive-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const path of filesUnder(directory)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: relative(directory, join(directory, path)),
        Body: readFileSync(join(directory, path)),
      }),
    );
  }
  return { directory, bucket };
};

describe('replay s3://BUCKET/PREFIX (moto)', () => {
  let local: string;
  let bucket: string;
  beforeAll(async () => {
    ({ directory: local, bucket } = await archive());
  }, 120_000);

  it.each(['json', 'text'])(
    'prints byte for byte what replay of the same files downloaded prints (--format %s)',
    async (format) => {
      const fromDisk = await runCli(['replay', '--format', format, local]);
      const fromS3 = await runCli(['replay', '--format', format, `s3://${bucket}/`]);

      expect(fromDisk.stdout.length).toBeGreaterThan(1000);
      expect(fromS3.stdout).toBe(fromDisk.stdout);
      expect(fromS3.status).toBe(1);
      expect(fromDisk.status).toBe(1);
      expect(fromS3.stderr).toContain(
        `s3[:]//${bucket}/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/01/corrupt.json.gz: corrupt gzip data`,
      );
    },
  );

  it('reads the same whatever the concurrency, from any depth of the layout', async () => {
    const prefix = 'AWSLogs/111122223333/CloudTrail/us-east-1';
    const fromDisk = await runCli(['replay', '--format', 'json', join(local, prefix)]);
    const one = await runCli([
      'replay',
      '--format',
      'json',
      '--concurrency',
      '1',
      `s3://${bucket}/${prefix}`,
    ]);
    const many = await runCli([
      'replay',
      '--format',
      'json',
      '--concurrency',
      '32',
      `s3://${bucket}/${prefix}/`,
    ]);

    expect(fromDisk.stdout).not.toBe('');
    expect(one.stdout).toBe(fromDisk.stdout);
    expect(many.stdout).toBe(fromDisk.stdout);
  });

  it('narrows to days, accounts and Regions by listing only their folders', async () => {
    const listed: ListObjectsV2CommandInput[] = [];
    const client = new S3Client();
    client.middlewareStack.add(
      (next) => async (args) => {
        listed.push(args.input as ListObjectsV2CommandInput);
        return next(args);
      },
      { step: 'initialize' },
    );

    const objects = await listArchive(
      client,
      { bucket, prefix: '' },
      {
        since: '2026-10-01',
        until: '2026-10-01',
        accounts: ['444455556666'],
        regions: ['us-east-1'],
      },
    );

    expect(objects.map(({ key }) => key)).toEqual([
      'AWSLogs/o-abcdef1234/444455556666/CloudTrail/us-east-1/2026/10/01/444455556666_CloudTrail_us-east-1_20261001T0100Z_org.json.gz',
    ]);
    const objectListings = listed.filter((input) => input.Delimiter === undefined);
    expect(objectListings.map((input) => input.Prefix)).toEqual([
      'AWSLogs/o-abcdef1234/444455556666/CloudTrail/us-east-1/2026/10/01/',
    ]);
    expect(listed.every((input) => input.Prefix !== '' && input.Prefix !== undefined)).toBe(true);
  });

  it('gives for a day range what replay of those day folders gives', async () => {
    const days = await runCli([
      'replay',
      '--format',
      'json',
      '--since',
      '2026-10-01',
      '--until',
      '2026-10-01',
      '--regions',
      'us-east-1,eu-west-1',
      `s3://${bucket}`,
    ]);
    const fromDisk = await runCli([
      'replay',
      '--format',
      'json',
      join(local, 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/01'),
      join(local, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01'),
      join(local, 'AWSLogs/o-abcdef1234/444455556666/CloudTrail/us-east-1/2026/10/01'),
    ]);

    expect(days.stdout).not.toBe('');
    expect(days.stdout).toBe(fromDisk.stdout);
  });

  it('resumes from its checkpoint, skipping the objects already replayed', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'done.txt');
    const url = `s3://${bucket}/AWSLogs/111122223333/CloudTrail/us-east-1/`;
    const first = await runCli(['replay', '--format', 'json', '--checkpoint', checkpoint, url]);
    const finished = readFileSync(checkpoint, 'utf8').trim().split('\n');
    // As if interrupted after the first two objects.
    writeFileSync(checkpoint, `${finished.slice(0, 2).join('\n')}\n`);
    const resumed = await runCli(['replay', '--format', 'json', '--checkpoint', checkpoint, url]);
    const again = await runCli(['replay', '--format', 'json', '--checkpoint', checkpoint, url]);

    expect(finished.length).toBeGreaterThan(2);
    expect(finished.every((name) => name.startsWith(url))).toBe(true);
    expect(resumed.stdout).not.toBe('');
    // The sources seen start afresh at the resume point: its first alert of each is marked.
    const unmarked = (stdout: string) =>
      stdout.replace(/,"firstSeen":"[^"]*","firstSeenSource":"[^"]*"/g, '');
    expect(unmarked(first.stdout).endsWith(unmarked(resumed.stdout))).toBe(true);
    expect(resumed.stdout.length).toBeLessThan(first.stdout.length);
    expect(again.stdout).toBe('');
    expect(readFileSync(checkpoint, 'utf8').trim().split('\n').sort()).toEqual(
      [...finished].sort(),
    );
  });

  it('refuses the S3 options for local paths, and a bad day, as usage errors', async () => {
    const local = await runCli(['replay', '--since', '2026-10-01', 'events/']);
    const badDay = await runCli(['replay', '--since', '2026-02-30', `s3://${bucket}`]);

    expect(local.status).toBe(2);
    expect(local.stderr).toContain('--since applies to s3:// PATHs only');
    expect(badDay.status).toBe(2);
    expect(badDay.stderr).toContain('--since must be a UTC day, YYYY-MM-DD, got "2026-02-30"');
  });

  it('refuses --checkpoint for text, which holds its lines until the end to sort them', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'done.txt');

    const result = await runCli(['replay', '--checkpoint', checkpoint, `s3://${bucket}`]);

    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toContain('--checkpoint needs --format json or email');
  });
});
