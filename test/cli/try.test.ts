import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import { type CliResult, runCli } from './run-cli.js';

/**
 * Integration, and the CI's smoke test of a fresh clone: `root-monitor try` starts its own moto
 * server (not the suite's), makes env.json's resources there and runs two samples through the
 * real-time function.
 */
const ALERTING = 'events/alert-console-login-without-mfa.json';
const IGNORED = 'events/ignored-iam-user.json';

/** The lines a sample's own line is followed by: the messages that reached a topic. */
const afterSample = (stdout: string, sample: string): string[] => {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${sample} → `));
  expect(at, `a line for ${sample}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > at && !line.startsWith('  '));
  return lines.slice(at, end < 0 ? undefined : end);
};

/** The output docs/try-it.md shows under `npm run try`, but its last line, which counts every sample. */
const documentedSample = (): string[] => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'try-it.md'), 'utf8');
  const command = page.indexOf('npm run try\n');
  expect(command, 'docs/try-it.md shows npm run try').toBeGreaterThanOrEqual(0);
  const start = page.indexOf('```\n', page.indexOf('```\n', command) + 4) + 4;
  return page
    .slice(start, page.indexOf('```', start))
    .split('\n')
    .filter((line) => line !== '' && line !== '...')
    .slice(0, -1);
};

describe('root-monitor try', () => {
  let run: CliResult;

  beforeAll(async () => {
    // Relative paths, as a user types them in the clone, and as docs/try-it.md shows them.
    run = await runCli(['try', ALERTING, IGNORED], undefined, { cwd: REPO_ROOT });
  }, 60_000);

  it('shows the alert sample reaching the alert topic, and nothing for the ignored one', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(afterSample(run.stdout, ALERTING)).toEqual([
      `${ALERTING} → RootMonitorFunction: alert CRITICAL root-console-login-without-mfa`,
      expect.stringMatching(
        // A fresh emulator is a new deployment: it learns the sources root uses first.
        /^ {2}→ root-monitor-local-alerts \(severity CRITICAL\): \[CRITICAL\] Root console sign-in without MFA - 111122223333 us-east-1 \(first seen, learning\)$/,
      ),
    ]);
    expect(afterSample(run.stdout, IGNORED)).toEqual([
      `${IGNORED} → RootMonitorFunction: ignored (identity type is IAMUser)`,
      '  nothing reached a topic',
    ]);
    expect(run.stdout).toMatch(
      /^2 samples in \d+ s: 1 alert, 1 ignored; messages: 1 to root-monitor-local-alerts, 0 to root-monitor-local-alarms\.$/m,
    );
  });

  it('prints every line docs/try-it.md shows for those samples, in the same order', () => {
    const printed = run.stdout.split('\n');
    const shown = documentedSample();
    expect(shown.length).toBeGreaterThan(5);
    let at = -1;
    for (const line of shown) {
      const found = printed.indexOf(line, at + 1);
      expect(found, line).toBeGreaterThan(at);
      at = found;
    }
  });
});

describe('root-monitor try without the emulator', () => {
  /** A PATH whose python3 is `script`, or that has none. */
  const pathWith = (script?: string): string => {
    const bin = mkdtempSync(join(tmpdir(), 'root-monitor-path-'));
    if (script !== undefined) {
      writeFileSync(join(bin, 'python3'), script);
      chmodSync(join(bin, 'python3'), 0o755);
    }
    return bin;
  };

  it('names python3 and the install command in one line when there is no python3', async () => {
    const { status, stdout, stderr } = await runCli(['try', IGNORED], undefined, {
      env: { ...process.env, PATH: pathWith() },
    });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "root-monitor try: python3 is not on PATH; install Python 3, then moto's server with: python3 -m pip install -r requirements-dev.txt\n",
    );
    expect(stdout).not.toContain('→');
  });

  it("names moto and the install command in one line when python3 cannot import moto's server", async () => {
    // What python3 prints, last, when the module is not installed.
    const python = `#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho "ModuleNotFoundError: No module named 'moto'" >&2\nexit 1\n`;
    const { status, stderr } = await runCli(['try', IGNORED], undefined, {
      env: { ...process.env, PATH: pathWith(python) },
    });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "root-monitor try: moto's server (the AWS API emulator) is not installed for python3 (ModuleNotFoundError: No module named 'moto'); install it with: python3 -m pip install -r requirements-dev.txt\n",
    );
  });

  it('refuses an invalid --config, naming its problems, before starting anything', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'root-monitor-config-')), 'config.json');
    writeFileSync(config, JSON.stringify({ version: 1, allow: [{ id: 'x', eventName: 'X' }] }));
    const { status, stdout, stderr } = await runCli(['try', '--config', config, IGNORED]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('is not a valid configuration');
    expect(stderr).toContain('eventName');
  });

  it('names a sample it cannot read before starting anything', async () => {
    const { status, stdout, stderr } = await runCli(['try', join(REPO_ROOT, 'events/none.json')]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^root-monitor try: .*events\/none\.json: no such file or directory\n$/);
  });
});

describe('root-monitor --help', () => {
  it('lists try, which has its own help', async () => {
    const [overview, help] = await Promise.all([runCli(['--help']), runCli(['try', '--help'])]);
    expect(overview.stdout).toMatch(/^ {2}try {2,}try the monitor locally/m);
    expect(help.stdout).toMatch(/^Usage: root-monitor try \[--config FILE\] \[FILE\.\.\.\]\n/);
  });
});
