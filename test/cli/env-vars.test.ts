import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvVars } from '../../src/cli/env-vars.js';
import { runCli } from './run-cli.js';

const envFile = (content: object): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'env-vars-')), 'env.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('readEnvVars', () => {
  it("takes the first function, not SAM's shared Parameters, and lays its own over them", async () => {
    const path = envFile({
      Parameters: { POWERTOOLS_LOG_LEVEL: 'INFO', AWS_REGION: 'eu-west-1' },
      RootMonitorFunction: { POWERTOOLS_LOG_LEVEL: 'DEBUG', DEDUP_TABLE_NAME: 'dedup' },
    });

    expect(await readEnvVars(path, undefined)).toEqual({
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      DEDUP_TABLE_NAME: 'dedup',
    });
  });

  it('refuses Parameters named as the function, and a file with no function', async () => {
    const path = envFile({ Parameters: { AWS_REGION: 'eu-west-1' } });

    await expect(readEnvVars(path, undefined)).rejects.toThrow(/no function \(any\); it has none/);
    await expect(readEnvVars(path, 'Parameters')).rejects.toThrow(/no function "Parameters"/);
  });
});

describe('root-monitor invoke --function', () => {
  it("names a function of template.yaml: another is a usage error listing the template's", async () => {
    const { status, stderr } = await runCli([
      'invoke',
      '--event',
      'events/alert-access-key-created.json',
      '--function',
      'RootMonitorFunctoin',
    ]);

    expect(status).toBe(2);
    expect(stderr).toContain('template.yaml has no function "RootMonitorFunctoin"');
    expect(stderr).toContain('RootMonitorFunction, TrailFileFunction, GuardFunction');
  });
});
