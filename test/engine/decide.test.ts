import { describe, expect, it } from 'vitest';
import {
  assumeRootRecord,
  iamUserRecord,
  roleSessionRecord,
  rootRecord,
  rootSessionCallRecord,
  rootSignIn,
} from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import type { ConfigDocument } from '../../src/config/config.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { decide } from '../../src/engine/decide.js';
import type { Rule, RuleContext } from '../../src/engine/rule.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import { type RootSession, sessionOpenedBy } from '../../src/root-sessions/root-session.js';
import { joinSession } from '../../src/root-sessions/session-join.js';

const context: RuleContext = { monitor: { configParameter: '/root-monitor/config' } };

const configOf = (document: object) => {
  const source: ConfigDocument = { source: 'test.json', text: JSON.stringify(document) };
  const result = parseConfig([source], CATALOG);
  if (!result.valid) throw new Error(result.problems.join('\n'));
  return result.config;
};

const decideOn = (record: CloudTrailRecord, config = defaultConfigFor(CATALOG)) =>
  decide(toTrailEvent(record), CATALOG, config, context, new Date('2026-05-01T00:00:00Z'));

const ruleIds = (decision: ReturnType<typeof decideOn>) =>
  decision.kind === 'ignored' ? [] : decision.matches.map((match) => match.rule.id);

const billingEntry = {
  id: 'billing',
  reason: 'monthly billing export',
  eventNames: ['GetBillingData', 'ConsoleLogin', 'CreateAccessKey', 'ListUsers'],
  sourceIps: ['198.51.100.0/24'],
};

describe('decide', () => {
  it('ignores identities other than root, and root acting through an AWS service', () => {
    expect(decideOn(rootRecord({ userIdentity: { type: 'IAMUser' } }))).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('IAMUser'),
    });
    expect(
      decideOn(rootRecord({ userIdentity: { type: 'Root', invokedBy: 'support.amazonaws.com' } }))
        .kind,
    ).toBe('ignored');
    expect(decideOn(rootRecord({ eventType: 'AwsServiceEvent' })).kind).toBe('ignored');
  });

  it('alerts on root usage no specific rule covers through the fallback', () => {
    const decision = decideOn(rootRecord({ eventName: 'ListBuckets', readOnly: true }));
    expect(decision).toMatchObject({ kind: 'alert', severity: 'HIGH' });
    expect(ruleIds(decision)).toEqual(['root-activity']);
  });

  it('alerts on failed and read-only calls and centralized-root sessions', () => {
    expect(decideOn(rootRecord({ errorCode: 'AccessDenied' })).kind).toBe('alert');
    expect(decideOn(rootRecord({ readOnly: true })).kind).toBe('alert');
    const session = rootRecord({
      userIdentity: { type: 'Root', accountId: '111122223333', assumedRoot: 'true' },
    });
    expect(decideOn(session)).toMatchObject({ kind: 'alert', event: { assumedRoot: true } });
  });

  it('lets a specific rule replace the fallback and lead with its severity', () => {
    const decision = decideOn(rootSignIn({ additionalEventData: { MFAUsed: 'No' } }));
    expect(decision).toMatchObject({ kind: 'alert', severity: 'CRITICAL' });
    expect(ruleIds(decision)).toEqual(['root-console-login-without-mfa']);
  });

  describe('allowlist', () => {
    it('allowlists root usage an entry covers when every matching rule is allowlistable', () => {
      const decision = decideOn(rootRecord(), configOf({ version: 1, allow: [billingEntry] }));
      expect(decision).toMatchObject({ kind: 'allowlisted', allowlistEntry: 'billing' });
      expect(ruleIds(decision)).toEqual(['root-activity']);
    });

    it('still alerts on a rule that is not allowlistable, naming the entry that matched', () => {
      const config = configOf({ version: 1, allow: [billingEntry] });
      const noMfa = decideOn(rootSignIn({ additionalEventData: { MFAUsed: 'No' } }), config);
      expect(noMfa).toMatchObject({ kind: 'alert', allowlistEntry: 'billing' });
      const key = decideOn(
        rootRecord({ eventName: 'CreateAccessKey', requestParameters: null }),
        config,
      );
      expect(key).toMatchObject({ kind: 'alert', allowlistEntry: 'billing' });
    });

    it('names no entry when none matched', () => {
      expect(decideOn(rootRecord())).toMatchObject({ kind: 'alert', allowlistEntry: undefined });
    });

    it('uses the clock for an event without eventTime', () => {
      const config = configOf({
        version: 1,
        allow: [{ ...billingEntry, expires: '2026-04-01T00:00:00Z' }],
      });
      // decideOn's clock is 2026-05-01, past the expiry.
      expect(decideOn(rootRecord({ eventTime: undefined }), config).kind).toBe('alert');
      expect(decideOn(rootRecord({ eventTime: '2026-03-01T00:00:00Z' }), config).kind).toBe(
        'allowlisted',
      );
    });

    it('judges an event dated in the future at the clock, so it cannot reach an entry not yet valid', () => {
      const config = configOf({
        version: 1,
        allow: [{ ...billingEntry, notBefore: '2026-06-01T00:00:00Z' }],
      });
      // decideOn's clock is 2026-05-01, before the entry's notBefore.
      expect(decideOn(rootRecord({ eventTime: '2026-07-01T00:00:00Z' }), config).kind).toBe(
        'alert',
      );
    });
  });

  describe('rule settings', () => {
    it('applies a severity override', () => {
      const config = configOf({ version: 1, rules: { 'root-activity': { severity: 'LOW' } } });
      expect(decideOn(rootRecord(), config)).toMatchObject({ kind: 'alert', severity: 'LOW' });
    });

    it('hands events of a disabled rule to the fallback', () => {
      const config = configOf({ version: 1, rules: { 'root-console-login': { enabled: false } } });
      const decision = decideOn(rootSignIn({ additionalEventData: { MFAUsed: 'Yes' } }), config);
      expect(ruleIds(decision)).toEqual(['root-activity']);
    });
  });

  describe('dedup keys', () => {
    it('collapses the fallback by account and source IP, with its configured window', () => {
      const config = configOf({ version: 1, rules: { 'root-activity': { dedupMinutes: 60 } } });
      expect(decideOn(rootRecord(), config)).toMatchObject({
        dedupKey: 'root-activity#111122223333#198.51.100.23',
        dedupMinutes: 60,
      });
    });

    it('collapses failed sign-ins by account and source IP with the document window', () => {
      const failure = rootSignIn({
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
      });
      expect(decideOn(failure, configOf({ version: 1, dedupMinutes: 30 }))).toMatchObject({
        dedupKey: 'root-console-login-failure#111122223333#198.51.100.23',
        dedupMinutes: 30,
      });
    });

    it('keys per-event rules by eventID, remembered as long as EventBridge may redeliver', () => {
      const decision = decideOn(rootSignIn({ additionalEventData: { MFAUsed: 'Yes' } }));
      expect(decision).toMatchObject({
        dedupKey: 'event#0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d',
        dedupMinutes: 24 * 60,
      });
    });

    it('gives a hand-typed event without eventID a stable key of its own', () => {
      const record = {
        userIdentity: { type: 'Root' },
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
      };
      const first = decideOn({ ...record, responseElements: { ConsoleLogin: 'Success' } });
      const again = decideOn({ ...record, responseElements: { ConsoleLogin: 'Success' } });
      expect(first.kind === 'alert' && first.dedupKey).toMatch(/^event#sha256-/);
      expect(first.kind === 'alert' && first.dedupKey).toBe(
        again.kind === 'alert' && again.dedupKey,
      );
    });
  });

  describe('how matching rules combine', () => {
    const rule = (id: string, severity: Rule['severity'], allowlistable: boolean): Rule => ({
      id,
      title: id,
      severity,
      description: id,
      runbook: [`${id} step {lookupCommand}`],
      allowlistable,
      dedupBy: 'event',
      match: () => true,
      tests: () => [],
    });
    const fallback = { ...rule('root-activity', 'HIGH', true), match: () => true };
    const entryForAll = configOf({ version: 1, allow: [billingEntry] });
    const decideWith = (catalog: Rule[], config = defaultConfigFor(CATALOG)) =>
      decide(toTrailEvent(rootRecord()), catalog, config, context, new Date());

    it('names every matching rule, most severe first, and leads with the most severe', () => {
      const decision = decideWith([
        rule('medium', 'MEDIUM', true),
        rule('critical', 'CRITICAL', true),
        fallback,
      ]);
      expect(decision).toMatchObject({ kind: 'alert', severity: 'CRITICAL' });
      expect(ruleIds(decision)).toEqual(['critical', 'medium']);
    });

    it('lets a rule that is not allowlistable overrule an entry even when it is not the top rule', () => {
      const decision = decideWith(
        [rule('top-allowlistable', 'HIGH', true), rule('locked', 'MEDIUM', false), fallback],
        entryForAll,
      );
      expect(decision).toMatchObject({ kind: 'alert', allowlistEntry: 'billing' });
      expect(ruleIds(decision)).toEqual(['top-allowlistable', 'locked']);
    });

    it('counts a rule that throws as matching, so a crafted event cannot dodge a locked rule', () => {
      const throwing: Rule = {
        ...rule('locked', 'CRITICAL', false),
        match: () => {
          throw new Error('unexpected shape');
        },
      };
      const decision = decideWith([throwing, fallback], entryForAll);
      expect(decision).toMatchObject({ kind: 'alert', allowlistEntry: 'billing' });
      expect(ruleIds(decision)).toEqual(['locked']);
    });
  });

  describe('calls by other identities that change who controls a root user', () => {
    const memberContact = (eventID: string) =>
      iamUserRecord({
        eventID,
        eventSource: 'account.amazonaws.com',
        eventName: 'PutAlternateContact',
        requestParameters: { alternateContactType: 'SECURITY', accountId: '444455556666' },
      });
    const switchRootAccess = (eventName: string, eventID = 'switch-1') =>
      roleSessionRecord({ eventID, eventSource: 'iam.amazonaws.com', eventName });
    const everyCall = configOf({
      version: 1,
      allow: [
        { id: 'org-admin', reason: 'organization administration', sourceIps: ['198.51.100.0/24'] },
      ],
    });

    it("alerts a member account's contact changed from the management account, each event on its own", () => {
      const first = decideOn(memberContact('contact-1'));
      const second = decideOn(memberContact('contact-2'));
      expect(first).toMatchObject({
        kind: 'alert',
        severity: 'CRITICAL',
        dedupKey: 'event#contact-1',
      });
      expect(ruleIds(first)).toEqual(['root-recovery-channel-changed']);
      expect(second).toMatchObject({ kind: 'alert', dedupKey: 'event#contact-2' });
    });

    it('lets no allowlist entry silence it', () => {
      expect(decideOn(memberContact('contact-1'), everyCall)).toMatchObject({
        kind: 'alert',
        allowlistEntry: 'org-admin',
      });
    });

    it("ignores the same call on the caller's own account", () => {
      const own = iamUserRecord({
        eventSource: 'account.amazonaws.com',
        eventName: 'PutAlternateContact',
        requestParameters: { alternateContactType: 'SECURITY' },
      });
      expect(decideOn(own)).toMatchObject({ kind: 'ignored', reason: 'identity type is IAMUser' });
    });

    it('alerts centralized root access turned off at HIGH and on at MEDIUM, each event on its own', () => {
      const off = decideOn(switchRootAccess('DisableOrganizationsRootSessions', 'off-1'));
      const on = decideOn(switchRootAccess('EnableOrganizationsRootSessions', 'on-1'));
      expect(off).toMatchObject({ kind: 'alert', severity: 'HIGH', dedupKey: 'event#off-1' });
      expect(ruleIds(off)).toEqual(['root-central-access-disabled']);
      expect(on).toMatchObject({ kind: 'alert', severity: 'MEDIUM', dedupKey: 'event#on-1' });
      expect(ruleIds(on)).toEqual(['root-central-access-enabled']);
    });

    it('lets an allowlist entry naming the caller cover a planned switch', () => {
      const orgAdmin = configOf({
        version: 1,
        allow: [
          {
            id: 'org-admin-role',
            reason: 'organization administration',
            principalArns: ['arn:aws:iam::111122223333:role/ServiceTestRole'],
          },
        ],
      });
      expect(
        decideOn(switchRootAccess('DisableOrganizationsRootCredentialsManagement'), orgAdmin),
      ).toMatchObject({ kind: 'allowlisted', allowlistEntry: 'org-admin-role' });
    });
  });

  describe("a member account's root call made in a root session", () => {
    const NOW = new Date('2026-05-04T12:00:00Z');
    const session = sessionOpenedBy(toTrailEvent(assumeRootRecord()), NOW) as RootSession;
    /** Decides as the pipeline does: with the session joined, when one is remembered. */
    const decideInSession = (
      overrides: CloudTrailRecord,
      config = defaultConfigFor(CATALOG),
      { remembered }: { remembered: RootSession | undefined } = { remembered: session },
    ) => {
      const event = toTrailEvent(rootSessionCallRecord(overrides));
      const rootSession = joinSession(event, remembered);
      return decide(event, CATALOG, config, { ...context, rootSession }, NOW);
    };
    const bucketUnlocks = configOf({
      version: 1,
      allow: [
        {
          id: 'bucket-unlocks',
          reason: 'security team unlocks bucket policies, runbook SEC-7',
          sessionPrincipalArns: ['arn:aws:iam::111122223333:role/RootTaskOperator'],
          sessionTaskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
        },
      ],
    });

    it('carries the session it was joined with into the decision', () => {
      expect(decideInSession({})).toMatchObject({
        kind: 'alert',
        rootSession: { kind: 'seen', session, taskPolicy: 'within' },
      });
      expect(decideInSession({}, bucketUnlocks)).toMatchObject({
        kind: 'allowlisted',
        allowlistEntry: 'bucket-unlocks',
        rootSession: { kind: 'seen' },
      });
    });

    it('alerts a call outside the task policy at HIGH, per event, whatever the allowlist says', () => {
      const denied = decideInSession(
        { eventID: 'outside-1', eventName: 'DeleteBucket', errorCode: 'AccessDenied' },
        bucketUnlocks,
      );
      expect(denied).toMatchObject({
        kind: 'alert',
        severity: 'HIGH',
        allowlistEntry: 'bucket-unlocks',
        dedupKey: 'event#outside-1',
      });
      expect(ruleIds(denied)).toEqual(['root-session-outside-task-policy']);
    });

    it('keeps a more severe rule on top of a call outside the task policy', () => {
      const accessKey = decideInSession({
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
      });
      expect(accessKey).toMatchObject({ kind: 'alert', severity: 'CRITICAL' });
      expect(ruleIds(accessKey)).toEqual([
        'root-access-key-created',
        'root-session-outside-task-policy',
      ]);
    });

    it('lets no entry naming the opener cover a session whose AssumeRoot was not seen', () => {
      const unseen = decideInSession({}, bucketUnlocks, { remembered: undefined });
      expect(unseen).toMatchObject({
        kind: 'alert',
        rootSession: { kind: 'unseen', lookup: 'none-remembered' },
      });
      expect(ruleIds(unseen)).toEqual(['root-activity']);
    });
  });
});
