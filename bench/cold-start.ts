/**
 * Cold start of the alert path, root-monitor against a seed-equivalent handler (one SNS
 * client, one publish) and, for calibration, two handlers in between: the four calls of a cold
 * alert on bare clients, and a straightforward middy + Powertools build of them. All are
 * bundled with template.yaml's esbuild settings and run against moto. Each sample is a fresh
 * Node process that imports the bundle and handles one alerting root event; samples rotate so
 * every handler sees the same machine. Also counts the AWS calls each kind of event makes.
 *
 * Run: npm run bench:cold-start   (needs moto: python3 -m pip install -r requirements-dev.txt)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { rootRecord, rootSignIn } from '../rules/cases.js';
import { monitorOnAws } from '../src/aws/monitor-on-aws.js';
import type { CloudTrailRecord } from '../src/intake/trail-event.js';
import type { Settings } from '../src/settings.js';
import { REPO_ROOT } from '../test/deploy/cloudformation-template.js';
import { createDedupTable } from '../test/support/dedup-table.js';
import { startMoto } from '../test/support/moto-server.js';
import { bundleLikeSam } from './lambda-bundle.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const TARGET_RATIO = 1.25;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const envelope = (detail: CloudTrailRecord) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS Console Sign In via CloudTrail',
  source: 'aws.signin',
  account: '111122223333',
  region: 'us-east-1',
  time: '2026-03-14T02:51:08Z',
  resources: [],
  detail,
});

/** Imports the bundle and handles one event, timing both; prints the time as its last line. */
const CHILD = `
const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
const imported = performance.now();
const context = { functionName: 'bench', awsRequestId: crypto.randomUUID(), invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 30000 };
const result = await handler(JSON.parse(process.env.BENCH_EVENT), context);
const done = performance.now();
if (!result || (result.decision !== 'alert' && result.alerted !== true)) throw new Error('no alert: ' + JSON.stringify(result));
process.stdout.write('\\n' + JSON.stringify({ importMs: imported - started, totalMs: done - started }) + '\\n');
`;

interface Sample {
  importMs: number;
  totalMs: number;
  processMs: number;
}

const sample = (bundle: string, env: NodeJS.ProcessEnv): Promise<Sample> =>
  new Promise((resolve, reject) => {
    const event = envelope(
      rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' } }),
    );
    const started = performance.now();
    // --enable-source-maps as the template's NODE_OPTIONS sets it: it costs time at load.
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', CHILD],
      {
        env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: JSON.stringify(event) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('exit', (code) => {
      const processMs = performance.now() - started;
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${bundle} exited ${code}: ${err}${out}`));
      resolve({ ...(JSON.parse(last) as Omit<Sample, 'processMs'>), processMs });
    });
  });

const deployToMoto = async (): Promise<Settings> => {
  const suffix = randomUUID().slice(0, 8);
  const { TopicArn } = await new SNSClient().send(
    new CreateTopicCommand({ Name: `bench-${suffix}` }),
  );
  const dedupTableName = await createDedupTable('bench-dedup');
  const configParameter = `/bench-${suffix}/config`;
  await new SSMClient().send(
    new PutParameterCommand({
      Name: configParameter,
      Type: 'String',
      Value: JSON.stringify({
        version: 1,
        allow: [{ id: 'audit-script', reason: 'bench', eventNames: ['ListUsers'] }],
      }),
    }),
  );
  const topicArn = TopicArn ?? '';
  return {
    topicArn,
    dedupTableName,
    configParameter,
    configMaxAgeSeconds: 60,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: { configParameter, topicArn, dedupTableName },
  };
};

/** AWS calls per kind of event, counted on the real clients in one warm container. */
const countCalls = async (settings: Settings) => {
  const calls: string[] = [];
  const counted = <T extends DynamoDBClient | SNSClient | SSMClient>(
    client: T,
    service: string,
  ): T => {
    client.middlewareStack.add(
      (next, context) => (args) => {
        calls.push(`${service}.${context.commandName?.replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize' },
    );
    return client;
  };
  const quiet = { critical() {}, error() {}, warn() {}, info() {}, debug() {} };
  const monitor = monitorOnAws(settings, quiet, {
    dynamodb: counted(new DynamoDBClient(), 'dynamodb'),
    sns: counted(new SNSClient(), 'sns'),
    ssm: counted(new SSMClient(), 'ssm'),
  });
  const measure = async (events: readonly object[]) => {
    calls.length = 0;
    for (const event of events) await monitor.handle(event);
    const tally = new Map<string, number>();
    for (const call of calls) tally.set(call, (tally.get(call) ?? 0) + 1);
    return [...tally].map(([call, n]) => `${n} ${call}`).join(', ') || 'none';
  };
  const listUsers = () => envelope(rootRecord({ eventID: randomUUID(), eventName: 'ListUsers' }));
  await measure([listUsers()]); // warms the configuration cache
  const burst = Array.from({ length: 50 }, () =>
    envelope(
      rootRecord({
        eventID: randomUUID(),
        eventName: 'DescribeInstances',
        sourceIPAddress: '203.0.113.99',
      }),
    ),
  );
  return [
    ['allowlisted event, config cached', await measure([listUsers()])],
    [
      'alerted event',
      await measure([
        envelope(rootSignIn({ eventID: randomUUID(), additionalEventData: { MFAUsed: 'No' } })),
      ]),
    ],
    ['burst of 50 events, one dedup key', await measure(burst)],
  ] as const;
};

const main = async () => {
  const moto = await startMoto();
  try {
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'bench';
    process.env.AWS_SECRET_ACCESS_KEY = 'bench';
    const settings = await deployToMoto();
    const out = join(REPO_ROOT, 'bench', 'out', 'cold-start');
    mkdirSync(out, { recursive: true });
    const handlers = {
      seed: 'bench/seed-handler.ts',
      'three clients': 'bench/three-clients-handler.ts',
      straightforward: 'bench/straightforward-handler.ts',
      'root-monitor': 'src/handler.ts',
    } as const;
    type Name = keyof typeof handlers;
    const names = Object.keys(handlers) as Name[];
    const bundles = {} as Record<Name, string>;
    for (const name of names) {
      bundles[name] = await bundleLikeSam(
        join(REPO_ROOT, handlers[name]),
        join(out, `${name}.mjs`),
      );
    }
    const env = {
      ...process.env,
      ALERT_TOPIC_ARN: settings.topicArn,
      DEDUP_TABLE_NAME: settings.dedupTableName,
      CONFIG_PARAMETER: settings.configParameter,
      POWERTOOLS_SERVICE_NAME: 'root-monitor',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
    };
    const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<
      Name,
      Sample[]
    >;
    await sample(bundles.seed, env); // the first process pays for a cold disk cache; discard it
    for (let i = 0; i < SAMPLES; i++) {
      // A different order each round, so no handler always runs right after another.
      const order = names.map((_, k) => names[(i + k) % names.length] as Name);
      for (const name of order) samples[name].push(await sample(bundles[name], env));
    }
    const of = (name: Name, key: keyof Sample) => median(samples[name].map((s) => s[key]));
    const ratio = (name: Name, key: keyof Sample) => of(name, key) / of('seed', key);
    console.log(`Cold start, median of ${SAMPLES} fresh processes each (ms):`);
    console.log(
      `${''.padEnd(16)}${'import'.padStart(8)}${'+handle'.padStart(9)}${'process'.padStart(9)}${'ratio'.padStart(8)}`,
    );
    for (const name of names) {
      console.log(
        `${name.padEnd(16)}${of(name, 'importMs').toFixed(1).padStart(8)}${of(name, 'totalMs').toFixed(1).padStart(9)}${of(name, 'processMs').toFixed(1).padStart(9)}${`${ratio(name, 'processMs').toFixed(2)}x`.padStart(8)}`,
      );
    }
    const main = ratio('root-monitor', 'processMs');
    console.log(
      `ratio root-monitor/seed, whole process: ${main.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${main <= TARGET_RATIO ? 'met' : 'NOT met'}); import + handle alone: ${ratio('root-monitor', 'totalMs').toFixed(2)}x`,
    );
    console.log(
      'three clients = the four calls of a cold alert (SSM; DynamoDB claim; SNS; DynamoDB sent) on bare SDK clients',
    );
    console.log(
      "straightforward = the same four calls, middy and Powertools without root-monitor's own work",
    );
    console.log('\nAWS calls per event (warm container):');
    for (const [what, calls] of await countCalls(settings))
      console.log(`  ${what.padEnd(36)}${calls}`);
  } finally {
    await moto.stop();
  }
};

await main();
