import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to install the Python tools: moto's server, and for the tests cfn-lint and the SAM translator. */
export const INSTALL_HINT = 'python3 -m pip install -r requirements-dev.txt';

/** How long moto's server may take to answer after it starts. */
const START_TIMEOUT_MS = 30_000;

/** Asks the kernel for a free loopback port. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

/** The last line of a text that says something: a traceback's ends with the error. */
const lastLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1) ?? '';

/** Why moto's server cannot start here, in one line with the fix; undefined when it can. */
const missingMoto = (): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import moto.server, flask'], { encoding: 'utf8' });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return `python3 is not on PATH; install Python 3, then moto's server with: ${INSTALL_HINT}`;
  }
  if (probe.status !== 0) {
    const reason = lastLine(probe.stderr ?? '') || probe.error?.message || `exit ${probe.status}`;
    return `moto's server (the AWS API emulator) is not installed for python3 (${reason}); install it with: ${INSTALL_HINT}`;
  }
  return undefined;
};

const waitUntilUp = async (endpoint: string, server: ChildProcess): Promise<void> => {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`moto.server exited (${server.exitCode ?? server.signalCode})`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto.server did not answer at ${endpoint} within ${START_TIMEOUT_MS / 1000} s`);
};

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /**
   * The account every request is made in (moto's `MOTO_ACCOUNT_ID`, which its server reads for
   * each request ahead of the `x-moto-account-id` header), so that resources get the ARNs a
   * settings file names. Without it, moto's default account, and a test may pick one per
   * request with that header.
   */
  accountId?: string;
}

/**
 * Starts moto's server on a free loopback port: a real AWS API emulator spoken to over the
 * wire by the real SDK clients.
 *
 * @throws Error in one line naming the fix when python3 or moto's server is missing
 */
export const startMoto = async ({ accountId }: MotoOptions = {}): Promise<MotoServer> => {
  const missing = missingMoto();
  if (missing !== undefined) throw new Error(missing);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its log (a line per request) goes to a file, not a pipe: a pipe is drained only while this
  // process's event loop runs, and a caller blocked in spawnSync would let it fill until moto
  // stopped answering.
  const logDirectory = mkdtempSync(join(tmpdir(), 'moto-'));
  const logPath = join(logDirectory, 'server.log');
  const log = openSync(logPath, 'w');
  const env = { ...process.env };
  // One set in the shell would override the header the tests choose their accounts with.
  delete env.MOTO_ACCOUNT_ID;
  if (accountId !== undefined) env.MOTO_ACCOUNT_ID = accountId;
  const server = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', log],
    env,
  });
  closeSync(log);
  const removeLog = () => rmSync(logDirectory, { recursive: true, force: true });
  try {
    await waitUntilUp(endpoint, server);
  } catch (error) {
    server.kill('SIGKILL');
    const said = lastLine(readFileSync(logPath, 'utf8'));
    removeLog();
    throw new Error(`${(error as Error).message}${said === '' ? '' : `: ${said}`}`);
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          removeLog();
          resolve();
        };
        if (server.exitCode !== null || server.signalCode !== null) return done();
        server.once('exit', done);
        server.kill('SIGTERM');
      }),
  };
};
