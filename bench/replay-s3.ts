/**
 * Throughput of `replay s3://...` against moto's S3: the archive bench/generate-archive.ts
 * writes, uploaded under the same keys, replayed with --concurrency 1 and with the default 16,
 * alternating, in one run. Prints objects and MB (compressed, as S3 stores them) per second for
 * each, and their ratio. moto answers from one Python process, so the numbers show what
 * concurrency buys against a slow endpoint, not what S3 itself gives.
 *
 * usage: node --import tsx bench/replay-s3.ts [FILES] [RECORDS_PER_FILE] [REPETITIONS]
 *        (defaults 200, 1000, 3; needs moto: python3 -m pip install -r requirements-dev.txt)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto } from '../src/cli/local/emulator.js';
import { generateArchive } from './generate-archive.js';

const BIN = fileURLToPath(new URL('../bin/root-monitor.js', import.meta.url));
const [files = 200, records = 1000, repetitions = 3] = process.argv.slice(2).map(Number);

const moto = await startMoto();
const directory = mkdtempSync(join(tmpdir(), 'replay-s3-bench-'));
try {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };
  Object.assign(process.env, env);
  generateArchive(directory, files, records);
  const s3 = new S3Client();
  const bucket = 'replay-bench';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(directory, path)).isFile(),
  );
  let bytes = 0;
  process.stderr.write(`uploading ${keys.length} objects to moto...\n`);
  for (const key of keys) {
    const body = readFileSync(join(directory, key));
    bytes += body.length;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }
  const run = async (concurrency: number): Promise<number> => {
    process.stderr.write(`replay --concurrency ${concurrency}...\n`);
    const started = performance.now();
    await promisify(execFile)(
      process.execPath,
      [BIN, 'replay', '--format', 'json', '--concurrency', String(concurrency), `s3://${bucket}/`],
      { env, encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    return (performance.now() - started) / 1000;
  };
  const seconds: Record<number, number[]> = { 1: [], 16: [] };
  for (let i = 0; i < repetitions; i++) {
    for (const concurrency of [1, 16]) seconds[concurrency]?.push(await run(concurrency));
  }
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  process.stdout.write(
    `${keys.length} objects, ${(bytes / 1e6).toFixed(1)} MB gzipped, ${files * records} records; median of ${repetitions}\n`,
  );
  for (const concurrency of [1, 16]) {
    const time = median(seconds[concurrency] ?? []);
    process.stdout.write(
      `--concurrency ${String(concurrency).padEnd(2)}  ${time.toFixed(2)} s  ${(keys.length / time).toFixed(1)} objects/s  ${(bytes / 1e6 / time).toFixed(2)} MB/s\n`,
    );
  }
  process.stdout.write(
    `concurrent / sequential throughput: ${(median(seconds[1] ?? []) / median(seconds[16] ?? [])).toFixed(2)}x\n`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
  await moto.stop();
}
