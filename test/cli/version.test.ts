import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('root-monitor --version', () => {
  it('prints the version of package.json, for --version and -V', async () => {
    const [long, short] = await Promise.all([runCli(['--version']), runCli(['-V'])]);

    expect(long).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(short).toEqual(long);
  });

  it('finds package.json from wherever it is run, not from the working directory', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version'], {
      cwd: tmpdir(),
    });

    expect(stdout).toBe(`${version}\n`);
  });

  it('is named in the overview', async () => {
    expect((await runCli(['--help'])).stdout).toContain('root-monitor --version');
  });
});
