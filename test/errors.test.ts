import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AthenaQueryError } from '../src/aws/athena/query-rows.js';
import { ConfigSourceError } from '../src/aws/config-source.js';
import { UsageError } from '../src/cli/usage-error.js';
import { describeError, RootMonitorError } from '../src/errors.js';
import { StackTemplateError } from '../src/health/deployed-stack.js';
import { HealthAlertNotSentError } from '../src/health/scheduled-check.js';
import { InputError } from '../src/intake/input-error.js';
import { NotATrailLogError } from '../src/intake/trail-log-stream.js';
import { ClaimInFlightError } from '../src/pipeline/settle-claim.js';
import { LogFileError } from '../src/pipeline/trail-file-backstop.js';
import { SettingsError } from '../src/settings.js';
import { REPO_ROOT } from './deploy/cloudformation-template.js';
import { tsFilesUnder } from './support/import-graph.js';

/** Every error of the project, as it is raised, with the line `describeError` logs for it. */
const RAISED: readonly [Error, string][] = [
  [new SettingsError('Missing X'), 'SettingsError: Missing X'],
  [
    new ConfigSourceError('/root-monitor/config', new Error('Rate exceeded')),
    'ConfigSourceError: Cannot read configuration parameter /root-monitor/config: Error: Rate exceeded',
  ],
  [new AthenaQueryError('query failed'), 'AthenaQueryError: query failed'],
  [
    new ClaimInFlightError('root-activity#111122223333#198.51.100.7', Date.UTC(2026, 2, 1)),
    'ClaimInFlightError: The alert for root-activity#111122223333#198.51.100.7 is still being sent by another invocation (lease until 2026-03-01T00:00:00.000Z); failing so that Lambda retries this event',
  ],
  [
    new LogFileError(
      's3://trail/a.json.gz',
      Object.assign(new Error('bad'), { code: 'Z_DATA_ERROR' }),
    ),
    'LogFileError: s3://trail/a.json.gz: corrupt gzip data (bad)',
  ],
  [new UsageError('name the FILE'), 'UsageError: name the FILE'],
  [new HealthAlertNotSentError('2 alerts unsent'), 'HealthAlertNotSentError: 2 alerts unsent'],
  [new StackTemplateError('no such resource'), 'StackTemplateError: no such resource'],
  [new InputError('event: expected a JSON object'), 'InputError: event: expected a JSON object'],
  [new NotATrailLogError('not a log'), 'NotATrailLogError: not a log'],
];

describe('Class: RootMonitorError', () => {
  it('is the base of every error class in src/', () => {
    const declared = new Map<string, string>();
    for (const file of tsFilesUnder(join(REPO_ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, name, base] of text.matchAll(/\bclass (\w+) extends (\w+)/g)) {
        declared.set(name as string, `${base} in ${relative(REPO_ROOT, file)}`);
      }
    }
    const errors = [...declared.keys()].filter((name) => /Error$/.test(name));
    const reachesBase = (name: string): boolean => {
      if (name === 'RootMonitorError') return true;
      const base = declared.get(name)?.split(' ')[0];
      return base !== undefined && reachesBase(base);
    };

    expect(errors.length).toBeGreaterThanOrEqual(RAISED.length + 1);
    expect(
      errors
        .filter((name) => !reachesBase(name))
        .map((name) => `${name} extends ${declared.get(name)}`),
    ).toEqual([]);
    // Each one is constructed below.
    expect(errors.filter((name) => name !== 'RootMonitorError').sort()).toEqual(
      RAISED.map(([error]) => error.constructor.name).sort(),
    );
  });

  it.each(RAISED.map(([error, line]) => [error.constructor.name, error, line] as const))(
    '%s is a RootMonitorError named for its class, with its message as before',
    (className, error, line) => {
      expect(error).toBeInstanceOf(RootMonitorError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(className);
      expect(describeError(error)).toBe(line);
    },
  );

  it('keeps the subclass a caller tests for', () => {
    expect(new NotATrailLogError('x')).toBeInstanceOf(InputError);
    expect(new InputError('x')).not.toBeInstanceOf(UsageError);
  });
});
