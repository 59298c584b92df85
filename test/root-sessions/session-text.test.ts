import { describe, expect, it } from 'vitest';
import { assumeRootRecord, rootSessionCallRecord } from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import { alertFields } from '../../src/alert/alert-fields.js';
import type { AlertNotice } from '../../src/alert/alert-notice.js';
import { alertEventFor } from '../../src/alert/bus-event.js';
import { findingFor } from '../../src/alert/finding.js';
import { chatFor } from '../../src/alert/render/chat.js';
import { emailFor } from '../../src/alert/render/email.js';
import { subjectFor } from '../../src/alert/render/subject.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { decide } from '../../src/engine/decide.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import { type RootSession, sessionOpenedBy } from '../../src/root-sessions/root-session.js';
import { joinSession } from '../../src/root-sessions/session-join.js';

const NOW = new Date('2026-05-04T12:00:00Z');

/** The alert the pipeline sends for a session's call, with `session` remembered. */
const noticeFor = (call: CloudTrailRecord, session: RootSession | undefined): AlertNotice => {
  const event = toTrailEvent(rootSessionCallRecord(call));
  const rootSession = joinSession(event, session);
  const decision = decide(
    event,
    CATALOG,
    defaultConfigFor(CATALOG),
    { monitor: {}, rootSession },
    NOW,
  );
  if (decision.kind !== 'alert') throw new Error(`expected an alert, got ${decision.kind}`);
  return { alert: decision, suppressedBefore: 0 };
};

/** What the AssumeRoot record says of its caller, written to break every medium it reaches. */
const HOSTILE_OPENER = 'arn:aws:sts::111122223333:assumed-role/Ops/<!channel> *all clear*\n\u202e';
const HOSTILE_ADDRESS = '192.0.2.1\r\n\u001b[31mhttp://evil.example/';
const hostile = sessionOpenedBy(
  toTrailEvent(
    assumeRootRecord({
      sourceIPAddress: HOSTILE_ADDRESS,
      userIdentity: { type: 'AssumedRole', arn: HOSTILE_OPENER, accountId: '111122223333' },
    }),
  ),
  NOW,
) as RootSession;

describe('how an alert speaks of the root session', () => {
  const outside = noticeFor({ eventName: 'DeleteBucket', errorCode: 'AccessDenied' }, hostile);
  const email = emailFor(outside);
  const chat = chatFor(outside);
  const fields = alertFields(outside);
  const bus = JSON.parse(alertEventFor(outside).detail) as Record<string, unknown>;
  const finding = findingFor(
    outside,
    { accountId: '111122223333', region: 'us-east-1', partition: 'aws' },
    NOW,
  );

  it('names who opened it, from where, with which task policy and when, in every medium', () => {
    expect(email).toContain(
      '  Root session:     opened by arn:aws:sts::111122223333:assumed-role/Ops/',
    );
    expect(email).toContain('with task policy S3UnlockBucketPolicy at 2026-05-04T09:13:11Z (UTC)');
    expect(email).toContain('  Task policy:      OUTSIDE the task policy S3UnlockBucketPolicy');
    expect(chat.content.description).toContain('*Root session:* opened by `arn:aws:sts::');
    expect(fields).toMatchObject({
      rootSession: 'seen',
      sessionTaskPolicy: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
      sessionOpenedAt: '2026-05-04T09:13:11.000Z',
      taskPolicyCheck: 'outside',
    });
    expect(bus).toMatchObject({ rootSession: 'seen', taskPolicyCheck: 'outside' });
    expect(chat.metadata.additionalContext).toMatchObject({ taskPolicyCheck: 'outside' });
    expect(finding.ProductFields).toMatchObject({
      'root-monitor/RootSession': 'seen',
      'root-monitor/TaskPolicyCheck': 'outside',
    });
  });

  it("escapes the AssumeRoot record's text wherever it is shown", () => {
    const shown = [
      email,
      JSON.stringify(chat),
      ...Object.values(fields).map(String),
      ...Object.values(bus).map(String),
      ...Object.values(finding.ProductFields ?? {}),
    ];
    /** Any control character but the line breaks a medium adds itself, or a direction flip. */
    const hidden = (text: string): boolean =>
      [...text].some((char) => {
        const code = char.codePointAt(0) ?? 0;
        return (code < 0x20 && char !== '\n') || code === 0x7f || char === '\u202e';
      });
    for (const text of shown) {
      expect(hidden(text), text).toBe(false);
      expect(text).not.toContain('://evil');
    }
    // The email shows the line break and the direction flip as text, on the session's own row.
    expect(email).toMatch(
      /^ {2}Root session: {5}opened by .*<!channel> \*all clear\*\\n\\u202e from /m,
    );
    const sessionLine = chat.content.description
      .split('\n')
      .find((line) => line.startsWith('*Root session:*'));
    expect(sessionLine).toBeDefined();
    expect(sessionLine).not.toContain('<!channel>');
    expect(sessionLine).not.toContain('*all clear*');
    expect(String(fields.sessionOpenedBy)).toContain('\\n');
    expect(String(fields.sessionSourceIp)).toContain('\\r\\n');
  });

  it('keeps the subject to our own words: the rule, the path, the account and Region', () => {
    expect(subjectFor(outside)).toBe(
      '[HIGH] Root session call outside its task policy via AssumeRoot - 444455556666 us-west-2',
    );
  });

  it('says so when no AssumeRoot was seen for the session', () => {
    const unseen = noticeFor({}, undefined);
    expect(emailFor(unseen)).toContain(
      '  Root session:     a root session opened by sts:AssumeRoot, but no AssumeRoot for its access key was seen: the management (or delegated administrator) account',
    );
    expect(alertFields(unseen)).toMatchObject({
      rootSession: 'unseen',
      sessionAccessKeyId: 'ASIAROOTSESSIONEXAMP',
    });
    expect('sessionOpenedBy' in alertFields(unseen)).toBe(false);
  });

  it('adds nothing for root outside any root session', () => {
    const own = noticeFor({ userIdentity: { type: 'Root', accountId: '444455556666' } }, undefined);
    expect(emailFor(own)).not.toContain('Root session:');
    expect('rootSession' in alertFields(own)).toBe(false);
  });
});
