/**
 * Peak memory of the backstop reading one CloudTrail log file: a 5 MB and a 50 MB gzipped file
 * (sizes compressed, as S3 lists them), each handled by the real SQS batch code in a fresh Node
 * process, which reports its peak resident memory. The bytes come from a local file through the
 * backstop's reader port (moto's S3 serves a 50 MB object too slowly to be worth the wait); the
 * alerts go through the real monitor on moto's DynamoDB and SNS. Flat memory means the two
 * peaks are close: the file streams through gunzip and the record scanner, one record held at a
 * time. Timing is printed for information only.
 *
 * Run: npm run bench:trail-file   (needs moto: python3 -m pip install -r requirements-dev.txt)
 * Sizes: BENCH_TRAIL_MB=5,50 (the default)
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { monitorOnAws } from '../src/aws/monitor-on-aws.js';
import { handleTrailFileMessages } from '../src/aws/trail-file-queue.js';
import { startMoto } from '../src/cli/local/emulator.js';
import { TrailFileBackstop } from '../src/pipeline/trail-file-backstop.js';
import type { Settings } from '../src/settings.js';
import { createDedupTable } from '../test/support/dedup-table.js';
import { recordingLogger } from '../test/support/recording-logger.js';
import { sqsRecordOf } from '../test/support/sqs-record.js';

const ACCOUNT = '111122223333';
const ROOT_EVERY = 20_000;

/** `bytes` random bytes in hex: cheaper than crypto, and random enough to resist gzip. */
const hex = (bytes: number): string => {
  let text = '';
  while (text.length < bytes * 2) text += Math.random().toString(16).slice(2, 14);
  return text.slice(0, bytes * 2);
};

/** One record of about a kilobyte; random ids keep gzip's ratio near a real trail's. */
const recordText = (n: number): string =>
  JSON.stringify({
    eventVersion: '1.09',
    userIdentity:
      n % ROOT_EVERY === 0
        ? { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT }
        : {
            type: 'AssumedRole',
            arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/${hex(6)}`,
            accountId: ACCOUNT,
            accessKeyId: `ASIA${hex(8).toUpperCase()}`,
          },
    eventTime: new Date(Date.UTC(2026, 9, 1) + n * 100).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${n % 250}`,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    requestParameters: {
      instancesSet: { items: [{ instanceId: `i-${hex(8)}` }] },
    },
    responseElements: null,
    requestID: hex(16),
    eventID: hex(16),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
  });

/** Writes a gzipped log file of about `megabytes` MB compressed; returns its record count. */
const writeLogFile = async (path: string, megabytes: number): Promise<number> => {
  const pilot = Array.from({ length: 2000 }, (_, n) => recordText(n + 1)).join(',');
  const bytesPerRecord = gzipSync(pilot).length / 2000;
  const records = Math.ceil((megabytes * 1024 * 1024) / bytesPerRecord);
  async function* text(): AsyncGenerator<string> {
    yield '{"Records":[';
    for (let n = 1; n <= records; n += 1000) {
      const batch: string[] = [];
      for (let k = n; k < Math.min(n + 1000, records + 1); k++) batch.push(recordText(k));
      yield (n === 1 ? '' : ',') + batch.join(',');
    }
    yield ']}';
  }
  await pipeline(text(), createGzip(), createWriteStream(path));
  return records;
};

/** In the child: handles one SQS message announcing the file; prints peak memory. */
const child = async (path: string, key: string): Promise<void> => {
  const settings = JSON.parse(process.env.BENCH_SETTINGS ?? '{}') as Settings;
  const logger = recordingLogger();
  const backstop = new TrailFileBackstop(
    monitorOnAws(settings, logger),
    async () => createReadStream(path),
    logger,
  );
  const bucket = 'trail-bench';
  const started = performance.now();
  const event: SQSEvent = {
    Records: [
      sqsRecordOf({
        body: JSON.stringify({ Records: [{ s3: { bucket: { name: bucket }, object: { key } } }] }),
        queueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:bench`,
        messageId: 'bench',
      }),
    ],
  };
  const response = await handleTrailFileMessages(backstop, event, logger);
  const read = logger.lines.find((line) => line.message === 'Trail file read')?.fields;
  process.stdout.write(
    `${JSON.stringify({
      failures: response.batchItemFailures.length,
      records: read?.records,
      rootEvents: read?.rootEvents,
      seconds: (performance.now() - started) / 1000,
      peakMiB: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
};

const main = async (): Promise<void> => {
  const sizes = (process.env.BENCH_TRAIL_MB ?? '5,50').split(',').map(Number);
  const moto = await startMoto();
  const directory = mkdtempSync(join(tmpdir(), 'trail-file-bench-'));
  try {
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'bench';
    process.env.AWS_SECRET_ACCESS_KEY = 'bench';
    const { TopicArn } = await new SNSClient().send(new CreateTopicCommand({ Name: 'bench' }));
    const settings: Settings = {
      topicArn: TopicArn as string,
      dedupTableName: await createDedupTable('bench'),
      configParameter: '/bench/config',
      configMaxAgeSeconds: 60,
      configStaleAlarmSeconds: 900,
      forensicsBucket: undefined,
      forensicsKmsKeyId: undefined,
      monitor: {},
    };
    process.stdout.write('gz MB  records    root  seconds  peak RSS MiB\n');
    for (const megabytes of sizes) {
      const path = join(directory, `${megabytes}.json.gz`);
      await writeLogFile(path, megabytes);
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/10/01/${ACCOUNT}_CloudTrail_us-east-1_20261001T0000Z_${megabytes}mb.json.gz`;
      const size = statSync(path).size;
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', path, key],
        { encoding: 'utf8', env: { ...process.env, BENCH_SETTINGS: JSON.stringify(settings) } },
      );
      if (run.status !== 0) throw new Error(`child failed:\n${run.stderr}`);
      const result = JSON.parse(run.stdout) as {
        failures: number;
        records: number;
        rootEvents: number;
        seconds: number;
        peakMiB: number;
      };
      if (result.failures !== 0) throw new Error(`the backstop failed on ${key}`);
      process.stdout.write(
        `${(size / 1024 / 1024).toFixed(1).padStart(5)}  ${String(result.records).padStart(7)}  ${String(result.rootEvents).padStart(6)}  ${result.seconds.toFixed(1).padStart(7)}  ${result.peakMiB.toFixed(0).padStart(12)}\n`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await moto.stop();
  }
};

const [flag, path, key] = process.argv.slice(2);
if (flag === '--child' && path !== undefined && key !== undefined) await child(path, key);
else await main();
