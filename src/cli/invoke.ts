import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { escapeText } from '../alert/escape.js';
import { isGzip } from '../intake/decompressed.js';
import { parseJson } from '../intake/parse-json.js';
import { InputError } from '../intake/shapes.js';
import { readSettings, SettingsError } from '../settings.js';
import { missingAwsAccess } from './aws-access.js';
import { readEnvVars } from './env-vars.js';
import { parseOptions } from './parse-options.js';
import { reasonOf } from './read-paths.js';
import { UsageError } from './usage-error.js';

export const help = `Usage: root-monitor invoke --event FILE [--env-vars FILE] [--function ID]

Runs the real Lambda handler (src/handler.ts) once, in this process, with a Lambda-like
context, and prints its result as JSON on stdout. Its logs, which the Lambda writes to
stdout, go to stderr here so that the result can be piped (e.g. to jq).

The handler reads its settings from the environment: ALERT_TOPIC_ARN, DEDUP_TABLE_NAME,
CONFIG_PARAMETER, and optionally FALLBACK_TOPIC_ARN, CONFIG_MAX_AGE_SECONDS,
FORENSICS_BUCKET, FORENSICS_KMS_KEY_ID, POWERTOOLS_LOG_LEVEL, and the monitor's own resources
that root must not touch: ALERT_KEY_ARN, MONITOR_FUNCTION_NAMES, MONITOR_ROLE_ARNS and
MONITOR_QUEUE_ARNS (comma-separated lists). --env-vars reads them from a file shaped like
SAM's env.json ({"FunctionLogicalId": {"NAME": "value"}}), as 'sam local invoke' does; its
values win over the environment. AWS_LAMBDA_FUNCTION_NAME, which Lambda sets, is
root-monitor-local unless given. Set AWS_ENDPOINT_URL to run against an emulator such as
moto's server, or leave it unset to use your AWS credentials and real resources.

Before the handler runs, a missing setting, AWS Region or credentials is named in one line.

  --event FILE      the event to handle: an EventBridge event, a CloudTrail record or log file
                    (.json, or gzipped as CloudTrail delivers it, .json.gz)
  --env-vars FILE   settings for the function, SAM env.json format
  --function ID     which function of the env-vars file (default: its only/first entry)

Exit status: 0 when the handler returned, 1 when it threw or could not start, 2 for a usage
error.
`;

/** The function's name when neither the file nor the shell gives one. */
const LOCAL_FUNCTION_NAME = 'root-monitor-local';

const gunzipAsync = promisify(gunzip);

/** A JSON file, gunzipped first when its bytes say gzip, whatever its name says (as replay reads). */
const readJsonFile = async (path: string): Promise<unknown> => {
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

/**
 * What the handler would fail on before it could do anything: a setting, the AWS Region or
 * credentials, named in one line instead of at the end of the logs of every failed call.
 */
const missingToRun = async (envVarsGiven: boolean): Promise<string | undefined> => {
  try {
    readSettings(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return envVarsGiven
      ? `${error.message}: set it in the --env-vars file's entry for the function, or in the shell`
      : `${error.message}: give the function's settings with --env-vars env.json, or set them in the shell`;
  }
  return missingAwsAccess(process.env);
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
  });
  if (values.event === undefined) throw new UsageError('--event FILE is required');
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (values.function !== undefined && values['env-vars'] === undefined) {
    throw new UsageError(
      '--function names a function of the --env-vars file; give --env-vars FILE',
    );
  }

  let event: unknown;
  try {
    event = await readJsonFile(values.event);
    if (values['env-vars'] !== undefined) {
      const vars = await readEnvVars(values['env-vars'], values.function);
      // The handler reads its settings from process.env, as it does in Lambda.
      Object.assign(process.env, vars);
    }
    // Lambda always sets it, and the handler counts the function it runs in among its own.
    process.env.AWS_LAMBDA_FUNCTION_NAME ||= LOCAL_FUNCTION_NAME;
    const missing = await missingToRun(values['env-vars'] !== undefined);
    if (missing !== undefined) throw new InputError(missing);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    process.stderr.write(
      `root-monitor invoke: ${escapeText(String((error as Error).message ?? error), 2000)}\n`,
    );
    return 1;
  }

  try {
    const result = await withLogsOnStderr(async () => {
      // Imported only now: the handler reads its settings from the environment at init.
      const { handler } = await import('../handler.js');
      return handler(event, lambdaContext(30_000));
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`root-monitor invoke: the handler threw: ${escapeText(reason, 2000)}\n`);
    return 1;
  }
};
