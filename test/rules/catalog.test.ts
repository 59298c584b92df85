import { describe, expect, it } from 'vitest';
import { defaultContext } from '../../rules/cases.js';
import { CATALOG, ruleById } from '../../rules/index.js';
import { rootUsage } from '../../src/engine/root-usage.js';
import { FALLBACK_RULE_ID } from '../../src/engine/rule.js';
import { SEVERITIES } from '../../src/engine/severity.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';

describe('Rule catalog', () => {
  describe.each(CATALOG.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    it.each(rule.tests().map((ruleCase) => [ruleCase.name, ruleCase] as const))(
      'case: %s',
      (_name, ruleCase) => {
        const event = toTrailEvent(ruleCase.record);
        const matches = rule.match(event, ruleCase.context ?? defaultContext);

        // A positive case passes the root gate (unless the rule judges every identity's calls)
        // and the rule; a negative one fails the rule's own match, so that it cannot pass only
        // because its identity is not root.
        const judged = rule.identities === 'any' || rootUsage(event).root;
        if (ruleCase.expected) expect(judged && matches).toBe(true);
        else expect(matches).toBe(false);
      },
    );

    it('has a positive and a negative case', () => {
      expect(rule.tests().some((ruleCase) => ruleCase.expected)).toBe(true);
      // The fallback matches all root usage by design; only the root gate turns events away
      // from it, and test/rules/root-usage.test.ts covers the gate.
      if (rule.id !== FALLBACK_RULE_ID) {
        expect(rule.tests().some((ruleCase) => !ruleCase.expected)).toBe(true);
      }
    });

    it('has uniquely named cases', () => {
      const names = rule.tests().map((ruleCase) => ruleCase.name);
      expect(new Set(names).size).toBe(names.length);
    });

    it('has an ASCII title that fits an email subject', () => {
      expect(rule.title).toMatch(/^[\x20-\x7e]+$/);
      expect(rule.title.length).toBeLessThanOrEqual(60);
    });

    it('has a description and a severity from the scale', () => {
      expect(rule.description.length).toBeGreaterThan(20);
      expect(SEVERITIES).toContain(rule.severity);
    });

    it('lists the exact lookup command in its runbook', () => {
      expect(rule.runbook.some((step) => step.includes('{lookupCommand}'))).toBe(true);
    });

    it('uses only placeholders the alert fills in', () => {
      const placeholders = rule.runbook.flatMap((step) => step.match(/\{[^}]*\}/g) ?? []);
      for (const placeholder of placeholders) {
        expect(['{account}', '{region}', '{sourceIp}', '{lookupCommand}']).toContain(placeholder);
      }
    });
  });

  it('has unique ids', () => {
    const ids = CATALOG.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds exactly the specified rules, in priority order, with the root-activity fallback last', () => {
    expect(
      CATALOG.map(({ id, severity, allowlistable, dedupBy }) => ({
        id,
        severity,
        allowlistable,
        dedupBy,
      })),
    ).toEqual([
      {
        id: 'root-console-login-without-mfa',
        severity: 'CRITICAL',
        allowlistable: false,
        dedupBy: 'event',
      },
      {
        id: 'root-access-key-created',
        severity: 'CRITICAL',
        allowlistable: false,
        dedupBy: 'event',
      },
      { id: 'root-mfa-removed', severity: 'CRITICAL', allowlistable: false, dedupBy: 'event' },
      {
        id: 'root-credentials-changed',
        severity: 'CRITICAL',
        allowlistable: true,
        dedupBy: 'event',
      },
      {
        id: 'root-recovery-channel-changed',
        severity: 'CRITICAL',
        allowlistable: false,
        dedupBy: 'event',
      },
      { id: 'root-audit-tampering', severity: 'CRITICAL', allowlistable: false, dedupBy: 'event' },
      {
        id: 'root-session-outside-task-policy',
        severity: 'HIGH',
        allowlistable: false,
        dedupBy: 'event',
      },
      { id: 'root-iam-persistence', severity: 'HIGH', allowlistable: true, dedupBy: 'event' },
      { id: 'root-session-issued', severity: 'HIGH', allowlistable: true, dedupBy: 'event' },
      {
        id: 'root-central-access-disabled',
        severity: 'HIGH',
        allowlistable: true,
        dedupBy: 'event',
      },
      { id: 'root-console-login', severity: 'HIGH', allowlistable: true, dedupBy: 'event' },
      {
        id: 'root-central-access-enabled',
        severity: 'MEDIUM',
        allowlistable: true,
        dedupBy: 'event',
      },
      {
        id: 'root-console-login-failure',
        severity: 'MEDIUM',
        allowlistable: true,
        dedupBy: 'account-and-source-ip',
      },
      {
        id: 'monitor-changed',
        severity: 'HIGH',
        allowlistable: false,
        dedupBy: 'account-and-principal',
      },
      {
        id: 'monitor-changed-by-cloudformation',
        severity: 'HIGH',
        allowlistable: false,
        dedupBy: 'account-and-principal',
      },
      {
        id: 'monitor-stack-changed',
        severity: 'MEDIUM',
        allowlistable: false,
        dedupBy: 'account-and-principal',
      },
      {
        id: 'root-activity',
        severity: 'HIGH',
        allowlistable: true,
        dedupBy: 'account-and-source-ip',
      },
    ]);
  });

  it('finds rules by id', () => {
    expect(ruleById('root-mfa-removed')?.title).toBe('MFA removal by root');
    expect(ruleById('no-such-rule')).toBeUndefined();
  });
});
