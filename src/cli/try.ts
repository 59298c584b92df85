import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../../rules/index.js';
import { escapeText } from '../alert/text/escape.js';
import { parseConfig } from '../config/parse-config.js';
import { readFunctionEnvVars } from './env-vars.js';
import { readJsonFile } from './invoke.js';
import { INSTALL_HINT, startMoto } from './local/emulator.js';
import {
  emulatorEnvironment,
  invokeInEmulator,
  stopInvocation,
} from './local/invoke-in-emulator.js';
import { createLocalMonitor, type LocalResources, resourcesNamed } from './local/local-monitor.js';
import { functionForSample } from './local/sample-function.js';
import { decisionsIn, deliveryLine, sampleLine, tally } from './local/try-report.js';
import { parseOptions } from './parse-options.js';
import { reasonOf } from './sources/read-paths.js';

export const help = `Usage: root-monitor try [--config FILE] [FILE...]

Tries the monitor on this machine, with no AWS account: starts moto's AWS API emulator
(python3 -m moto.server) on a free loopback port, in the account env.json's ARNs name, and
makes there what template.yaml makes for the functions, under env.json's names: the alert and
fallback topics (ALERT_TOPIC_ARN, FALLBACK_TOPIC_ARN), each with an SQS queue subscribed to show
what reached it; the dedup table (DEDUP_TABLE_NAME) with its key, TTL and index of digests due;
the configuration parameter (CONFIG_PARAMETER); the forensics bucket (FORENSICS_BUCKET) when
env.json names one. Then it runs each sample through the function whose trigger sends it
(RootMonitorFunction for root usage, GuardFunction for a change to the configuration
parameter, DigestFunction for the digest schedule's Scheduled Event), as
'root-monitor invoke --env-vars env.json --function ID --event FILE' with the emulator's
endpoint, and prints the function's decision and each message that reached a topic: the
topic, the message's severity attribute and its subject. The emulator is stopped at the end,
on an error and on Ctrl-C.

Needs Python 3 with moto's server: ${INSTALL_HINT}.

  FILE           a sample event, or a directory of them (.json, .json.gz), in any shape invoke
                 takes (default: every sample in events/)
  --config FILE  the document the configuration parameter holds (default: config/starter.json,
                 what the stack installs: nothing allowlisted). config/example.json allowlists
                 the allowlisted-* samples

Exit status: 0 when every sample ran, 1 when one could not or the emulator could not start,
2 for a usage error.
`;

/** The clone's files: the samples, the functions' settings, the stack's first document. */
const CLONE = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES = join(CLONE, 'events');
const ENV_JSON = join(CLONE, 'env.json');
const STARTER_CONFIG = join(CLONE, 'config', 'starter.json');

/** A path as the user would type it from here. */
const shownPath = (path: string): string => {
  const near = relative(process.cwd(), path);
  return escapeText(near === '' || near.startsWith('..') || isAbsolute(near) ? path : near, 500);
};

const SAMPLE_FILE = /\.json(\.gz)?$/;

/** The sample files `paths` name, a directory's in name order. */
const sampleFiles = async (paths: readonly string[]): Promise<string[]> => {
  const files: string[] = [];
  for (const path of paths) {
    const isDirectory = await stat(path).then(
      (found) => found.isDirectory(),
      (error: unknown) => {
        throw new Error(`${path}: ${reasonOf(error)}`);
      },
    );
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => SAMPLE_FILE.test(name)).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
};

/** One sample, and the function whose trigger sends it. */
interface Sample {
  file: string;
  functionId: string;
}

const readSamples = async (paths: readonly string[]): Promise<Sample[]> =>
  Promise.all(
    (await sampleFiles(paths)).map(async (file) => ({
      file,
      functionId: functionForSample(await readJsonFile(file)),
    })),
  );

/** The document to store, checked as the Lambda checks it; undefined after saying why not. */
const configDocument = async (path: string): Promise<string | undefined> => {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`${path}: ${reasonOf(error)}`);
  });
  const result = parseConfig([{ source: path, text }], CATALOG);
  if (result.valid) return text;
  process.stderr.write(
    `root-monitor try: ${shownPath(path)} is not a valid configuration (the functions would allow nothing with it):\n${result.problems.map((problem) => `  ${escapeText(problem, 2000)}\n`).join('')}`,
  );
  return undefined;
};

/** What was made, in a sentence. */
const madeLine = (resources: LocalResources, config: string): string => {
  const parts = [
    `topics ${resources.topicArns.map((arn) => arn.slice(arn.lastIndexOf(':') + 1)).join(', ')} (an SQS queue on each)`,
    ...resources.tables.map((table) => `table ${table}`),
    ...resources.parameters.map((parameter) => `parameter ${parameter} (${shownPath(config)})`),
    ...resources.buckets.map((bucket) => `bucket ${bucket}`),
  ];
  return `Made what env.json names: ${escapeText(parts.join('; '), 2000)}.`;
};

const fail = (message: string): number => {
  process.stderr.write(`root-monitor try: ${escapeText(message, 2000)}\n`);
  return 1;
};

/** What a try runs: the samples, the document to store, what env.json names for their functions. */
interface Plan {
  samples: Sample[];
  configPath: string;
  config: string;
  resources: LocalResources;
}

/** The plan, checked before anything starts; undefined after saying what is wrong. */
const planOf = async (paths: readonly string[], configPath: string): Promise<Plan | undefined> => {
  try {
    const samples = await readSamples(paths.length > 0 ? paths : [SAMPLES]);
    if (samples.length === 0) {
      fail(`no sample (.json, .json.gz) in ${paths.join(' ')}`);
      return undefined;
    }
    const config = await configDocument(configPath);
    if (config === undefined) return undefined;
    const functionIds = [...new Set(samples.map(({ functionId }) => functionId))];
    const settings = Object.fromEntries(
      await Promise.all(
        functionIds.map(async (id) => [id, (await readFunctionEnvVars(ENV_JSON, id)).vars]),
      ),
    );
    return {
      samples,
      configPath,
      config,
      resources: resourcesNamed(settings, shownPath(ENV_JSON)),
    };
  } catch (error) {
    fail(reasonOf(error));
    return undefined;
  }
};

const out = (line = '') => process.stdout.write(`${line}\n`);

/**
 * Makes the resources in the emulator, runs each sample through its function and prints what
 * came of it, with the seconds since `startedAt`; resolves to the exit status, or to undefined
 * once `interrupted()` says to stop.
 */
const tryIn = async (
  endpoint: string,
  { samples, configPath, config, resources }: Plan,
  { startedAt, interrupted }: { startedAt: number; interrupted: () => boolean },
): Promise<number | undefined> => {
  const inboxes = await createLocalMonitor(endpoint, resources, config);
  out(madeLine(resources, configPath));
  out();
  const env = emulatorEnvironment(endpoint, resources.region);
  const decisions: string[] = [];
  const received = new Map(inboxes.map(({ topicName }) => [topicName, 0]));
  let failed = 0;
  for (const { file, functionId } of samples) {
    const invocation = await invokeInEmulator({ functionId, event: file, envVars: ENV_JSON }, env);
    if (interrupted()) return undefined;
    if (invocation.ran) {
      decisions.push(...decisionsIn(invocation.result));
      out(sampleLine(shownPath(file), functionId, invocation.result));
    } else {
      failed++;
      out(`${shownPath(file)} → ${functionId}: failed (${escapeText(invocation.why, 2000)})`);
    }
    const deliveries = (await Promise.all(inboxes.map((inbox) => inbox.drain()))).flat();
    for (const delivery of deliveries) {
      received.set(delivery.topicName, (received.get(delivery.topicName) ?? 0) + 1);
      out(deliveryLine(delivery));
    }
    if (deliveries.length === 0) out('  nothing reached a topic');
  }
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  out();
  out(
    `${samples.length} sample${samples.length === 1 ? '' : 's'} in ${seconds} s: ${tally(decisions) || 'no decision'}${failed > 0 ? `, ${failed} failed` : ''}; messages: ${[...received].map(([topic, count]) => `${count} to ${escapeText(topic)}`).join(', ')}.`,
  );
  return failed > 0 ? 1 : 0;
};

export const run = async (args: readonly string[]): Promise<number> => {
  const startedAt = Date.now();
  const { values, positionals } = parseOptions(args, { config: { type: 'string' } });
  const plan = await planOf(positionals, values.config ?? STARTER_CONFIG);
  if (plan === undefined) return 1;

  const { accountId, region } = plan.resources;
  out(`Starting moto, the AWS API emulator, as account ${accountId} in ${region} ...`);
  let moto: Awaited<ReturnType<typeof startMoto>>;
  try {
    moto = await startMoto({ accountId });
  } catch (error) {
    return fail(reasonOf(error));
  }
  // Stopped on Ctrl-C too: left running, it would hold its port and memory until killed by hand.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    stopInvocation();
    void moto.stop().finally(() => {
      process.stderr.write(`root-monitor try: ${signal}; the emulator is stopped\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Undefined when interrupted: the signal's handler says so and exits.
    return (await tryIn(moto.endpoint, plan, { startedAt, interrupted: () => interrupted })) ?? 1;
  } catch (error) {
    return fail(`the emulator: ${reasonOf(error)}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await moto.stop();
  }
};
