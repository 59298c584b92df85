import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to install the Python tools the tests run (moto's server, cfn-lint, the SAM translator). */
export const INSTALL_HINT = 'python3 -m pip install -r requirements-dev.txt';

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

const waitUntilUp = async (endpoint: string, server: ChildProcess): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`moto.server exited with code ${server.exitCode}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto.server did not answer at ${endpoint} within 30 s`);
};

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts moto's server on a free loopback port: a real AWS API emulator spoken to over the
 * wire by the real SDK clients.
 */
export const startMoto = async (): Promise<MotoServer> => {
  const probe = spawnSync('python3', ['-c', 'import moto.server, flask'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `moto's server is not installed for python3 (${probe.stderr.trim() || probe.error?.message}). Install it with: ${INSTALL_HINT}`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its log (a line per request) goes to a file, not a pipe: a pipe is drained only while this
  // process's event loop runs, and a caller blocked in spawnSync would let it fill until moto
  // stopped answering.
  const logDirectory = mkdtempSync(join(tmpdir(), 'moto-'));
  const logPath = join(logDirectory, 'server.log');
  const log = openSync(logPath, 'w');
  const server = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', log],
  });
  closeSync(log);
  try {
    await waitUntilUp(endpoint, server);
  } catch (error) {
    server.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${readFileSync(logPath, 'utf8').slice(-4000)}`);
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          rmSync(logDirectory, { recursive: true, force: true });
          resolve();
        };
        if (server.exitCode !== null) return done();
        server.once('exit', done);
        server.kill('SIGTERM');
      }),
  };
};
