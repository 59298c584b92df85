import type { AlertNotice } from '../../src/alert/alert-notice.js';
import type { CountedEvent } from '../../src/dedup/counted-event.js';
import type { Alert, RuleMatch } from '../../src/engine/decision.js';
import type { Rule } from '../../src/engine/rule.js';
import type { Severity } from '../../src/engine/severity.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';

/** A rule with a runbook naming every placeholder; rules/ is not needed to test how alerts read. */
export const stubRule = (overrides: Partial<Rule> = {}): Rule => ({
  id: 'root-console-login-without-mfa',
  title: 'Root console sign-in without MFA',
  severity: 'CRITICAL',
  description: 'The root user signed in to the console without multi-factor authentication.',
  runbook: [
    'Confirm with the account owner of {account} whether this sign-in from {sourceIp} was planned.',
    'Review the last 24 h of root activity: {lookupCommand}',
    'Rotate the root password and MFA device of {account}; check {region} for new IAM users.',
  ],
  allowlistable: false,
  dedupBy: 'event',
  match: () => true,
  tests: () => [],
  ...overrides,
});

export const consoleLoginRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord => ({
  eventVersion: '1.08',
  userIdentity: {
    type: 'Root',
    principalId: '111122223333',
    arn: 'arn:aws:iam::111122223333:root',
    accountId: '111122223333',
    accessKeyId: '',
  },
  eventTime: '2026-03-01T03:14:15Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' },
  eventID: '3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  eventType: 'AwsConsoleSignIn',
  recipientAccountId: '111122223333',
  ...overrides,
});

/**
 * A role of the management account starting a member account's root email update: not root,
 * but a change of who controls the member's root user.
 */
export const memberEmailRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  consoleLoginRecord({
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/OrgAdmin/mallory',
      accountId: '111122223333',
      accessKeyId: 'ASIAORGADMINEXAMPLE1',
    },
    eventSource: 'account.amazonaws.com',
    eventName: 'StartPrimaryEmailUpdate',
    eventType: 'AwsApiCall',
    requestParameters: { accountId: '444455556666', primaryEmail: 'new-owner@example.net' },
    responseElements: { status: 'PENDING' },
    additionalEventData: undefined,
    ...overrides,
  });

/** A root call the console made for the person signed in, as CloudTrail records it. */
export const consoleCallRecord = (overrides: CloudTrailRecord = {}): CloudTrailRecord =>
  consoleLoginRecord({
    userIdentity: {
      type: 'Root',
      principalId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      accessKeyId: 'ASIAQWERTYUIOPCONSOL',
      invokedBy: 'signin.amazonaws.com',
    },
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    userAgent: 'signin.amazonaws.com',
    responseElements: null,
    additionalEventData: undefined,
    eventType: 'AwsApiCall',
    ...overrides,
  });

export interface NoticeOptions {
  rules?: readonly [Rule, ...Rule[]];
  severity?: Severity;
  allowlistEntry?: string;
  dedupKey?: string;
  suppressedBefore?: number;
}

/** An alert for `record` as the engine would give it. */
export const noticeFor = (record: CloudTrailRecord, options: NoticeOptions = {}): AlertNotice => {
  const event = toTrailEvent(record);
  const [first, ...rest] = options.rules ?? [stubRule()];
  const toMatch = (rule: Rule): RuleMatch => ({ rule, severity: rule.severity });
  const alert: Alert = {
    kind: 'alert',
    event,
    matches: [toMatch(first), ...rest.map(toMatch)],
    severity: options.severity ?? first.severity,
    allowlistEntry: options.allowlistEntry,
    dedupKey: options.dedupKey ?? `event#${event.eventId}`,
    dedupMinutes: 15,
  };
  return { alert, suppressedBefore: options.suppressedBefore ?? 0 };
};

/**
 * A user agent that tries everything at once: new lines with a fake all-clear, a bidi flip, a
 * Slack broadcast, bold text, a markdown link, an ANSI colour and zero-width characters.
 */
export const HOSTILE =
  'curl\n\nSEVERITY: LOW - all clear\u202e<!channel> *bold* [x](http://evil) \u001b[31m\u200b@here\u2028done';

/**
 * Characters no output may carry raw, line feeds aside (our own text has lines): controls (so
 * ESC), format characters (bidi, zero-width) and line or paragraph separators.
 */
export const FORBIDDEN_RAW = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** When the fixtures' collapse window opened. */
export const WINDOW_OPENED = Date.parse('2026-03-01T03:14:15Z');

/** An event a collapse window counted, a minute after it opened, in real time. */
export const countedEvent = (overrides: Partial<CountedEvent> = {}): CountedEvent => ({
  eventId: 'e-1',
  eventName: 'ListUsers',
  eventSource: 'iam.amazonaws.com',
  accountId: '111122223333',
  region: 'us-east-1',
  sourceIp: '203.0.113.7',
  at: WINDOW_OPENED + 60_000,
  errorCode: undefined,
  severity: 'HIGH',
  ruleIds: ['root-activity'],
  countedAt: WINDOW_OPENED + 2 * 60_000,
  arrival: 'real-time',
  ...overrides,
});
