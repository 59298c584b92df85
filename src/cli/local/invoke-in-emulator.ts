import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_CREDENTIALS } from './local-monitor.js';

/** The CLI of this clone, run once per sample as a user would run `root-monitor invoke`. */
const BIN = fileURLToPath(new URL('../../../bin/root-monitor.js', import.meta.url));

/**
 * The environment of a process that must reach the emulator at `endpoint` and nothing else:
 * none of the shell's AWS settings (a profile, a Region, an endpoint for one service, an
 * instruction to ignore endpoints), no shared config or credentials file (where the same can
 * hide), and credentials the emulator takes and no account has.
 */
export const emulatorEnvironment = (endpoint: string, region: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value;
  }
  const nowhere = join(tmpdir(), 'root-monitor-try-no-aws-config');
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: EMULATOR_CREDENTIALS.sessionToken,
  };
};

/** What `root-monitor invoke` made of one sample. */
export type Invocation =
  | { ran: true; result: unknown }
  /** Why it could not run or the handler threw: invoke's own lines, else its last words. */
  | { ran: false; why: string };

/** The invocation running now, so that an interruption can end it. */
let running: ChildProcess | undefined;

/** Ends the invocation running now, if any. */
export const stopInvocation = (): void => {
  running?.kill('SIGTERM');
};

const whyFailed = (stderr: string, status: number | null): string => {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const own = lines.filter((line) => line.startsWith('root-monitor invoke: '));
  const said = own.length > 0 ? own.map((line) => line.slice(21)) : lines.slice(-1);
  return said.join('; ') || `exit status ${status}`;
};

/**
 * Runs `root-monitor invoke --function ID --event FILE --env-vars ENV` in a child process in
 * `env`: the function's real handler, its settings from the file, its AWS calls to the emulator.
 * Its logs are kept out of sight; only its result, or why there is none, comes back.
 */
export const invokeInEmulator = (
  { functionId, event, envVars }: { functionId: string; event: string; envVars: string },
  env: NodeJS.ProcessEnv,
): Promise<Invocation> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'invoke', '--function', functionId, '--event', event, '--env-vars', envVars],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running = child;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      running = undefined;
      const printed = Buffer.concat(stdout).toString('utf8');
      if (status === 0) {
        try {
          resolve({ ran: true, result: JSON.parse(printed) });
          return;
        } catch {
          // Not the JSON invoke prints: said below as a failure.
        }
      }
      resolve({ ran: false, why: whyFailed(Buffer.concat(stderr).toString('utf8'), status) });
    });
  });
