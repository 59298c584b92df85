import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { runCli } from './run-cli.js';

const at = (id: string, minute: number) =>
  rootRecord({ eventID: id, eventTime: `2026-03-14T03:${String(minute).padStart(2, '0')}:00Z` });

describe('root-monitor replay: late events', () => {
  it('alerts an event older than its key’s window on its own, as the Lambda does', async () => {
    // In file order: the window opens at 03:10, a redriven event from 03:00 comes after it.
    const path = join(mkdtempSync(join(tmpdir(), 'root-monitor-late-')), 'events.jsonl');
    writeFileSync(
      path,
      `${[at('opener', 10), at('older', 0), at('later', 12)].map((record) => JSON.stringify(record)).join('\n')}\n`,
    );

    const result = await runCli(['replay', '--format', 'json', path]);

    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ eventId: 'opener', decision: 'alert', suppressedBefore: 0 }),
      expect.objectContaining({ eventId: 'older', decision: 'alert', arrivedLateSeconds: 600 }),
      expect.objectContaining({ eventId: 'later', decision: 'duplicate' }),
      // The window counted the later event, not the older one.
      expect.objectContaining({ decision: 'digest', events: 1, eventNames: { ListUsers: 1 } }),
    ]);
    expect(lines[0]).not.toHaveProperty('arrivedLateSeconds');
  });
});
