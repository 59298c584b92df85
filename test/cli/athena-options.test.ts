import { describe, expect, it } from 'vitest';
import { athenaTarget } from '../../src/cli/athena-options.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { runCli } from './run-cli.js';

/** Options that each break one rule, and the usage error that names it. */
const BAD: readonly { name: string; options: readonly string[]; error: string }[] = [
  {
    name: 'no --database',
    options: [],
    error: "give --database DB: the table's Glue database, in lower-case letters, digits and _",
  },
  {
    name: 'a --database with capitals',
    options: ['--database', 'Security'],
    error: '--database must be a Glue database in lower-case letters, digits and _, got "Security"',
  },
  {
    name: 'a --table with a semicolon',
    options: ['--database', 'security', '--table', 'logs;drop'],
    error:
      '--table must be TABLE or DATABASE.TABLE in lower-case letters, digits and _, got "logs;drop"',
  },
  {
    name: 'a --workgroup with a space',
    options: ['--database', 'security', '--workgroup', 'team analysts'],
    error:
      '--workgroup must be an Athena workgroup: 1 to 128 letters, digits, ., _ and -, got "team analysts"',
  },
  {
    name: 'an --output that is not S3',
    options: ['--database', 'security', '--output', 'https://results.example/'],
    error:
      '--output must be s3://BUCKET/PREFIX/, where Athena writes results, got "https://results.example/"',
  },
  {
    name: 'an --output without a bucket',
    options: ['--database', 'security', '--output', 's3://'],
    error: '--output must be s3://BUCKET/PREFIX/, where Athena writes results, got "s3://"',
  },
];

/** The same options' values, as parseOptions hands them over. */
const valuesOf = (options: readonly string[]): Record<string, string> => {
  const values: Record<string, string> = {};
  for (let i = 0; i < options.length; i += 2) {
    values[(options[i] ?? '').replace(/^--/, '')] = options[i + 1] ?? '';
  }
  return values;
};

describe('athenaTarget: the Athena options, checked', () => {
  it('gives the database, the table (cloudtrail_logs by default), workgroup and output', () => {
    expect(athenaTarget({ database: 'security' })).toEqual({
      database: 'security',
      table: 'cloudtrail_logs',
    });
    expect(
      athenaTarget({
        database: 'security',
        table: 'audit.cloudtrail_org',
        workgroup: 'security-team.v2',
        output: 's3://athena-results/root-monitor/',
      }),
    ).toEqual({
      database: 'security',
      table: 'audit.cloudtrail_org',
      workGroup: 'security-team.v2',
      outputLocation: 's3://athena-results/root-monitor/',
    });
  });

  it.each(BAD)('refuses $name with a usage error naming the option', ({ options, error }) => {
    expect(() => athenaTarget(valuesOf(options))).toThrow(new UsageError(error));
  });
});

describe('config diff --athena and athena query refuse the same values with the same usage error', () => {
  it.each(BAD)('$name', async ({ options, error }) => {
    const [diff, query] = await Promise.all([
      runCli([
        'config',
        'diff',
        '--parameter',
        '/root-monitor/config',
        '--history',
        '30',
        '--athena',
        ...options,
        'root-monitor.json',
      ]),
      runCli(['athena', 'query', ...options, '--since', '2026-03-01', '--until', '2026-03-14']),
    ]);

    expect(diff).toMatchObject({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining(`root-monitor config diff: ${error}\n`),
    });
    expect(query).toMatchObject({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining(`root-monitor athena query: ${error}\n`),
    });
  });
});
