import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  diffConfig,
  NO_REASON,
  pushConfig,
  showConfig,
} from '../../../src/cli/config/parameter.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { useMoto } from '../../support/aws-env.js';
import { runCli } from '../run-cli.js';

useMoto();

const client = new SSMClient();
let directory: string;

const parameterName = (): string => `/root-monitor-cli-${randomUUID().slice(0, 8)}/config`;

const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  reason: 'Quarterly billing task, ticket SEC-42',
  eventNames: ['GetBillingData'],
  ...extra,
});

const localFile = async (document: unknown, indent = 2): Promise<string> => {
  const file = join(directory, `${randomUUID().slice(0, 8)}.json`);
  await writeFile(
    file,
    typeof document === 'string' ? document : JSON.stringify(document, null, indent),
  );
  return file;
};

const stored = async (name: string) => {
  const { Parameter } = await client.send(new GetParameterCommand({ Name: name }));
  const { Parameters } = await client.send(
    new DescribeParametersCommand({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
    }),
  );
  return { value: Parameter?.Value, tier: Parameters?.[0]?.Tier, type: Parameters?.[0]?.Type };
};

const putRaw = async (name: string, value: string, tier: 'Standard' | 'Advanced' = 'Standard') => {
  await client.send(
    new PutParameterCommand({
      Name: name,
      Value: value,
      Type: 'String',
      Tier: tier,
      Overwrite: true,
    }),
  );
};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'root-monitor-config-'));
});

describe('pushConfig', () => {
  it('stores a valid document exactly as written, as a standard String parameter', async () => {
    const parameter = parameterName();
    const file = await localFile({ version: 1, allow: [entry('billing')] });

    const outcome = await pushConfig({ parameter, file, reason: 'SEC-42', client });

    expect(outcome).toMatchObject({ pushed: true, tier: 'Standard', warnings: [] });
    expect(await stored(parameter)).toEqual({
      value: JSON.stringify({ version: 1, allow: [entry('billing')] }, null, 2),
      tier: 'Standard',
      type: 'String',
    });
  });

  it('overwrites the stored document', async () => {
    const parameter = parameterName();
    await putRaw(parameter, '{"version": 1}');
    const file = await localFile({ version: 1, dedupMinutes: 30 });

    await pushConfig({ parameter, file, reason: 'fewer repeats', client });

    expect((await stored(parameter)).value).toContain('"dedupMinutes": 30');
  });

  it('refuses an invalid document, listing every problem, and writes nothing', async () => {
    const parameter = parameterName();
    const file = await localFile({
      version: 1,
      allow: [entry('a', { sourceIps: ['10.0.0.0/99'] }), entry('a', { colour: 'red' })],
    });

    const outcome = await pushConfig({ parameter, file, client });

    expect(outcome.pushed).toBe(false);
    const problems = outcome.pushed ? [] : outcome.problems;
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.every((problem) => problem.startsWith(file))).toBe(true);
    expect(problems.join('\n')).toMatch(/sourceIps/);
    expect(problems.join('\n')).toMatch(/colour/);
    await expect(client.send(new GetParameterCommand({ Name: parameter }))).rejects.toThrow();
  });

  it('uses the advanced tier only for a document over 4096 bytes', async () => {
    const parameter = parameterName();
    const reason = 'r'.repeat(4200);
    const file = await localFile({ version: 1, allow: [entry('big', { reason })] });

    const outcome = await pushConfig({ parameter, file, reason: 'SEC-42', client });

    expect(outcome).toMatchObject({ pushed: true, tier: 'Advanced' });
    expect((await stored(parameter)).tier).toBe('Advanced');
  });

  it('refuses a document larger than any parameter, pointing to a path of documents', async () => {
    const parameter = parameterName();
    const file = await localFile({
      version: 1,
      allow: [entry('huge', { reason: 'r'.repeat(9000) })],
    });

    const outcome = await pushConfig({ parameter, file, client });

    expect(outcome).toEqual({
      pushed: false,
      problems: [expect.stringMatching(/more than an SSM parameter holds \(8192\).*ending in \//)],
    });
  });

  it('keeps an advanced parameter advanced, which SSM cannot undo, and says so', async () => {
    const parameter = parameterName();
    await putRaw(parameter, '{"version": 1}', 'Advanced');
    const file = await localFile({ version: 1 });

    const outcome = await pushConfig({ parameter, file, client });

    expect(outcome).toMatchObject({
      pushed: true,
      tier: 'Advanced',
      warnings: [expect.stringContaining('stays in the advanced tier')],
    });
  });

  it('passes on warnings about expired entries', async () => {
    const parameter = parameterName();
    const file = await localFile({
      version: 1,
      allow: [entry('old', { expires: '2020-01-01T00:00:00Z' })],
    });

    const outcome = await pushConfig({ parameter, file, reason: 'SEC-42', client });

    expect(outcome).toMatchObject({ pushed: true, warnings: [expect.stringContaining('expired')] });
  });

  it('names the file it cannot read', async () => {
    const file = join(directory, 'absent.json');

    await expect(pushConfig({ parameter: parameterName(), file, client })).rejects.toThrow(
      `${file}: cannot read`,
    );
  });

  it('refuses a path, which the monitor merges but a push cannot write', async () => {
    const file = await localFile({ version: 1 });

    await expect(pushConfig({ parameter: '/root-monitor/config/', file, client })).rejects.toThrow(
      /names a path/,
    );
  });
});

describe('pushConfig --reason', () => {
  const history = async (name: string) => {
    const { Parameters = [] } = await client.send(new GetParameterHistoryCommand({ Name: name }));
    return Parameters.map(({ Version, Description }) => ({ Version, Description }));
  };

  it('refuses to widen the allowlist without a reason, naming the option and the entry, and writes nothing', async () => {
    const parameter = parameterName();
    await putRaw(parameter, JSON.stringify({ version: 1, allow: [entry('billing')] }));
    const file = await localFile({
      version: 1,
      allow: [entry('billing'), entry('office', { sourceIps: ['203.0.113.0/24'] })],
    });

    const refusal = pushConfig({ parameter, file, client });

    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(/^--reason TEXT is required: .*adds entry "office"/);
    expect(await history(parameter)).toHaveLength(1);
  });

  it('counts a parameter that does not exist as allowing nothing, so a first entry needs a reason', async () => {
    const parameter = parameterName();
    const file = await localFile({ version: 1, allow: [entry('billing')] });

    await expect(pushConfig({ parameter, file, client })).rejects.toThrow(
      /--reason TEXT is required/,
    );
    await expect(client.send(new GetParameterCommand({ Name: parameter }))).rejects.toThrow();
  });

  it('refuses a widened field of an existing entry and a disabled rule, not only new entries', async () => {
    const parameter = parameterName();
    await putRaw(
      parameter,
      JSON.stringify({ version: 1, allow: [entry('office', { sourceIps: ['203.0.113.0/24'] })] }),
    );
    const file = await localFile({
      version: 1,
      rules: { 'root-console-login': { enabled: false } },
      allow: [entry('office', { sourceIps: ['203.0.113.0/16'] })],
    });

    await expect(pushConfig({ parameter, file, client })).rejects.toThrow(
      /widens entry "office".*rules\["root-console-login"\]\.enabled: rule disabled/,
    );
  });

  it('stores the reason as the version description, readable in the parameter history', async () => {
    const parameter = parameterName();
    await putRaw(parameter, JSON.stringify({ version: 1 }));
    const file = await localFile({ version: 1, allow: [entry('billing')] });

    const outcome = await pushConfig({
      parameter,
      file,
      reason: 'Billing export for the audit, ticket SEC-42',
      client,
    });

    expect(outcome).toMatchObject({ pushed: true, version: 2 });
    expect(await history(parameter)).toEqual([
      { Version: 1, Description: undefined },
      { Version: 2, Description: 'Billing export for the audit, ticket SEC-42' },
    ]);
  });

  it('accepts a narrowing push without a reason, replacing the previous reason with a neutral one', async () => {
    const parameter = parameterName();
    const first = await localFile({ version: 1, allow: [entry('billing'), entry('office')] });
    await pushConfig({ parameter, file: first, reason: 'SEC-42', client });
    const narrower = await localFile({ version: 1, allow: [entry('billing')] });

    const outcome = await pushConfig({ parameter, file: narrower, client });

    expect(outcome).toMatchObject({ pushed: true, version: 2 });
    expect((await history(parameter)).map(({ Description }) => Description)).toEqual([
      'SEC-42',
      NO_REASON,
    ]);
  });

  it('refuses an empty reason and one longer than SSM keeps, before reading anything', async () => {
    const parameter = parameterName();
    const file = await localFile({ version: 1 });

    await expect(pushConfig({ parameter, file, reason: '  ', client })).rejects.toThrow(
      '--reason: empty',
    );
    await expect(pushConfig({ parameter, file, reason: 'r'.repeat(1025), client })).rejects.toThrow(
      "--reason: 1025 characters, more than an SSM parameter's description holds (1024)",
    );
    expect(await pushConfig({ parameter, file, reason: 'r'.repeat(1024), client })).toMatchObject({
      pushed: true,
    });
  });

  it('is the --reason option of root-monitor config push; a widening push without it is a usage error', async () => {
    const parameter = parameterName();
    const file = await localFile({ version: 1, allow: [entry('billing')] });

    // Without the list of what it would silence (test/cli/config-impact.test.ts has that).
    const refused = await runCli([
      'config',
      'push',
      '--history',
      '0',
      '--parameter',
      parameter,
      file,
    ]);
    const pushed = await runCli([
      'config',
      'push',
      '--history',
      '0',
      '--parameter',
      parameter,
      '--reason',
      'SEC-42',
      file,
    ]);

    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^root-monitor config push: --reason TEXT is required: /);
    expect(refused.stderr).toContain("Run 'root-monitor config push --help'");
    expect(pushed.status).toBe(0);
    expect(await history(parameter)).toEqual([{ Version: 1, Description: 'SEC-42' }]);
  });
});

describe('pushConfig merged with the documents under a path', () => {
  const pathName = (): string => `/root-monitor-cli-${randomUUID().slice(0, 8)}/config/`;

  it('refuses a document that conflicts with another under the path, naming both, and writes nothing', async () => {
    const path = pathName();
    const parameter = `${path}billing`;
    await putRaw(`${path}team/network`, JSON.stringify({ version: 1, allow: [entry('office')] }));
    await putRaw(
      `${path}tuning`,
      JSON.stringify({
        version: 1,
        dedupMinutes: 30,
        rules: { 'root-activity': { severity: 'LOW' } },
      }),
    );
    const file = await localFile({
      version: 1,
      dedupMinutes: 60,
      rules: { 'root-activity': { enabled: true } },
      allow: [entry('office')],
    });

    const outcome = await pushConfig({ parameter, file, mergedWith: path, client });

    expect(outcome.pushed).toBe(false);
    const problems = outcome.pushed ? [] : outcome.problems;
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(
      expect.stringMatching(/^dedupMinutes: documents disagree \(.*: 60, .*tuning: 30\)/),
    );
    expect(problems).toContainEqual(
      `${path}tuning: rules."root-activity": also set by ${file}; set each rule in one document`,
    );
    expect(problems).toContainEqual(
      `${path}team/network: allow[0] ("office").id: duplicate id, also used at ${file} allow[0]`,
    );
    await expect(client.send(new GetParameterCommand({ Name: parameter }))).rejects.toThrow();
  });

  it("validates the document in place of the parameter's stored one, and pushes when the set agrees", async () => {
    const path = pathName();
    const parameter = `${path}billing`;
    await putRaw(parameter, JSON.stringify({ version: 1, allow: [entry('billing')] }));
    await putRaw(`${path}other`, JSON.stringify({ version: 1, allow: [entry('other')] }));
    const file = await localFile({ version: 1, allow: [entry('billing', { reason: 'renewed' })] });

    const outcome = await pushConfig({ parameter, file, mergedWith: path, client });

    expect(outcome).toMatchObject({ pushed: true, warnings: [] });
    expect((await stored(parameter)).value).toContain('renewed');
  });

  it('refuses when another document under the path is invalid, naming it', async () => {
    const path = pathName();
    await putRaw(`${path}broken`, '{"version": 1, "allow": [');
    const file = await localFile({ version: 1 });

    const outcome = await pushConfig({ parameter: `${path}mine`, file, mergedWith: path, client });

    expect(outcome).toEqual({
      pushed: false,
      problems: [expect.stringMatching(new RegExp(`^${path}broken: not valid JSON`))],
    });
  });

  it('is the --merged-with option of root-monitor config push', async () => {
    const path = pathName();
    await putRaw(`${path}other`, JSON.stringify({ version: 1, dedupMinutes: 30 }));
    const file = await localFile({ version: 1, dedupMinutes: 60 });
    const parameter = `${path}mine`;

    const result = await runCli([
      'config',
      'push',
      '--parameter',
      parameter,
      '--merged-with',
      path,
      file,
    ]);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^dedupMinutes: documents disagree/);
    expect(result.stderr).toContain(`${file}: not pushed; ${parameter} is unchanged`);
  });

  it('refuses a path without its final / and a parameter outside the path', async () => {
    const path = pathName();
    const file = await localFile({ version: 1 });

    await expect(
      pushConfig({ parameter: `${path}mine`, file, mergedWith: path.slice(0, -1), client }),
    ).rejects.toThrow(/--merged-with .*: must be the path the monitor reads .*ending in \//);
    await expect(
      pushConfig({ parameter: '/elsewhere/mine', file, mergedWith: path, client }),
    ).rejects.toThrow(`--parameter /elsewhere/mine: not under --merged-with ${path}`);
  });
});

describe('showConfig', () => {
  it('prints the stored document pretty, with terminal-rewriting characters escaped', async () => {
    const parameter = parameterName();
    await putRaw(parameter, '{"version":1,"allow":[{"id":"x\u202ey","reason":"r\u009b2J"}]}');

    const shown = await showConfig({ parameter, client });

    expect(shown).toBe(
      [
        '{',
        '  "version": 1,',
        '  "allow": [',
        '    {',
        '      "id": "x\\u202ey",',
        '      "reason": "r\\u009b2J"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('shows a stored document that is not JSON as it is, escaped', async () => {
    const parameter = parameterName();
    await putRaw(parameter, '{"version": 1,\n\u001b[2J');

    expect(await showConfig({ parameter, client })).toBe('{"version": 1,\n\\u001b[2J\n');
  });

  it('names a parameter that does not exist', async () => {
    const parameter = parameterName();

    await expect(showConfig({ parameter, client })).rejects.toThrow(
      `${parameter}: no such parameter`,
    );
  });
});

describe('diffConfig', () => {
  it('reports no difference when only the formatting differs', async () => {
    const parameter = parameterName();
    await putRaw(parameter, JSON.stringify({ version: 1, allow: [entry('a')] }));
    const file = await localFile({ version: 1, allow: [entry('a')] }, 4);

    expect(await diffConfig({ parameter, file, client })).toEqual({ exitCode: 0, text: '' });
  });

  it('shows a changed line as a unified diff and exits 1', async () => {
    const parameter = parameterName();
    await putRaw(parameter, JSON.stringify({ version: 1, dedupMinutes: 15 }));
    const file = await localFile({ version: 1, dedupMinutes: 30 });

    const outcome = await diffConfig({ parameter, file, client });

    expect(outcome).toEqual({
      exitCode: 1,
      text: [
        `--- ${parameter} (SSM)`,
        `+++ ${file}`,
        '@@ -1,4 +1,4 @@',
        ' {',
        '   "version": 1,',
        '-  "dedupMinutes": 15',
        '+  "dedupMinutes": 30',
        ' }',
        '',
      ].join('\n'),
    });
  });

  it('keeps changes far apart in separate hunks, with three lines of context, as diff -u does', async () => {
    const parameter = parameterName();
    const allow = [...'abcdef'].map((id) => ({ id, reason: 'r', eventNames: ['GetBillingData'] }));
    await putRaw(parameter, JSON.stringify({ version: 1, dedupMinutes: 15, allow }));
    const changed = allow.map((one) => (one.id === 'f' ? { ...one, reason: 'changed' } : one));
    const file = await localFile({ version: 1, dedupMinutes: 30, allow: changed });

    const outcome = await diffConfig({ parameter, file, client });

    // What `diff -u` prints for the two pretty-printed documents.
    expect(outcome.text).toBe(
      [
        `--- ${parameter} (SSM)`,
        `+++ ${file}`,
        '@@ -1,6 +1,6 @@',
        ' {',
        '   "version": 1,',
        '-  "dedupMinutes": 15,',
        '+  "dedupMinutes": 30,',
        '   "allow": [',
        '     {',
        '       "id": "a",',
        '@@ -39,7 +39,7 @@',
        '     },',
        '     {',
        '       "id": "f",',
        '-      "reason": "r",',
        '+      "reason": "changed",',
        '       "eventNames": [',
        '         "GetBillingData"',
        '       ]',
        '',
      ].join('\n'),
    );
  });

  it('quotes a file name holding characters that could rewrite the terminal', async () => {
    const parameter = parameterName();
    const hostile = join(directory, 'x\u001b[2J\u202e.json');
    await writeFile(hostile, JSON.stringify({ version: 1, dedupMinutes: 30 }));

    const outcome = await diffConfig({ parameter, file: hostile, client });

    expect(outcome.text).toContain(`+++ "${directory}/x\\033[2J\\342\\200\\256.json"\n`);
    expect(outcome.text).not.toContain('\u001b');
    expect(outcome.text).not.toContain('\u202e');
  });

  it('diffs against nothing when the parameter does not exist yet', async () => {
    const parameter = parameterName();
    const file = await localFile({ version: 1 });

    const outcome = await diffConfig({ parameter, file, client });

    expect(outcome.exitCode).toBe(1);
    expect(outcome.text).toBe(
      `--- ${parameter} (SSM, does not exist)\n+++ ${file}\n@@ -0,0 +1,3 @@\n+{\n+  "version": 1\n+}\n`,
    );
  });
});
