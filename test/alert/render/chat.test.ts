import { describe, expect, it } from 'vitest';
import { lookupCommands } from '../../../src/alert/lookup-command.js';
import { CHAT_EVENT_MAX_CHARS, chatFor } from '../../../src/alert/render/chat.js';
import { toTrailEvent } from '../../../src/intake/trail-event.js';
import {
  consoleCallRecord,
  consoleLoginRecord,
  FORBIDDEN_RAW,
  HOSTILE,
  memberEmailRecord,
  noticeFor,
  stubRule,
} from '../alert-fixture.js';

const codeBlockOf = (description: string): string => {
  const match = /```\n([\s\S]*)\n```$/.exec(description);
  if (match?.[1] === undefined) throw new Error('no code block');
  return match[1];
};

describe('chatFor', () => {
  it('follows the Chatbot custom notification schema', () => {
    const chat = chatFor(noticeFor(consoleLoginRecord()));
    expect(Object.keys(chat).sort()).toEqual(['content', 'id', 'metadata', 'source', 'version']);
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(Object.keys(chat.content).sort()).toEqual([
      'description',
      'keywords',
      'nextSteps',
      'textType',
      'title',
    ]);
    expect(chat.content.textType).toBe('client-markdown');
    expect(Object.keys(chat.metadata).sort()).toEqual([
      'additionalContext',
      'eventType',
      'relatedResources',
      'summary',
      'threadId',
    ]);
    const context = Object.values(chat.metadata.additionalContext);
    expect(context.length).toBeGreaterThan(0);
    for (const value of context) expect(typeof value).toBe('string');
    expect(chat.content.nextSteps.length).toBeGreaterThan(0);
    expect(chat.content.nextSteps.every((step) => typeof step === 'string')).toBe(true);
    expect(chat.content.keywords.length).toBeGreaterThan(0);
    expect(chat.content.keywords.every((keyword) => typeof keyword === 'string')).toBe(true);
  });

  it('carries the structured alert in additionalContext', () => {
    const chat = chatFor(
      noticeFor(consoleLoginRecord({ userIdentity: { type: 'Root', assumedRoot: true } }), {
        rules: [stubRule(), stubRule({ id: 'root-activity', severity: 'HIGH' })],
        allowlistEntry: 'office-maintenance',
        suppressedBefore: 2,
        dedupKey: 'acct-ip#111122223333#203.0.113.7',
      }),
    );
    expect(chat.metadata.additionalContext).toEqual({
      severity: 'CRITICAL',
      ruleIds: 'root-console-login-without-mfa,root-activity',
      eventId: '3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      eventTime: '2026-03-01T03:14:15.000Z',
      accountId: '111122223333',
      region: 'us-east-1',
      sourceIp: '203.0.113.7',
      assumedRoot: 'true',
      throughConsole: 'false',
      suppressedBefore: '2',
      allowlistEntry: 'office-maintenance',
      dedupKey: 'acct-ip#111122223333#203.0.113.7',
    });
    expect(chat.metadata.eventType).toBe('ROOT_ACCOUNT_USAGE');
    expect(chat.metadata.relatedResources).toEqual(['arn:aws:iam::111122223333:root']);
    expect(chat.content.keywords).toEqual([
      'CRITICAL',
      'root-console-login-without-mfa',
      'root-activity',
      '111122223333',
      'us-east-1',
      'AssumeRoot',
    ]);
  });

  it("names the caller and the member account of a change to a member's root email", () => {
    const chat = chatFor(noticeFor(memberEmailRecord()));

    expect(chat.content.description).toContain(
      '*Caller:* `arn:aws:sts::111122223333:assumed-role/OrgAdmin/mallory`',
    );
    expect(chat.content.description).toContain('*Target account:* `444455556666`');
    expect(chat.metadata.additionalContext).toMatchObject({
      callerArn: 'arn:aws:sts::111122223333:assumed-role/OrgAdmin/mallory',
      targetAccount: '444455556666',
    });
  });

  it('names no caller for root itself', () => {
    const chat = chatFor(noticeFor(consoleCallRecord()));

    expect(chat.content.description).not.toContain('*Caller:*');
    expect(chat.metadata.additionalContext).not.toHaveProperty('callerArn');
  });

  it('says a call came through the console, in keywords and additionalContext', () => {
    const console = chatFor(noticeFor(consoleCallRecord()));
    const signIn = chatFor(noticeFor(consoleLoginRecord()));

    expect(console.content.keywords).toContain('Console');
    expect(console.metadata.additionalContext.throughConsole).toBe('true');
    expect(console.content.description).toContain('through the AWS Management Console');
    expect(console.content.nextSteps[1]).toMatch(
      /^This call came through the AWS Management Console/,
    );
    expect(signIn.content.keywords).not.toContain('Console');
    expect(signIn.metadata.additionalContext.throughConsole).toBe('false');
  });

  it('threads alerts that share a dedup key, and only those', () => {
    const threadOf = (dedupKey: string) =>
      chatFor(noticeFor(consoleLoginRecord(), { dedupKey })).metadata.threadId;
    expect(threadOf('k1')).toBe(threadOf('k1'));
    expect(threadOf('k1')).not.toBe(threadOf('k2'));
    expect(threadOf('k1')).toMatch(/^root-monitor-[0-9a-f]{32}$/);
  });

  it('gives the filled runbook as next steps, commands as inline code', () => {
    const record = consoleLoginRecord();
    const chat = chatFor(noticeFor(record));
    expect(chat.content.nextSteps[1]).toBe(
      `Review the last 24 h of root activity: \`${lookupCommands(toTrailEvent(record))[0].command}\``,
    );
  });

  it('writes placeholders as text Slack shows, not as control sequences', () => {
    const chat = chatFor(noticeFor(consoleLoginRecord({ recipientAccountId: 'not-an-account' })));
    expect(chat.content.nextSteps[0]).toContain('account owner of &lt;account&gt;');
    expect(chat.metadata.relatedResources).toBeUndefined();
  });

  it('shows the event JSON in a code block that parses back to the record', () => {
    const record = consoleLoginRecord({ userAgent: HOSTILE });
    const chat = chatFor(noticeFor(record));
    expect(JSON.parse(codeBlockOf(chat.content.description))).toEqual(record);
  });

  it('shows at most CHAT_EVENT_MAX_CHARS of event JSON, with a marker', () => {
    const record = consoleLoginRecord({ requestParameters: { blob: 'x'.repeat(100_000) } });
    const block = codeBlockOf(chatFor(noticeFor(record), { eventChars: 1e9 }).content.description);
    expect(block.length).toBeLessThan(CHAT_EVENT_MAX_CHARS + 200);
    expect(block).toContain('[... event JSON truncated');
  });

  it('still says the event was cut when the size budget leaves it no room', () => {
    const block = codeBlockOf(
      chatFor(noticeFor(consoleLoginRecord()), { eventChars: 0 }).content.description,
    );
    expect(block).toMatch(/^\n?\[\.\.\. event JSON truncated: first 0 of \d+ characters shown/);
  });

  describe('with hostile event text', () => {
    const record = consoleLoginRecord({
      userAgent: HOSTILE,
      eventName: HOSTILE,
      sourceIPAddress: HOSTILE,
      awsRegion: HOSTILE,
      recipientAccountId: HOSTILE,
      errorCode: HOSTILE,
    });
    const chat = chatFor(noticeFor(record, { allowlistEntry: HOSTILE, dedupKey: HOSTILE }));
    const rendered = [
      chat.content.title,
      chat.content.description,
      ...chat.content.nextSteps,
      ...chat.content.keywords,
      chat.metadata.summary,
    ];

    it('renders the hostile text in every part it checks', () => {
      expect(chat.content.nextSteps.length).toBeGreaterThan(0);
      expect(chat.content.keywords.length).toBeGreaterThan(0);
      // Each of these carries a hostile field.
      expect(Object.keys(chat.metadata.additionalContext)).toEqual(
        expect.arrayContaining([
          'eventName',
          'sourceIp',
          'region',
          'accountId',
          'allowlistEntry',
          'dedupKey',
        ]),
      );
    });

    it('cannot mention anyone', () => {
      for (const text of rendered) {
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('<!');
        expect(text).not.toContain('@here');
      }
    });

    it('cannot link, format or open a code block', () => {
      for (const text of rendered) {
        expect(text).not.toContain('*bold*');
        expect(text).not.toContain('](');
        expect(text).not.toContain('://evil');
      }
      expect(chat.content.description.split('```')).toHaveLength(3);
    });

    it('cannot add a line, flip direction or send an ANSI sequence', () => {
      for (const text of rendered) expect(text).not.toMatch(FORBIDDEN_RAW);
      const lines = chat.content.description.split('\n');
      expect(lines.some((line) => line.startsWith('SEVERITY'))).toBe(false);
      expect(lines.some((line) => /^\s*"?SEVERITY/.test(line))).toBe(false);
    });

    it('keeps structured values machine-readable and bounded', () => {
      for (const value of Object.values(chat.metadata.additionalContext)) {
        expect(value).not.toMatch(FORBIDDEN_RAW);
        expect(value).not.toContain('\n');
        expect(value.length).toBeLessThan(320);
      }
    });
  });
});
