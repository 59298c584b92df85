import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { ACCOUNT, logFile, rootRecord, temporaryDirectory, writeFile } from './trail-files.js';

const OFFICE_IP = '198.51.100.7';
const OTHER_IP = '203.0.113.9';
const KEY = `root-activity#${ACCOUNT}#${OFFICE_IP}`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Each file under its own directory, written in the order given (replay reads paths sorted). */
const archiveOf = (files: Record<string, readonly Record<string, unknown>[]>): string => {
  const root = temporaryDirectory();
  roots.push(root);
  for (const [name, records] of Object.entries(files)) writeFile(root, name, logFile(records));
  return root;
};

const at = (minute: number, second = 0): string =>
  `2026-10-01T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;

const call = (
  eventID: string,
  minute: number,
  fields: Record<string, unknown> = {},
): Record<string, unknown> =>
  rootRecord({ eventID, eventTime: at(minute), sourceIPAddress: OFFICE_IP, ...fields });

/**
 * Root's first call alerts and opens a 15-minute window; five more from the same address within
 * it are counted (two of them refused); a root access key created meanwhile alerts on its own;
 * the call at 10:20 comes after the window closed.
 */
const session = [
  call('opener', 0),
  call('listed-buckets', 1, { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }),
  call('summary-refused', 2, {
    eventSource: 'iam.amazonaws.com',
    eventName: 'GetAccountSummary',
    awsRegion: 'us-east-1',
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized',
  }),
  call('described', 3),
  call('key-created', 4, {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    requestParameters: null,
    readOnly: false,
  }),
  call('users-refused', 5, {
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    errorCode: 'AccessDenied',
  }),
  call('described-again', 6),
  call('next', 20),
];

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const order = (stdout: string): string[] =>
  jsonLines(stdout).map((line) =>
    line.decision === 'digest' ? `digest:${line.events}` : `${line.eventId}:${line.decision}`,
  );

describe('root-monitor replay: window digests', () => {
  it('prints the digest of a closed window after the events it counted and before the next', async () => {
    const root = archiveOf({ 'a.json': session });

    const result = await runCli(['replay', '--format', 'json', root]);

    expect(result.status).toBe(0);
    expect(order(result.stdout)).toEqual([
      'opener:alert',
      'listed-buckets:duplicate',
      'summary-refused:duplicate',
      'described:duplicate',
      'key-created:alert',
      'users-refused:duplicate',
      'described-again:duplicate',
      'digest:5',
      'next:alert',
    ]);
    expect(result.stderr).toContain(
      '8 root events: 3 alerts, 0 allowlisted, 5 duplicates, 1 digest,',
    );
  });

  it('gives the digest as one JSON object with its key, times and counts, and no eventId', async () => {
    const root = archiveOf({ 'a.json': session });

    const result = await runCli(['replay', '--format', 'json', root]);

    const digestLine = result.stdout.split('\n').find((line) => line.includes('"digest"')) ?? '';
    expect(digestLine).not.toContain('eventId');
    expect(JSON.parse(digestLine)).toEqual({
      decision: 'digest',
      dedupKey: KEY,
      severity: 'HIGH',
      ruleIds: ['root-activity'],
      accountId: ACCOUNT,
      sourceIp: OFFICE_IP,
      windowOpenedAt: at(0),
      windowClosesAt: at(15),
      firstEventTime: at(1),
      lastEventTime: at(6),
      events: 5,
      failed: 2,
      eventNames: {
        DescribeInstances: 2,
        GetAccountSummary: 1,
        ListBuckets: 1,
        ListUsers: 1,
      },
      unmatched: [
        {
          eventTime: at(1),
          eventName: 'ListBuckets',
          eventSource: 's3.amazonaws.com',
          region: 'eu-west-1',
        },
        {
          eventTime: at(2),
          eventName: 'GetAccountSummary',
          eventSource: 'iam.amazonaws.com',
          region: 'us-east-1',
          errorCode: 'AccessDenied',
        },
        {
          eventTime: at(3),
          eventName: 'DescribeInstances',
          eventSource: 'ec2.amazonaws.com',
          region: 'eu-west-1',
        },
        {
          eventTime: at(5),
          eventName: 'ListUsers',
          eventSource: 'iam.amazonaws.com',
          region: 'us-east-1',
          errorCode: 'AccessDenied',
        },
        {
          eventTime: at(6),
          eventName: 'DescribeInstances',
          eventSource: 'ec2.amazonaws.com',
          region: 'eu-west-1',
        },
      ],
      reportedBefore: 0,
      beforeAlert: 0,
    });
  });

  it('prints the digest in text where its window closed, and counts it in the table', async () => {
    const root = archiveOf({ 'a.json': session });

    const result = await runCli(['replay', root]);
    const lines = result.stdout.split('\n');

    const digestAt = lines.findIndex((line) => / digest /.test(line));
    expect(lines[digestAt - 1]).toMatch(/^2026-10-01 10:06:00 +duplicate /);
    expect(lines[digestAt]?.split(/ {2,}/)).toEqual([
      '2026-10-01 10:15:00',
      'digest',
      'HIGH',
      'root-activity',
      ACCOUNT,
      '-',
      '5 events',
      OFFICE_IP,
      '-',
      'window opened by opener',
    ]);
    expect(lines[digestAt + 1]).toMatch(/^2026-10-01 10:20:00 +alert /);
    expect(result.stdout).toMatch(/^RULE +ALERT +ALLOWLISTED +DUPLICATE +TOTAL +DIGESTS$/m);
    expect(result.stdout).toMatch(/^root-activity +2 +0 +5 +7 +1$/m);
    expect(result.stdout).toMatch(/^111122223333 +3 +0 +5 +8 +1$/m);
  });

  it('prints the digest message in email, as the Lambda sends it', async () => {
    const root = archiveOf({ 'a.json': session });

    const result = await runCli(['replay', '--format', 'email', root]);

    expect(result.stdout).toContain(
      'Subject: [HIGH] Root window digest: 5 root events after the alert - 111122223333 198.51.100.7',
    );
    expect(result.stdout).toContain('followed the alert for event opener at 2026-10-01T10:00:00Z');
    expect(result.stdout).toContain('        1  AccessDenied on GetAccountSummary');
    const digestAt = result.stdout.indexOf('Root window digest');
    expect(result.stdout.indexOf('collapsed into the alert for event opener')).toBeLessThan(
      digestAt,
    );
    expect(result.stdout.indexOf('2026-10-01T10:20:00Z')).toBeGreaterThan(digestAt);
  });

  it('prints the digest of a window still open when the archive ends, at the end', async () => {
    const root = archiveOf({ 'a.json': session.slice(0, 3) });

    const [json, text] = await Promise.all([
      runCli(['replay', '--format', 'json', root]),
      runCli(['replay', root]),
    ]);

    expect(order(json.stdout)).toEqual([
      'opener:alert',
      'listed-buckets:duplicate',
      'summary-refused:duplicate',
      'digest:2',
    ]);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ windowClosesAt: at(15), failed: 1 });
    const lines = text.stdout.split('\n');
    expect(lines[3]).toMatch(/^2026-10-01 10:02:00 +duplicate /);
    expect(lines[4]).toMatch(/^2026-10-01 10:15:00 +digest +HIGH +root-activity .* 2 events /);
    expect(lines[5]).toBe('');
    expect(lines[6]).toMatch(/^RULE /);
  });

  it('sends a follow-up digest for an event counted after its window was reported', async () => {
    // Paths are read sorted: a later file brings a call from 10:03 after 10:20 closed the window.
    const root = archiveOf({
      '1/a.json': session.slice(0, 2),
      '2/b.json': [call('elsewhere', 20, { sourceIPAddress: OTHER_IP })],
      '3/c.json': [call('delivered-late', 3)],
    });

    const result = await runCli(['replay', '--format', 'json', root]);
    const lines = jsonLines(result.stdout);

    expect(order(result.stdout)).toEqual([
      'opener:alert',
      'listed-buckets:duplicate',
      'digest:1',
      'elsewhere:alert',
      'delivered-late:duplicate',
      'digest:1',
    ]);
    expect(lines[2]).toMatchObject({ reportedBefore: 0, eventNames: { ListBuckets: 1 } });
    expect(lines[5]).toMatchObject({
      dedupKey: KEY,
      reportedBefore: 1,
      eventNames: { DescribeInstances: 1 },
    });

    const text = await runCli(['replay', root]);
    expect(text.stdout).toMatch(/ digest .* 1 more event .* follow-up: 1 reported before$/m);
  });
});
