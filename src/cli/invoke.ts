import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { escapeText } from '../alert/text/escape.js';
import { isGzip } from '../intake/decompressed.js';
import { InputError } from '../intake/input-error.js';
import { parseJson } from '../intake/parse-json.js';
import { SettingsError } from '../settings.js';
import { asDelivered } from './as-delivered.js';
import { missingAwsAccess } from './aws-access.js';
import { declaredHandler } from './declared-handler.js';
import { readFunctionEnvVars } from './env-vars.js';
import { parseOptions } from './parse-options.js';
import { reasonOf } from './sources/read-paths.js';
import { UsageError } from './usage-error.js';

export const help = `Usage: root-monitor invoke [--event FILE] [--env-vars FILE] [--function ID] [--as-is]

Runs the real Lambda handler of one function of template.yaml once, in this process, with a
Lambda-like context, and prints its result as JSON on stdout: the handler the template
declares for that function (its esbuild entry point under src/functions/). Its logs, which
the Lambda writes to stdout, go to stderr here so that the result can be piped (e.g. to jq).

The functions: RootMonitorFunction (real time: root usage), GuardFunction (changes to the
monitor's configuration, by anyone), DigestFunction (the digest schedule),
HealthCheckFunction (the hourly health checks) and TrailFileFunction (the backstop).

The event is handed to the handler as the function's trigger sends it, so that a function
never takes it for an unexpected input: a CloudTrail record, a hand-typed {"detail": {...}}
or a log file's records each go inside EventBridge's envelope (one invocation per record,
printed as {"decision": "batch", "results": [...]}); a scheduled function without --event is
given a Scheduled Event; the backstop takes the S3 notification of a new log file inside an
SQS batch. --as-is hands the file over unchanged, as a console test or a tampered target
would: the function then raises its unexpected-input alarm.

The real-time function reads its settings from the environment: ALERT_TOPIC_ARN, DEDUP_TABLE_NAME,
CONFIG_PARAMETER, and optionally FALLBACK_TOPIC_ARN, CONFIG_MAX_AGE_SECONDS,
FORENSICS_BUCKET, FORENSICS_KMS_KEY_ID, POWERTOOLS_LOG_LEVEL, and the monitor's own resources
that root must not touch: ALERT_KEY_ARN, MONITOR_FUNCTION_NAMES, MONITOR_ROLE_ARNS and
MONITOR_QUEUE_ARNS (comma-separated lists). --env-vars reads them from a file shaped like
SAM's env.json ({"FunctionLogicalId": {"NAME": "value"}}), as 'sam local invoke' does; its
values win over the environment. AWS_LAMBDA_FUNCTION_NAME, which Lambda sets, is
root-monitor-local unless given. Set AWS_ENDPOINT_URL to run against an emulator such as
moto's server, or leave it unset to use your AWS credentials and real resources.

Before the handler runs, a missing AWS Region or credentials is named in one line, and so is a
missing setting when the handler starts.

  --event FILE      the event to handle: an EventBridge event, a CloudTrail record or log file,
                    {"detail": {...}} (.json, or gzipped as CloudTrail delivers it, .json.gz);
                    optional for a scheduled function
  --env-vars FILE   settings for the function, SAM env.json format
  --function ID     the function's logical ID in template.yaml, and its entry in the env-vars
                    file (default: the file's first entry, or RootMonitorFunction)
  --as-is           hand the event over exactly as the file holds it

Exit status: 0 when the handler returned, 1 when it threw or could not start, 2 for a usage
error.
`;

/** The function run when neither --function nor the env-vars file names one: real time. */
const DEFAULT_FUNCTION = 'RootMonitorFunction';

/** The function's name when neither the file nor the shell gives one. */
const LOCAL_FUNCTION_NAME = 'root-monitor-local';

const gunzipAsync = promisify(gunzip);

/** A JSON file, gunzipped first when its bytes say gzip, whatever its name says (as replay reads). */
export const readJsonFile = async (path: string): Promise<unknown> => {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(`${path}: ${reasonOf(error)}`);
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new InputError(`${path}: not valid gzip: ${reasonOf(error)}`);
    }
  }
  return parseJson(bytes.toString('utf8'), path);
};

const lambdaContext = (timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? LOCAL_FUNCTION_NAME;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/**
 * Runs `work` with stdout carried to stderr: the Lambda logs to stdout, but here stdout is the
 * result's, so that `| jq` sees JSON only.
 */
const withLogsOnStderr = async <T>(work: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
};

export const run = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    event: { type: 'string' },
    'env-vars': { type: 'string' },
    function: { type: 'string' },
    'as-is': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);

  let event: unknown;
  let functionId = values.function ?? DEFAULT_FUNCTION;
  let declared: Awaited<ReturnType<typeof declaredHandler>>;
  try {
    event = values.event === undefined ? undefined : await readJsonFile(values.event);
    if (values['env-vars'] !== undefined) {
      const chosen = await readFunctionEnvVars(values['env-vars'], values.function);
      functionId = chosen.functionId;
      // The handler reads its settings from process.env, as it does in Lambda.
      Object.assign(process.env, chosen.vars);
    }
    // Lambda always sets it, and the handler counts the function it runs in among its own.
    process.env.AWS_LAMBDA_FUNCTION_NAME ||= LOCAL_FUNCTION_NAME;
    // A function the template does not declare is a usage error before anything else.
    declared = await declaredHandler(functionId);
    const missing = await missingAwsAccess(process.env);
    if (missing !== undefined) throw new InputError(missing);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    process.stderr.write(
      `root-monitor invoke: ${escapeText(String((error as Error).message ?? error), 2000)}\n`,
    );
    return 1;
  }

  if (values['as-is'] === true && event === undefined) {
    throw new UsageError('--as-is hands over the --event FILE unchanged; give --event FILE');
  }
  const inputs =
    values['as-is'] === true ? [event] : asDelivered(event, declared, values.event ?? '--event');
  let handler: (input: unknown, context: Context) => Promise<unknown>;
  try {
    // Imported only now: the handler reads its settings from the environment at init.
    const exported = await withLogsOnStderr(
      async () =>
        ((await import(declared.entry.href)) as Record<string, unknown>)[declared.exportName],
    );
    if (typeof exported !== 'function') {
      throw new Error(`${declared.entry.pathname} exports no ${declared.exportName}`);
    }
    handler = exported as typeof handler;
  } catch (error) {
    if (error instanceof SettingsError) {
      // A setting the function reads at init: one line, and where to give it.
      process.stderr.write(
        `root-monitor invoke: ${escapeText(error.message, 2000)}: ${values['env-vars'] === undefined ? "give the function's settings with --env-vars env.json, or set them in the shell" : `set it in the --env-vars file's entry for ${functionId}, or in the shell`}\n`,
      );
      return 1;
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      `root-monitor invoke: the handler could not start: ${escapeText(reason, 2000)}\n`,
    );
    return 1;
  }
  // One invocation per input, as the trigger would make them: each has its turn even when one
  // before it threw, as Lambda invokes each event on its own.
  const results: unknown[] = [];
  let threw = false;
  for (const input of inputs) {
    try {
      results.push(await withLogsOnStderr(() => handler(input, lambdaContext(30_000))));
    } catch (error) {
      threw = true;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      process.stderr.write(`root-monitor invoke: the handler threw: ${escapeText(reason, 2000)}\n`);
      results.push({ decision: 'threw', error: escapeText(reason, 2000) });
    }
  }
  const [only] = results;
  const printed = results.length === 1 ? only : { decision: 'batch', results };
  if (!(threw && results.length === 1)) {
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  }
  return threw ? 1 : 0;
};
