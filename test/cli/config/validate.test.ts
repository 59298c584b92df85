import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { temporaryDirectory } from '../trail-files.js';

const directory = temporaryDirectory();
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const documentFile = (name: string, document: unknown): string => {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(document, null, 2));
  return path;
};

describe('root-monitor config validate', () => {
  it('lists every problem on its own line, naming the entry and field, and exits 1', async () => {
    const path = documentFile('invalid.json', {
      version: 1,
      allow: [
        { id: 'office', reason: 'office', sourceIps: ['203.0.113.0/24', '10.0.0.0/99'] },
        {
          id: 'weekend',
          reason: 'weekend job',
          eventNames: ['GetBillingData'],
          windows: [{ days: ['Sat'], start: '22:00', end: '26:00', timezone: 'Europe/Berlin' }],
        },
        { id: 'everything', reason: 'too broad' },
      ],
    });

    const result = await runCli(['config', 'validate', path]);
    const lines = result.stdout.trim().split('\n');

    expect(result.status).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^.*invalid\.json: allow\[0\] \("office"\)\.sourceIps\[1\]: .*10\.0\.0\.0\/99/,
    );
    expect(lines[1]).toMatch(/allow\[1\] \("weekend"\)\.windows\[0\]\.end: .*26:00/);
    expect(lines[2]).toMatch(/allow\[2\] \("everything"\): must name at least one of eventNames/);
    expect(result.stderr).toContain('invalid (3 problems)');
  });

  it('accepts a valid document and warns about an expired entry', async () => {
    const path = documentFile('expired.json', {
      version: 1,
      allow: [
        {
          id: 'last-year',
          reason: 'old migration',
          eventNames: ['PutBucketPolicy'],
          expires: '2020-01-01T00:00:00Z',
        },
        { id: 'current', reason: 'billing', eventNames: ['GetBillingData'] },
      ],
    });

    const result = await runCli(['config', 'validate', path]);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^warning: .*allow\[0\] \("last-year"\): expired at 2020-01-01T00:00:00Z/m,
    );
    expect(result.stdout).not.toContain('current');
    expect(result.stderr).toContain('valid, 2 allowlist entries');
  });

  it('names a file it cannot read, and asks for exactly one FILE', async () => {
    const missing = join(directory, 'missing.json');
    const [unreadable, none, two] = await Promise.all([
      runCli(['config', 'validate', missing]),
      runCli(['config', 'validate']),
      runCli(['config', 'validate', missing, missing]),
    ]);

    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toContain(`${missing}: no such file or directory`);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('name the FILE to validate');
    expect(two.status).toBe(2);
  });
});
