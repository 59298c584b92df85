import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../bench/generate-archive.js';
import { BIN, runCli } from '../run-cli.js';
import {
  ACCOUNT,
  eventBridgeEvent,
  logFile,
  rootRecord,
  temporaryDirectory,
  userRecord,
  writeFile,
} from '../trail-files.js';

const OFFICE_IP = '198.51.100.7';
const OTHER_IP = '203.0.113.9';
const TRAIL = 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10';

/**
 * One archive read in every test: root calls from the office address collapse into one alert
 * for 15 minutes; one comes again (redelivery); one from elsewhere and a root access key creation
 * alert on their own; two files are broken.
 */
const archive = {
  root: '',
  r1: rootRecord({ eventID: 'r1', eventTime: '2026-10-01T10:00:00Z', sourceIPAddress: OFFICE_IP }),
  r2: rootRecord({ eventID: 'r2', eventTime: '2026-10-01T10:01:00Z', sourceIPAddress: OFFICE_IP }),
  r3: rootRecord({ eventID: 'r3', eventTime: '2026-10-01T10:05:00Z', sourceIPAddress: OFFICE_IP }),
  r4: rootRecord({ eventID: 'r4', eventTime: '2026-10-01T10:06:00Z', sourceIPAddress: OTHER_IP }),
  r5: rootRecord({
    eventID: 'r5',
    eventTime: '2026-10-01T10:07:00Z',
    sourceIPAddress: OFFICE_IP,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    requestParameters: null,
    readOnly: false,
  }),
  r6: rootRecord({ eventID: 'r6', eventTime: '2026-10-01T10:20:00Z', sourceIPAddress: OFFICE_IP }),
};

beforeAll(() => {
  const root = temporaryDirectory();
  archive.root = root;
  const { r1, r2, r3, r4, r5, r6 } = archive;
  writeFile(root, `${TRAIL}/01/a.json.gz`, logFile([userRecord(), r1, r2]));
  writeFile(root, `${TRAIL}/02/b.json`, logFile([r3]));
  writeFile(
    root,
    `${TRAIL}/02/c.jsonl`,
    [JSON.stringify(r4), JSON.stringify(r1), JSON.stringify(eventBridgeEvent(r5)), ''].join('\n'),
  );
  writeFile(root, `${TRAIL}/03/corrupt.json`, gzipSync(logFile([r4])).subarray(0, 40));
  writeFile(root, `${TRAIL}/03/d-bad.json`, '{"Records": [{"eventID": "x"},]}');
  writeFile(root, `${TRAIL}/04/e.json.gz`, logFile([r6]));
});

/** A directory of its own, for a test whose events must not join the shared archive. */
const elsewhere = (): string => {
  const root = temporaryDirectory();
  others.push(root);
  return root;
};
const others: string[] = [];

afterAll(() => {
  for (const root of [archive.root, ...others]) rmSync(root, { recursive: true, force: true });
});

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

/** `eventId:decision` per line; a window's digest, which is no event, as `digest:dedupKey`. */
const decisions = (stdout: string): string[] =>
  jsonLines(stdout).map((line) =>
    line.decision === 'digest' ? `digest:${line.dedupKey}` : `${line.eventId}:${line.decision}`,
  );

const OFFICE_KEY = `root-activity#${ACCOUNT}#${OFFICE_IP}`;

const configFile = (document: unknown): string => {
  const path = join(archive.root, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(document));
  return path;
};

describe('root-monitor replay', () => {
  describe('--format json', () => {
    it('prints one line per root-usage event, dedups across files, and names broken files', async () => {
      const result = await runCli(['replay', '--format', 'json', archive.root]);

      expect(decisions(result.stdout)).toEqual([
        'r1:alert',
        'r2:duplicate',
        'r3:duplicate',
        'r4:alert',
        'r1:duplicate',
        'r5:alert',
        // r1's window closed at 10:15, with r2 and r3 counted: its digest comes before 10:20.
        `digest:${OFFICE_KEY}`,
        'r6:alert',
      ]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `${join(archive.root, TRAIL, '03/corrupt.json')}: corrupt gzip data`,
      );
      expect(result.stderr).toContain(
        `${join(archive.root, TRAIL, '03/d-bad.json')}: not valid JSON`,
      );
      expect(result.stderr).toContain(
        'root-monitor replay: 6 files, 8 events, 7 root events: 4 alerts, 0 allowlisted, 3 duplicates, 1 digest, 2 unreadable files',
      );
    });

    it('gives every field of an alert, and the suppressed count on the next alert for the key', async () => {
      const result = await runCli(['replay', '--format', 'json', join(archive.root, TRAIL)]);
      const lines = jsonLines(result.stdout);

      expect(lines[0]).toEqual({
        eventId: 'r1',
        eventTime: '2026-10-01T10:00:00Z',
        eventName: 'DescribeInstances',
        eventSource: 'ec2.amazonaws.com',
        accountId: '111122223333',
        region: 'eu-west-1',
        sourceIp: OFFICE_IP,
        decision: 'alert',
        severity: 'HIGH',
        ruleIds: ['root-activity'],
        assumedRoot: false,
        throughConsole: false,
        suppressedBefore: 0,
        firstSeen: 'first seen in this archive',
        firstSeenSource: OFFICE_IP,
      });
      expect(lines[1]).not.toHaveProperty('suppressedBefore');
      expect(lines[1]).not.toHaveProperty('firstSeen');
      expect(lines[5]).toMatchObject({
        eventId: 'r5',
        severity: 'CRITICAL',
        ruleIds: ['root-access-key-created'],
        region: 'us-east-1',
      });
      // r2 and r3 were collapsed into r1's window; r1's redelivery is not counted.
      expect(lines[6]).toMatchObject({ decision: 'digest', dedupKey: OFFICE_KEY, events: 2 });
      expect(lines[7]).toMatchObject({ eventId: 'r6', decision: 'alert', suppressedBefore: 2 });
    });
  });

  describe('--format text', () => {
    it('prints one line per root-usage event in event-time order, whatever the file order, then counts by rule and account', async () => {
      const result = await runCli(['replay', join(archive.root, TRAIL)]);
      const lines = result.stdout.split('\n');

      expect(lines[0]).toMatch(
        /^TIME \(UTC\) +DECISION +SEVERITY +RULE +ACCOUNT +REGION +EVENT +SOURCE +EVENT ID +NOTE$/,
      );
      expect(lines.slice(1, 9).map((line) => line.split(/ {2,}/))).toEqual([
        [
          '2026-10-01 10:00:00',
          'alert',
          'HIGH',
          'root-activity',
          ACCOUNT,
          'eu-west-1',
          'DescribeInstances',
          OFFICE_IP,
          'r1',
          'first seen in this archive',
        ],
        // r1 again, read in a later file: it keeps its place after the first r1.
        expect.arrayContaining(['2026-10-01 10:00:00', 'duplicate', 'r1']),
        // Counted in the window r1's alert opened, which the note names.
        expect.arrayContaining(['2026-10-01 10:01:00', 'duplicate', 'r2', 'counted by r1']),
        expect.arrayContaining(['2026-10-01 10:05:00', 'duplicate', 'r3', 'counted by r1']),
        expect.arrayContaining(['2026-10-01 10:06:00', 'alert', OTHER_IP, 'r4']),
        [
          '2026-10-01 10:07:00',
          'alert',
          'CRITICAL',
          'root-access-key-created',
          ACCOUNT,
          'us-east-1',
          'CreateAccessKey',
          OFFICE_IP,
          'r5',
        ],
        [
          '2026-10-01 10:15:00',
          'digest',
          'HIGH',
          'root-activity',
          ACCOUNT,
          '-',
          '2 events',
          OFFICE_IP,
          '-',
          'window opened by r1',
        ],
        expect.arrayContaining(['2026-10-01 10:20:00', 'alert', 'r6']),
      ]);
      // The table counts each event once, under the rule its alert leads with; digests beside.
      expect(lines.slice(9)).toEqual([
        '',
        expect.stringMatching(/^RULE +ALERT +ALLOWLISTED +DUPLICATE +TOTAL +DIGESTS$/),
        expect.stringMatching(/^root-access-key-created +1 +0 +0 +1 +0$/),
        expect.stringMatching(/^root-activity +3 +0 +3 +6 +1$/),
        expect.stringMatching(/^ACCOUNT +ALERT +ALLOWLISTED +DUPLICATE +TOTAL +DIGESTS$/),
        expect.stringMatching(/^111122223333 +4 +0 +3 +7 +1$/),
        '',
      ]);
      expect(result.stdout).not.toContain('\u001b');
    });

    it('names the allowlist entry, also where it could not silence the rule', async () => {
      const config = configFile({
        version: 1,
        allow: [{ id: 'office', reason: 'office network', sourceIps: ['198.51.100.0/24'] }],
      });

      const result = await runCli(['replay', '--config', config, join(archive.root, TRAIL)]);

      expect(result.stdout).toMatch(/^TIME \(UTC\) .* EVENT ID +NOTE$/m);
      expect(result.stdout).toMatch(
        /^2026-10-01 10:00:00 +allowlisted +HIGH .* r1 +entry office$/m,
      );
      expect(result.stdout).toMatch(
        // Allowlisted events are not sources remembered: r5 is the office's first alert.
        /^2026-10-01 10:07:00 +alert +CRITICAL +root-access-key-created .* r5 +first seen in this archive {2}entry office \(cannot silence\)$/m,
      );
      expect(result.stdout).toMatch(/^root-activity +1 +5 +0 +6 +0$/m);
    });

    /** Where each column starts, read from the header line. */
    const columnStarts = (header: string): number[] =>
      [...header.matchAll(/(?:^| {2})(\S)/g)].map(
        (match) => (match.index ?? 0) + match[0].length - 1,
      );

    it('keeps every column aligned, sizing it to its values and cutting a hostile one visibly', async () => {
      const records = [
        rootRecord({ eventID: 'v6', sourceIPAddress: '2001:db8:4f2a:1234:5678:9abc:def0:17' }),
        rootRecord({ eventID: 'lambda', eventName: 'DeleteFunction20150331' }),
        rootRecord({ eventID: 'long', eventName: `Describe${'X'.repeat(200)}` }),
      ];
      const path = writeFile(elsewhere(), 'widths.json', logFile(records));

      const result = await runCli(['replay', path]);
      const [header = '', ...rows] = result.stdout.split('\n\n')[0]?.split('\n') ?? [];

      // Nine columns, and the note of the digest after them.
      const starts = columnStarts(header);
      expect(starts).toHaveLength(10);
      for (const row of rows) {
        // Each of the nine columns after the first starts where its heading does.
        for (const start of starts.slice(1, 9))
          expect(row.slice(start - 2, start + 1), row).toMatch(/^ {2}\S$/);
      }
      expect(
        rows.find((row) => row.includes('2001:db8:4f2a:1234:5678:9abc:def0:17')),
      ).toBeDefined();
      expect(rows.find((row) => row.includes(' DeleteFunction20150331 '))).toBeDefined();
      // Cut at the column's 40 characters, and said to be.
      expect(rows.find((row) => row.includes(` Describe${'X'.repeat(31)}… `))).toBeDefined();
    });

    it('shows "-" where the event has no value, and puts an event without a time last', async () => {
      const result = await runCli([
        'replay',
        'events/alert-minimal-test-payload.json',
        'events/alert-read-only-call.json',
      ]);
      const lines = result.stdout.split('\n');

      expect(lines[1]).toMatch(/^2026-04-02 13:27:09 +alert /);
      expect(lines[2]?.split(/ {2,}/)).toEqual([
        '-',
        'alert',
        'HIGH',
        'root-activity',
        '-',
        '-',
        'TestRootUsage',
        '198.51.100.1',
        expect.stringMatching(/^sha256-/),
      ]);
      expect(result.stdout).toMatch(/^- +1 +0 +0 +1 +0$/m);
    });

    it('names the file of each event with --show-files, keeping the end of a long path', async () => {
      const folder = join(elsewhere(), 'a'.repeat(80));
      const path = writeFile(folder, 'one.json', logFile([rootRecord({ eventID: 'f1' })]));

      const result = await runCli(['replay', '--show-files', path]);
      const [header, line] = result.stdout.split('\n');

      expect(header).toMatch(/ EVENT ID +FILE +NOTE$/);
      expect(line).toMatch(/ f1 +…a+\/one\.json +first seen in this archive$/);
      expect(line?.slice(line.indexOf('…'), line.indexOf(' first seen')).trimEnd()).toHaveLength(
        60,
      );
      const json = await runCli(['replay', '--show-files', '--format', 'json', path]);
      expect(jsonLines(json.stdout)).toEqual([
        expect.objectContaining({ eventId: 'f1', file: path }),
      ]);
    });

    it('lists ignored events with the reason with --show-ignored, and only then', async () => {
      const samples = ['events/ignored-iam-user.json', 'events/ignored-service-invoked.json'];
      const [shown, hidden, json] = await Promise.all([
        runCli(['replay', '--show-ignored', ...samples]),
        runCli(['replay', ...samples]),
        runCli(['replay', '--show-ignored', '--format', 'json', ...samples]),
      ]);

      expect(shown.stdout.split('\n').map((line) => line.split(/ {2,}/))).toEqual([
        expect.arrayContaining(['NOTE']),
        expect.arrayContaining([
          'ignored',
          '-',
          'DescribeSecurityGroups',
          'an AWS service acted for root (invokedBy support.amazonaws.com)',
        ]),
        expect.arrayContaining(['ignored', '-', 'CreateAccessKey', 'identity type is IAMUser']),
        [''],
      ]);
      expect(hidden.stdout).toBe('');
      expect(jsonLines(json.stdout)).toEqual([
        expect.objectContaining({ decision: 'ignored', reason: 'identity type is IAMUser' }),
        expect.objectContaining({ decision: 'ignored', eventName: 'DescribeSecurityGroups' }),
      ]);
    });

    it('escapes every event field, so an event cannot forge a line or restyle the terminal', async () => {
      const hostile = rootRecord({
        eventID: 'hostile',
        eventName: 'Describe\nInstances\u001b[2J\u202e',
        sourceIPAddress: 'evil.example\r\n10:00  allowlisted',
        awsRegion: 'eu-west-1\u0007',
        recipientAccountId: '1111\u001b]8;;http://x\u0007',
      });
      const path = writeFile(elsewhere(), 'fields.json', logFile([hostile]));

      const result = await runCli(['replay', path]);

      // Nothing hidden but the line feeds: no C0 control, DEL, or bidi override.
      expect(result.stdout).not.toMatch(/[^\n\P{Cc}]|\u202e/u);
      const [, line, ...rest] = result.stdout.split('\n');
      expect(line).toContain('Describe\\nInstances\\u001b[2J\\u202e');
      expect(line).toContain('evil.example\\r\\n10:00  allowlisted');
      expect(line).toContain('eu-west-1\\u0007');
      // An account id has 12 characters: this one is cut there, never inside an escape.
      expect(line).toContain(' 1111\\u001b]… ');
      expect(rest.filter((text) => text.includes('allowlisted  '))).toEqual([]);
    });

    it('lists the ten busiest accounts and sums the rest in one row', async () => {
      const records = Array.from({ length: 13 }, (_, index) =>
        rootRecord({
          recipientAccountId: String(100000000000 + index),
          userIdentity: {
            type: 'Root',
            arn: `arn:aws:iam::${100000000000 + index}:root`,
            accountId: String(100000000000 + index),
          },
          eventTime: `2026-10-01T10:${String(index).padStart(2, '0')}:00Z`,
        }),
      );
      records.push(rootRecord({ recipientAccountId: '100000000012', sourceIPAddress: OTHER_IP }));
      const path = writeFile(elsewhere(), 'many.json', logFile(records));

      const result = await runCli(['replay', path]);
      const table = result.stdout.slice(result.stdout.indexOf('\nACCOUNT'));

      expect(table.match(/^1000000000\d\d /gm)).toHaveLength(10);
      expect(table).toMatch(/^100000000012 +2 +0 +0 +2 +0$/m);
      expect(table).toMatch(/^3 more accounts +3 +0 +0 +3 +0$/m);
    });
  });

  describe('colour', () => {
    const ESC = '\u001b';
    const hasScript = spawnSync('script', ['--version']).status === 0;
    /** Runs replay on a pseudo-terminal, as a person's shell would, with util-linux's script. */
    const onTerminal = (env: Record<string, string>) =>
      spawnSync(
        'script',
        [
          '-qefc',
          `'${process.execPath}' '${BIN}' replay '${join(archive.root, TRAIL, '01')}'`,
          '/dev/null',
        ],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            NO_COLOR: undefined,
            FORCE_COLOR: undefined,
            // Node judges a terminal monochrome when CI is set by a runner it does not know.
            CI: undefined,
            TERM: 'xterm-256color',
            ...env,
          },
        },
      );

    it.skipIf(!hasScript)(
      'colours decisions and severities on a terminal, unless NO_COLOR is set',
      () => {
        const [coloured, plain] = [onTerminal({}), onTerminal({ NO_COLOR: '1' })];

        expect(coloured.stdout).toContain(`${ESC}[1malert${ESC}[22m`);
        expect(coloured.stdout).toContain(`${ESC}[33mHIGH${ESC}[39m`);
        expect(plain.stdout).toContain('alert');
        // The progress line redraws with escapes of its own; no text is styled.
        expect(plain.stdout).not.toMatch(new RegExp(`${ESC}\\[\\d+m`));
      },
    );
  });

  describe('--format email', () => {
    it('prints each alert as its subject line and email body, other decisions one line each', async () => {
      const result = await runCli(['replay', '--format', 'email', join(archive.root, TRAIL, '01')]);

      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        /^Subject: \[HIGH\] .+ - 111122223333 eu-west-1 \(first seen in archive\)$/m,
      );
      expect(result.stdout).toContain(
        'First seen in this archive: no earlier root event from 198.51.100.7 in this account was read.',
      );
      expect(result.stdout).toContain(
        'the root user of AWS account 111122223333 called DescribeInstances',
      );
      expect(result.stdout).toContain('RUNBOOK (root-activity)');
      expect(result.stdout).toContain('"eventID": "r1"');
      expect(result.stdout).toMatch(
        /^duplicate {3}2026-10-01T10:01:00Z {2}DescribeInstances \(ec2\.amazonaws\.com\) {2}111122223333 eu-west-1 {2}from 198\.51\.100\.7 {2}\[root-activity\] {2}collapsed into the alert for event r1$/m,
      );
      // The alert, and the digest of the window it opened, which counted r2.
      expect(result.stdout.match(/^Subject: /gm)).toEqual(['Subject: ', 'Subject: ']);
      expect(result.stdout).toMatch(
        /^Subject: \[HIGH\] Root window digest: 1 root event after the alert - 111122223333 198\.51\.100\.7$/m,
      );
    });
  });

  describe('--dedup-minutes', () => {
    it('replaces the dedup window: 0 collapses nothing', async () => {
      const result = await runCli([
        'replay',
        '--format',
        'json',
        '--dedup-minutes',
        '0',
        join(archive.root, TRAIL, '01'),
        join(archive.root, TRAIL, '02/b.json'),
      ]);

      expect(decisions(result.stdout)).toEqual(['r1:alert', 'r2:alert', 'r3:alert']);
    });

    it('refuses a window the configuration document would refuse', async () => {
      const result = await runCli(['replay', '--dedup-minutes', '5000', archive.root]);

      expect(result.status).toBe(2);
      expect(result.stderr).toContain('--dedup-minutes "5000": must be at most 1440');
      expect(result.stdout).toBe('');
    });

    it('refuses anything but a whole number written in decimals', async () => {
      const [hex, fraction, empty] = await Promise.all([
        runCli(['replay', '--dedup-minutes', '0x10', archive.root]),
        runCli(['replay', '--dedup-minutes', '1.5', archive.root]),
        runCli(['replay', '--dedup-minutes=', archive.root]),
      ]);

      for (const result of [hex, fraction, empty]) {
        expect(result).toMatchObject({ status: 2, stdout: '' });
        expect(result.stderr).toMatch(/--dedup-minutes ".*": must be a whole number of minutes/);
      }
    });

    it("replaces the document's window, but not a rule's own", async () => {
      const paths = [join(archive.root, TRAIL, '01'), join(archive.root, TRAIL, '02/b.json')];
      const documentWide = configFile({ version: 1, dedupMinutes: 60 });
      const ruleOwn = configFile({ version: 1, rules: { 'root-activity': { dedupMinutes: 60 } } });

      const withoutWindow = (config: string) =>
        runCli([
          'replay',
          '--format',
          'json',
          '--dedup-minutes',
          '0',
          '--config',
          config,
          ...paths,
        ]);

      const [replaced, kept] = await Promise.all([
        withoutWindow(documentWide),
        withoutWindow(ruleOwn),
      ]);

      expect(decisions(replaced.stdout)).toEqual(['r1:alert', 'r2:alert', 'r3:alert']);
      expect(decisions(kept.stdout)).toEqual([
        'r1:alert',
        'r2:duplicate',
        'r3:duplicate',
        `digest:${OFFICE_KEY}`,
      ]);
    });

    it('still refuses a document whose own dedupMinutes is invalid', async () => {
      const config = configFile({ version: 1, dedupMinutes: 5000 });

      const result = await runCli([
        'replay',
        '--dedup-minutes',
        '10',
        '--config',
        config,
        archive.root,
      ]);

      expect(result).toMatchObject({ status: 1, stdout: '' });
      expect(result.stderr).toContain('dedupMinutes: must be at most 1440 (one day) (got 5000)');
    });
  });

  describe('--config', () => {
    it('allowlists what an entry covers, and names the entry on an alert it could not silence', async () => {
      const config = configFile({
        version: 1,
        allow: [{ id: 'office', reason: 'office network', sourceIps: ['198.51.100.0/24'] }],
      });

      const result = await runCli(['replay', '--format', 'json', '--config', config, archive.root]);
      const lines = jsonLines(result.stdout);

      expect(decisions(result.stdout)).toEqual([
        'r1:allowlisted',
        'r2:allowlisted',
        'r3:allowlisted',
        'r4:alert',
        'r1:allowlisted',
        'r5:alert',
        'r6:allowlisted',
      ]);
      expect(lines[0]).toMatchObject({ allowlistEntry: 'office', severity: 'HIGH' });
      expect(lines[3]).not.toHaveProperty('allowlistEntry');
      expect(lines[5]).toMatchObject({
        allowlistEntry: 'office',
        ruleIds: ['root-access-key-created'],
      });
    });

    it('refuses an invalid document, listing every problem, and replays nothing', async () => {
      const config = configFile({
        version: 1,
        colour: 'blue',
        allow: [{ id: 'bad', reason: 'r', sourceIps: ['198.51.100.0/33'] }],
      });

      const result = await runCli(['replay', '--config', config, archive.root]);

      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('is not a valid configuration; nothing was replayed');
      expect(result.stderr).toContain('allow[0] ("bad").sourceIps[0]: must be an IPv4 or IPv6');
      expect(result.stderr).toContain('unknown field "colour"');
    });
  });

  describe('--env-vars', () => {
    const PARAMETER = '/root-monitor-prod/config';
    const FUNCTION = 'root-monitor-prod';
    /** The deployed function's variables; the first entry is another function, to be skipped. */
    const deployed = {
      OtherFunction: { LOG_LEVEL: 'INFO' },
      RootMonitorFunction: {
        ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:root-monitor-prod-alerts',
        DEDUP_TABLE_NAME: 'root-monitor-prod-dedup',
        CONFIG_PARAMETER: PARAMETER,
        AWS_LAMBDA_FUNCTION_NAME: FUNCTION,
        ALERT_KEY_ARN: '',
      },
    };
    /** The lists the template gives the function: every function of the stack and every role. */
    const listed = {
      MONITOR_FUNCTION_NAMES: `${FUNCTION},${FUNCTION}-trail-files,${FUNCTION}-health-check`,
      MONITOR_ROLE_ARNS:
        'arn:aws:iam::111122223333:role/root-monitor-prod-RootMonitorRole-1A2B3C4D5E6F,arn:aws:iam::111122223333:role/root-monitor-prod-HealthCheckRole-4D5E6F7G8H9J',
    };
    /** Root rewriting the allowlist: exactly what root would do to silence the monitor. */
    const rewrite = rootRecord({
      eventID: 'tamper',
      eventSource: 'ssm.amazonaws.com',
      eventName: 'PutParameter',
      awsRegion: 'us-east-1',
      requestParameters: { name: PARAMETER, type: 'String', overwrite: true },
      readOnly: false,
    });
    /** An entry that covers every SSM call: the Lambda names it on a tampering alert but alerts. */
    const allowSsm = {
      version: 1,
      allow: [{ id: 'ssm-work', reason: 'parameter upkeep', eventSources: ['ssm.amazonaws.com'] }],
    };
    /** Root's own rewrite is announced too, as the Lambda announces every change. */
    const announcement = expect.objectContaining({
      eventId: 'tamper',
      ruleIds: ['config-changed'],
    });
    const envFile = (name: string, document: unknown): string =>
      writeFile(archive.root, `env-vars/${name}.json`, JSON.stringify(document));
    let events: string;
    let envVars: string;

    beforeAll(() => {
      events = writeFile(archive.root, 'env-vars/rewrite.json', logFile([rewrite]));
      envVars = envFile('env', deployed);
    });

    it('makes root rewriting the configured parameter audit tampering, as the Lambda decides', async () => {
      const [deployedLike, unaware] = await Promise.all([
        runCli([
          'replay',
          '--format',
          'json',
          '--env-vars',
          envVars,
          '--function',
          'RootMonitorFunction',
          events,
        ]),
        runCli(['replay', '--format', 'json', events]),
      ]);

      expect(deployedLike.status).toBe(0);
      expect(jsonLines(deployedLike.stdout)).toEqual([
        expect.objectContaining({
          eventId: 'tamper',
          decision: 'alert',
          severity: 'CRITICAL',
          ruleIds: ['root-audit-tampering'],
        }),
        announcement,
      ]);
      expect(jsonLines(unaware.stdout)).toEqual([
        expect.objectContaining({
          decision: 'alert',
          severity: 'HIGH',
          ruleIds: ['root-activity'],
        }),
      ]);
    });

    it('keeps an allowlist entry from silencing the tampering, where without it the entry would', async () => {
      const config = configFile(allowSsm);

      const [deployedLike, unaware] = await Promise.all([
        runCli([
          'replay',
          '--format',
          'json',
          '--config',
          config,
          '--env-vars',
          envVars,
          '--function',
          'RootMonitorFunction',
          events,
        ]),
        runCli(['replay', '--format', 'json', '--config', config, events]),
      ]);

      expect(jsonLines(deployedLike.stdout)).toEqual([
        expect.objectContaining({ decision: 'alert', allowlistEntry: 'ssm-work' }),
        announcement,
      ]);
      expect(decisions(unaware.stdout)).toEqual(['tamper:allowlisted']);
    });

    it("reads the file's first function without --function", async () => {
      const first = envFile('monitor-first', {
        RootMonitorFunction: deployed.RootMonitorFunction,
        OtherFunction: deployed.OtherFunction,
      });

      const result = await runCli(['replay', '--format', 'json', '--env-vars', first, events]);

      expect(jsonLines(result.stdout)).toEqual([
        expect.objectContaining({ ruleIds: ['root-audit-tampering'] }),
        announcement,
      ]);
    });

    it('warns when the file lacks a variable the deployed Lambda always has', async () => {
      const partial = envFile('partial', { RootMonitorFunction: deployed.RootMonitorFunction });
      const complete = envFile('complete', {
        RootMonitorFunction: {
          ...deployed.RootMonitorFunction,
          ...listed,
          FALLBACK_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:root-monitor-prod-alarms',
          ALERT_KEY_ARN:
            'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:111122223333:root-monitor-prod-on-failure',
          AWS_LAMBDA_FUNCTION_NAME: '',
        },
      });

      const [result, quiet] = await Promise.all([
        runCli(['replay', '--format', 'json', '--env-vars', partial, events]),
        runCli(['replay', '--format', 'json', '--env-vars', complete, events]),
      ]);

      expect(result.status).toBe(0);
      expect(result.stderr).toContain(
        `root-monitor replay: warning: ${partial} does not set FALLBACK_TOPIC_ARN, ALERT_KEY_ARN, MONITOR_FUNCTION_NAMES, MONITOR_ROLE_ARNS, MONITOR_QUEUE_ARNS;`,
      );
      // MONITOR_FUNCTION_NAMES names the running function: its own variable is not missed.
      expect(quiet.stderr).not.toContain('warning');
      // The parameter is still known: the rewrite is tampering all the same.
      expect(jsonLines(result.stdout)).toEqual([
        expect.objectContaining({ ruleIds: ['root-audit-tampering'] }),
        announcement,
      ]);
    });

    it('treats root deleting the health-check function or denying its role as tampering', async () => {
      const health = writeFile(
        archive.root,
        'env-vars/health-check.json',
        logFile([
          rootRecord({
            eventID: 'delete-health-check',
            eventSource: 'lambda.amazonaws.com',
            eventName: 'DeleteFunction20150331',
            requestParameters: { functionName: `${FUNCTION}-health-check` },
            readOnly: false,
          }),
          rootRecord({
            eventID: 'deny-health-role',
            eventSource: 'iam.amazonaws.com',
            eventName: 'PutRolePolicy',
            requestParameters: {
              roleName: 'root-monitor-prod-HealthCheckRole-4D5E6F7G8H9J',
              policyName: 'quiet',
              policyDocument: '{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}',
            },
            readOnly: false,
          }),
        ]),
      );
      const withLists = envFile('with-lists', {
        RootMonitorFunction: { ...deployed.RootMonitorFunction, ...listed },
      });

      const [deployedLike, unaware] = await Promise.all([
        runCli(['replay', '--format', 'json', '--env-vars', withLists, health]),
        runCli(['replay', '--format', 'json', '--env-vars', envVars, health]),
      ]);

      expect(deployedLike.status).toBe(0);
      expect(jsonLines(deployedLike.stdout)).toEqual([
        expect.objectContaining({
          eventId: 'delete-health-check',
          decision: 'alert',
          severity: 'CRITICAL',
          ruleIds: ['root-audit-tampering'],
        }),
        expect.objectContaining({
          eventId: 'deny-health-role',
          decision: 'alert',
          severity: 'CRITICAL',
          ruleIds: ['root-audit-tampering', 'root-iam-persistence'],
        }),
      ]);
      // Knowing only the running function and its role, replay reads neither as tampering.
      expect(jsonLines(unaware.stdout)).toEqual([
        expect.objectContaining({ severity: 'HIGH', ruleIds: ['root-activity'] }),
        expect.objectContaining({ severity: 'HIGH', ruleIds: ['root-iam-persistence'] }),
      ]);
    });

    it('refuses a list entry that names no resource of its kind, naming the file and the entry', async () => {
      const mixedUp = envFile('mixed-up', {
        RootMonitorFunction: {
          ...deployed.RootMonitorFunction,
          MONITOR_ROLE_ARNS: `${listed.MONITOR_ROLE_ARNS},arn:aws:lambda:us-east-1:111122223333:function:${FUNCTION}`,
        },
      });

      const result = await runCli(['replay', '--env-vars', mixedUp, events]);

      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toContain(
        `root-monitor replay: --env-vars ${mixedUp}: MONITOR_ROLE_ARNS lists "arn:aws:lambda:us-east-1:111122223333:function:${FUNCTION}", which is not an IAM role name or ARN`,
      );
    });

    it('refuses a file it cannot use with a usage error naming the file, and replays nothing', async () => {
      const missing = join(archive.root, 'no-such-env.json');
      const notJson = writeFile(archive.root, 'env-vars/not-json.json', '{"RootMonitorFunction": ');
      const wrongShape = envFile('array', [deployed.RootMonitorFunction]);
      const nonString = envFile('number', { RootMonitorFunction: { DEDUP_TABLE_NAME: 7 } });

      const results = await Promise.all([
        runCli(['replay', '--env-vars', missing, events]),
        runCli(['replay', '--env-vars', notJson, events]),
        runCli(['replay', '--env-vars', wrongShape, events]),
        runCli(['replay', '--env-vars', nonString, events]),
        runCli(['replay', '--env-vars', envVars, '--function', 'Detector', events]),
      ]);

      for (const result of results) expect(result).toMatchObject({ status: 2, stdout: '' });
      const [unreadable, invalid, shape, value, unknown] = results.map(({ stderr }) => stderr);
      expect(unreadable).toContain(`root-monitor replay: --env-vars ${missing}: no such file`);
      expect(invalid).toContain(`root-monitor replay: --env-vars ${notJson}: not valid JSON`);
      expect(shape).toContain(`${wrongShape}: expected {"FunctionLogicalId": {"NAME": "value"}}`);
      expect(value).toContain(
        `${nonString}: "RootMonitorFunction"."DEDUP_TABLE_NAME" must be a string`,
      );
      expect(unknown).toContain(
        `${envVars}: no function "Detector"; it has "OtherFunction", "RootMonitorFunction"`,
      );
    });

    describe('changes to the configuration parameter, by any identity', () => {
      const byAlice = (eventName: string, fields: Record<string, unknown> = {}) =>
        userRecord({
          eventID: `alice-${eventName}`,
          eventTime: '2026-10-01T11:00:00Z',
          eventSource: 'ssm.amazonaws.com',
          eventName,
          awsRegion: 'us-east-1',
          sourceIPAddress: OTHER_IP,
          requestParameters: { name: PARAMETER, overwrite: true },
          responseElements: { version: 7, tier: 'Standard' },
          readOnly: false,
          ...fields,
        });
      let changes: string;

      beforeAll(() => {
        changes = writeFile(
          archive.root,
          'env-vars/changes.json',
          logFile([
            byAlice('PutParameter'),
            // Redelivered: announced once, as the Lambda claims each eventID once.
            byAlice('PutParameter'),
            // By ARN and without the leading slash: the same parameter.
            byAlice('DeleteParameter', {
              requestParameters: {
                name: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${PARAMETER}`,
              },
            }),
            byAlice('LabelParameterVersion', {
              requestParameters: { name: PARAMETER.slice(1), labels: ['prod'] },
            }),
            // Another parameter, and a read of this one: neither is a change.
            byAlice('PutParameter', {
              eventID: 'other-parameter',
              requestParameters: { name: '/another/parameter' },
            }),
            byAlice('GetParameter', { eventID: 'read', requestParameters: { name: PARAMETER } }),
          ]),
        );
      });

      it('reports each as the Lambda announces it, saying that the diff of a write is unknown', async () => {
        const result = await runCli([
          'replay',
          '--format',
          'json',
          '--env-vars',
          envVars,
          '--function',
          'RootMonitorFunction',
          changes,
        ]);

        expect(result.status).toBe(0);
        expect(jsonLines(result.stdout)).toEqual([
          {
            eventId: 'alice-PutParameter',
            eventTime: '2026-10-01T11:00:00Z',
            eventName: 'PutParameter',
            eventSource: 'ssm.amazonaws.com',
            accountId: ACCOUNT,
            region: 'us-east-1',
            sourceIp: OTHER_IP,
            decision: 'alert',
            severity: 'HIGH',
            ruleIds: ['config-changed'],
            principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
            principalType: 'IAMUser',
            throughConsole: false,
            parameters: [PARAMETER],
            outcome: 'unknown',
            why: expect.stringContaining('replay cannot read the parameter history'),
          },
          expect.objectContaining({
            eventId: 'alice-DeleteParameter',
            severity: 'HIGH',
            outcome: 'deleted',
          }),
          expect.objectContaining({
            eventId: 'alice-LabelParameterVersion',
            severity: 'LOW',
            outcome: 'relabelled',
          }),
        ]);
        expect(result.stderr).toContain('3 configuration changes announced');
      });

      it('reports nothing without --env-vars, which alone names the parameter', async () => {
        const result = await runCli(['replay', '--format', 'json', changes]);

        expect(result.status).toBe(0);
        expect(result.stdout).toBe('');
      });

      it('prints the announcement email, with the diff said to be unknown, in --format email', async () => {
        const result = await runCli([
          'replay',
          '--format',
          'email',
          '--env-vars',
          envVars,
          '--function',
          'RootMonitorFunction',
          changes,
        ]);

        expect(result.stdout).toMatch(/^Subject: \[HIGH\] root-monitor .*111122223333 us-east-1$/m);
        expect(result.stdout).toContain(`arn:aws:iam::${ACCOUNT}:user/alice called PutParameter`);
        expect(result.stdout).toContain('replay cannot read the parameter history');
      });

      it('lists each in --format text and counts it under config-changed', async () => {
        const result = await runCli([
          'replay',
          '--format',
          'text',
          '--env-vars',
          envVars,
          '--function',
          'RootMonitorFunction',
          changes,
        ]);
        const lines = result.stdout.split('\n');

        expect(lines.filter((line) => line.includes('config-changed'))).toHaveLength(4);
        expect(result.stdout).toMatch(
          /alert\s+HIGH\s+config-changed\s+111122223333\s+us-east-1\s+PutParameter\s+203\.0\.113\.9\s+alice-PutParameter\s+\/root-monitor-prod\/config by arn:aws:iam::111122223333:user\/alice; diff unknown/,
        );
        expect(result.stdout).toMatch(/^config-changed\s+3\s+0\s+0\s+3\s+0$/m);
      });
    });

    it('refuses --function without --env-vars', async () => {
      const result = await runCli(['replay', '--function', 'RootMonitorFunction', events]);

      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toContain('--function names a function of the --env-vars file');
    });
  });

  describe('root acting through the console', () => {
    /** Root's calls as CloudTrail records them when the console makes them for the person. */
    const throughConsole = (eventID: string, fields: Record<string, unknown>) =>
      rootRecord({
        eventID,
        userIdentity: {
          type: 'Root',
          principalId: '111122223333',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
          accessKeyId: 'ASIAROOTCONSOLE00001',
          sessionContext: {
            attributes: { creationDate: '2026-10-02T08:00:00Z', mfaAuthenticated: 'true' },
          },
          invokedBy: 'signin.amazonaws.com',
        },
        userAgent: 'signin.amazonaws.com',
        sourceIPAddress: OTHER_IP,
        awsRegion: 'us-east-1',
        readOnly: false,
        ...fields,
      });
    const records = [
      throughConsole('console-key', {
        eventTime: '2026-10-02T08:01:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
        requestParameters: null,
      }),
      throughConsole('console-mfa', {
        eventTime: '2026-10-02T08:02:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeactivateMFADevice',
        requestParameters: {
          userName: 'AWS ROOT USER',
          serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device',
        },
      }),
      throughConsole('console-trail', {
        eventTime: '2026-10-02T08:03:00Z',
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        requestParameters: { name: 'management-events' },
      }),
      throughConsole('console-glue', {
        eventTime: '2026-10-02T08:04:00Z',
        eventSource: 'glue.amazonaws.com',
        eventName: 'GetTags',
        readOnly: true,
      }),
      // CloudFormation acting on the stack root created: the service, not the person.
      rootRecord({
        eventID: 'stack-role',
        eventTime: '2026-10-02T08:05:00Z',
        userIdentity: {
          type: 'Root',
          principalId: '111122223333',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
          invokedBy: 'cloudformation.amazonaws.com',
        },
        sourceIPAddress: 'cloudformation.amazonaws.com',
        userAgent: 'cloudformation.amazonaws.com',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateRole',
        sessionCredentialFromConsole: 'true',
      }),
    ];

    it('alerts each console call under the rule it would meet from an API call, and says it came through the console', async () => {
      const file = writeFile(archive.root, 'console/us-east-1.json.gz', logFile(records));

      const result = await runCli(['replay', '--format', 'json', file]);

      expect(result.status).toBe(0);
      expect(
        jsonLines(result.stdout).map(({ eventId, decision, ruleIds, throughConsole }) => ({
          eventId,
          decision,
          ruleIds,
          throughConsole,
        })),
      ).toEqual([
        {
          eventId: 'console-key',
          decision: 'alert',
          ruleIds: ['root-access-key-created'],
          throughConsole: true,
        },
        {
          eventId: 'console-mfa',
          decision: 'alert',
          ruleIds: ['root-mfa-removed'],
          throughConsole: true,
        },
        {
          eventId: 'console-trail',
          decision: 'alert',
          ruleIds: ['root-audit-tampering'],
          throughConsole: true,
        },
        {
          eventId: 'console-glue',
          decision: 'alert',
          ruleIds: ['root-activity'],
          throughConsole: true,
        },
      ]);
      expect(result.stderr).toContain('5 events, 4 root events: 4 alerts');
    });

    it('replays the bundled console sample as a root access key creation through the console', async () => {
      const result = await runCli([
        'replay',
        '--format',
        'json',
        'events/alert-console-access-key-created.json',
      ]);

      expect(result.status).toBe(0);
      expect(jsonLines(result.stdout)).toEqual([
        expect.objectContaining({
          decision: 'alert',
          severity: 'CRITICAL',
          ruleIds: ['root-access-key-created'],
          throughConsole: true,
        }),
      ]);
    });
  });

  describe('a root session issued (sts:AssumeRoot)', () => {
    const assumeRoot = userRecord({
      eventID: 'assume-root',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLE:alice',
        arn: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
        accountId: '111122223333',
        sessionContext: {
          sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/RootTaskOperator' },
          assumedRoot: 'true',
        },
      },
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
      awsRegion: 'us-west-2',
      readOnly: false,
      requestParameters: {
        targetPrincipal: '444455556666',
        taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
      },
      responseElements: { credentials: { accessKeyId: 'ASIAROOTSESSIONEXAMP' } },
    });
    const other = userRecord({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' });

    it('alerts the call among other identities in a trail file, and an entry naming the caller and policy allows it', async () => {
      const file = writeFile(
        archive.root,
        'assume-root/us-west-2.json.gz',
        logFile([userRecord(), other, assumeRoot]),
      );
      const config = configFile({
        version: 1,
        allow: [
          {
            id: 'bucket-unlocks',
            reason: 'runbook SEC-7',
            principalArns: ['arn:aws:iam::111122223333:role/RootTaskOperator'],
            taskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
          },
        ],
      });

      const [plain, allowed] = await Promise.all([
        runCli(['replay', '--format', 'json', file]),
        runCli(['replay', '--format', 'json', '--config', config, file]),
      ]);

      expect(jsonLines(plain.stdout)).toEqual([
        expect.objectContaining({
          eventId: 'assume-root',
          decision: 'alert',
          severity: 'HIGH',
          ruleIds: ['root-session-issued'],
        }),
      ]);
      expect(plain.stderr).toContain('3 events, 1 root event: 1 alert');
      expect(decisions(allowed.stdout)).toEqual(['assume-root:allowlisted']);
    });
  });

  describe('calls by other identities that change who controls a root user', () => {
    const onMember = userRecord({
      eventID: 'member-email',
      eventSource: 'account.amazonaws.com',
      eventName: 'StartPrimaryEmailUpdate',
      awsRegion: 'us-east-1',
      readOnly: false,
      requestParameters: { accountId: '444455556666', primaryEmail: 'new-owner@example.net' },
    });
    const onOwnAccount = userRecord({
      eventID: 'own-contact',
      eventSource: 'account.amazonaws.com',
      eventName: 'PutAlternateContact',
      awsRegion: 'us-east-1',
      readOnly: false,
      requestParameters: { alternateContactType: 'SECURITY' },
    });
    const accessOff = userRecord({
      eventID: 'root-sessions-off',
      eventSource: 'iam.amazonaws.com',
      eventName: 'DisableOrganizationsRootSessions',
      awsRegion: 'us-east-1',
      readOnly: false,
    });

    it('alerts each among other identities in a trail file, and leaves the own-account change out', async () => {
      const file = writeFile(
        archive.root,
        'root-control/us-east-1.json.gz',
        logFile([userRecord(), onMember, onOwnAccount, accessOff]),
      );

      const result = await runCli(['replay', '--format', 'json', file]);

      expect(jsonLines(result.stdout)).toEqual([
        expect.objectContaining({
          eventId: 'member-email',
          decision: 'alert',
          severity: 'CRITICAL',
          ruleIds: ['root-recovery-channel-changed'],
        }),
        expect.objectContaining({
          eventId: 'root-sessions-off',
          decision: 'alert',
          severity: 'HIGH',
          ruleIds: ['root-central-access-disabled'],
        }),
      ]);
      expect(result.stderr).toContain('4 events, 2 root events: 2 alerts');
    });
  });

  describe('standard input', () => {
    it('reads a JSON document spread over lines', async () => {
      const document = JSON.stringify({ Records: [userRecord(), archive.r4] }, null, 2);

      const result = await runCli(['replay', '--format', 'json', '-'], document);

      expect(result.status).toBe(0);
      expect(decisions(result.stdout)).toEqual(['r4:alert']);
      expect(result.stderr).toContain('1 file, 2 events, 1 root event');
    });

    it('reads gzipped JSON lines', async () => {
      const lines = [archive.r1, archive.r2].map((record) => JSON.stringify(record)).join('\n');

      const result = await runCli(['replay', '--format', 'json', '-'], gzipSync(lines));

      expect(decisions(result.stdout)).toEqual([
        'r1:alert',
        'r2:duplicate',
        `digest:${OFFICE_KEY}`,
      ]);
    });

    it('names standard input when it is not an object', async () => {
      const result = await runCli(['replay', '-'], '[1, 2]\n');

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('stdin:1: expected a JSON object');
    });
  });

  describe('usage', () => {
    it('names an unknown option, a bad format and a missing PATH, with exit status 2', async () => {
      const [unknown, format, noPath, help] = await Promise.all([
        runCli(['replay', '--bogus', archive.root]),
        runCli(['replay', '--format', 'xml', archive.root]),
        runCli(['replay']),
        runCli(['replay', '--help']),
      ]);

      expect(unknown).toMatchObject({ status: 2, stdout: '' });
      expect(unknown.stderr).toContain('root-monitor replay: unknown option --bogus');
      expect(format.status).toBe(2);
      expect(format.stderr).toContain('--format must be text, email or json, got "xml"');
      expect(noPath.status).toBe(2);
      expect(noPath.stderr).toContain('name at least one PATH');
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Usage: root-monitor replay [--config FILE]');
    });
  });

  describe('output to a reader that stops early', () => {
    it('ends quietly when the pipe closes, as `| head` does', async () => {
      const root = temporaryDirectory();
      generateArchive(root, 4, 500, 1);
      const child = spawn(process.execPath, [BIN, 'replay', '--format', 'json', root]);
      const stderr: Buffer[] = [];
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdout.once('data', () => child.stdout.destroy());

      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

      rmSync(root, { recursive: true, force: true });
      expect(status).toBe(0);
      expect(Buffer.concat(stderr).toString()).not.toMatch(/Error|EPIPE|at /);
    });
  });
});

describe('root-monitor', () => {
  it('lists its commands, and names an unknown one with exit status 2', async () => {
    const [overview, unknown] = await Promise.all([runCli(['--help']), runCli(['frobnicate'])]);

    expect(overview.status).toBe(0);
    expect(overview.stdout).toMatch(/^ {2}replay +run CloudTrail logs/m);
    expect(overview.stdout).toMatch(/^ {2}config validate +check a configuration document/m);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('root-monitor: unknown command "frobnicate"');
  });

  it('is the package bin', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    );
    expect(manifest.bin['root-monitor']).toBe('bin/root-monitor.js');
  });
});
