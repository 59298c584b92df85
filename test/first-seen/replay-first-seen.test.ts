import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { logFile, rootRecord, temporaryDirectory, writeFile } from '../cli/trail-files.js';

const MARK = 'first seen in this archive';

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

/** The text table's event lines, by event id: the note each ends with, or '' without one. */
const notesById = (stdout: string): Record<string, string> => {
  const [header = '', ...lines] = stdout.split('\n\n')[0]?.split('\n') ?? [];
  const noteAt = header.indexOf('NOTE');
  return Object.fromEntries(
    lines.map((line) => {
      const cells = line.split(/ {2,}/);
      const id = cells[8] ?? '';
      return [id, noteAt < 0 ? '' : line.slice(noteAt).trim()];
    }),
  );
};

/** A root call at 10:`minute` UTC from `sourceIPAddress`. */
const callAt = (eventID: string, minute: number, sourceIPAddress: string, fields = {}) =>
  rootRecord({
    eventID,
    eventTime: `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`,
    sourceIPAddress,
    ...fields,
  });

describe('replay marks the first alert of each source in the archive, and raises nothing', () => {
  it('marks the earliest alert of a source in the table, though a later one was read first', async () => {
    const root = temporaryDirectory();
    // Path order reads the later call first, as an archive's Regions or accounts may.
    writeFile(root, 'a/later.json', logFile([callAt('later', 40, '198.51.100.7')]));
    // An alert of its own, rather than an event the later call's window counts.
    writeFile(
      root,
      'b/earlier.json',
      logFile([
        callAt('earlier', 0, '198.51.100.7', {
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateAccessKey',
        }),
      ]),
    );

    const text = await runCli(['replay', root]);
    const json = await runCli(['replay', '--format', 'json', root]);

    expect(notesById(text.stdout)).toEqual({ earlier: MARK, later: '' });
    // JSON streams in file order: each event that no earlier one read before had the mark.
    expect(jsonLines(json.stdout)).toEqual([
      expect.objectContaining({ eventId: 'later', severity: 'HIGH', firstSeen: MARK }),
      expect.objectContaining({ eventId: 'earlier', severity: 'CRITICAL', firstSeen: MARK }),
    ]);
  });

  it('takes an IPv6 address’s /64 as one source, each account apart', async () => {
    const root = temporaryDirectory();
    const path = writeFile(
      root,
      'calls.json',
      logFile([
        callAt('v6-a', 0, '2001:db8:4f2a::17'),
        callAt('v6-b', 20, '2001:db8:4f2a::99'),
        callAt('v6-other-64', 40, '2001:db8:4f2b::17'),
        callAt('other-account', 50, '2001:db8:4f2a::17', { recipientAccountId: '444455556666' }),
      ]),
    );

    const json = jsonLines((await runCli(['replay', '--format', 'json', path])).stdout);

    expect(json.map((line) => [line.eventId, line.firstSeenSource])).toEqual([
      ['v6-a', '2001:db8:4f2a::/64'],
      ['v6-b', undefined],
      ['v6-other-64', '2001:db8:4f2b::/64'],
      ['other-account', '2001:db8:4f2a::/64'],
    ]);
  });

  it('leaves out allowlisted events, AWS-internal sources and failed sign-ins', async () => {
    const root = temporaryDirectory();
    const config = join(root, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        allow: [{ id: 'office', reason: 'office network', sourceIps: ['198.51.100.0/24'] }],
      }),
    );
    const path = writeFile(
      root,
      'calls.json',
      logFile([
        callAt('allowlisted', 0, '198.51.100.7'),
        // No entry silences root creating an access key: the office's first alert.
        callAt('locked', 10, '198.51.100.7', {
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateAccessKey',
        }),
        callAt('internal', 20, 'AWS Internal'),
        callAt('guess', 30, '203.0.113.50', {
          eventSource: 'signin.amazonaws.com',
          eventName: 'ConsoleLogin',
          eventType: 'AwsConsoleSignIn',
          responseElements: { ConsoleLogin: 'Failure' },
          errorMessage: 'Failed authentication',
        }),
        // The guesser signs in: its address is new to root.
        callAt('signed-in', 40, '203.0.113.50', {
          eventSource: 'signin.amazonaws.com',
          eventName: 'ConsoleLogin',
          eventType: 'AwsConsoleSignIn',
          responseElements: { ConsoleLogin: 'Success' },
        }),
      ]),
    );

    const json = jsonLines(
      (await runCli(['replay', '--format', 'json', '--config', config, path])).stdout,
    );

    expect(json.map((line) => [line.eventId, line.decision, line.firstSeen])).toEqual([
      ['allowlisted', 'allowlisted', undefined],
      ['locked', 'alert', MARK],
      ['internal', 'alert', undefined],
      ['guess', 'alert', undefined],
      ['signed-in', 'alert', MARK],
    ]);
  });
});
