import { describe, expect, it } from 'vitest';
import { iamUserRecord, rootRecord, rootSignIn } from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { decide } from '../../src/engine/decide.js';
import type { Alert } from '../../src/engine/decision.js';
import { SEVERITIES } from '../../src/engine/severity.js';
import type { FirstSeen } from '../../src/first-seen/first-seen.js';
import {
  firstSeenFields,
  firstSeenLabel,
  firstSeenSentence,
} from '../../src/first-seen/first-seen-text.js';
import { markedAlert, oneSeverityUp, sightingOf } from '../../src/first-seen/mark-alert.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';

const NOW = Date.parse('2026-03-14T03:00:00Z');

const alertFor = (record: CloudTrailRecord): Alert => {
  const decision = decide(
    toTrailEvent(record),
    CATALOG,
    defaultConfigFor(CATALOG),
    { monitor: {} },
    new Date(NOW),
  );
  if (decision.kind !== 'alert') throw new Error(`expected an alert, got ${decision.kind}`);
  return decision;
};

const FIRST_SEEN: FirstSeen = { kind: 'first-seen', source: '198.51.100.23', days: 90 };

describe('sightingOf: which root alerts note their source', () => {
  it('notes root’s own call: the account, the source as remembered, the event and its time', () => {
    const alert = alertFor(
      rootRecord({
        eventID: 'e1',
        sourceIPAddress: '2001:db8:4f2a::17',
        eventName: 'RunInstances',
      }),
    );

    expect(sightingOf(alert, NOW - 5_000, NOW)).toEqual({
      accountId: '111122223333',
      source: '2001:db8:4f2a::/64',
      eventId: 'e1',
      at: NOW - 5_000,
      now: NOW,
    });
  });

  it.each([
    ['AWS Internal', rootRecord({ sourceIPAddress: 'AWS Internal' })],
    ['a service name', rootRecord({ sourceIPAddress: 'cloudformation.amazonaws.com' })],
    [
      'a failed sign-in: a guess at the password, not a use of root',
      rootSignIn({ responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed auth' }),
    ],
    [
      'another identity handing out a root session (AssumeRoot): not root’s own address',
      iamUserRecord({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRoot',
        requestParameters: { targetPrincipal: '444455556666' },
      }),
    ],
    [
      'an account that is no account id',
      rootRecord({ recipientAccountId: 'Unknown', userIdentity: { type: 'Root' } }),
    ],
  ])('notes nothing for %s', (_, record) => {
    expect(sightingOf(alertFor(record), NOW, NOW)).toBeUndefined();
  });

  it('notes a successful sign-in and a failed call made with root’s credentials', () => {
    expect(sightingOf(alertFor(rootSignIn()), NOW, NOW)).toBeDefined();
    expect(
      sightingOf(
        alertFor(rootRecord({ errorCode: 'AccessDenied', errorMessage: 'SCP' })),
        NOW,
        NOW,
      ),
    ).toBeDefined();
  });
});

describe('markedAlert: one severity up for a first-seen source', () => {
  it('raises each severity one step, and leaves CRITICAL as it is', () => {
    expect(SEVERITIES.map(oneSeverityUp)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'MEDIUM']);
  });

  it('raises root activity from HIGH to CRITICAL, and keeps the rule’s own severity in matches', () => {
    const alert = alertFor(rootRecord({ eventName: 'RunInstances' }));

    const marked = markedAlert(alert, FIRST_SEEN);

    expect(alert.severity).toBe('HIGH');
    expect(marked.severity).toBe('CRITICAL');
    expect(marked.matches[0].severity).toBe('HIGH');
    expect(firstSeenSentence(FIRST_SEEN, marked)).toBe(
      'First seen: root has not used 198.51.100.23 in this account in the last 90 days, so this alert is raised from HIGH to CRITICAL.',
    );
    expect(firstSeenFields(marked, FIRST_SEEN)).toEqual({
      firstSeen: 'first seen',
      firstSeenSource: '198.51.100.23',
      severityRaisedFrom: 'HIGH',
    });
  });

  it('says a CRITICAL alert is CRITICAL already', () => {
    const marked = markedAlert(
      alertFor(rootSignIn({ additionalEventData: { MFAUsed: 'No' } })),
      FIRST_SEEN,
    );

    expect(marked.severity).toBe('CRITICAL');
    expect(firstSeenSentence(FIRST_SEEN, marked)).toContain('so this alert is CRITICAL already.');
    expect(firstSeenFields(marked, FIRST_SEEN)).not.toHaveProperty('severityRaisedFrom');
  });

  it.each([
    [
      {
        kind: 'learning',
        source: '2001:db8:4f2a::/64',
        days: 90,
        learningUntil: Date.parse('2026-03-20T00:00:00Z'),
      },
      'first seen (learning)',
      'First seen (learning): root has not used the network 2001:db8:4f2a::/64 in this account in the last 90 days. The monitor is still learning the sources root uses, until 2026-03-20T00:00:00Z (UTC), and raises no severity for them before then.',
    ],
    [
      { kind: 'in-archive', source: '198.51.100.23' },
      'first seen in this archive',
      'First seen in this archive: no earlier root event from 198.51.100.23 in this account was read.',
    ],
  ] as const)('marks but does not raise for %j', (firstSeen, label, sentence) => {
    const alert = alertFor(rootRecord({ eventName: 'RunInstances' }));

    const marked = markedAlert(alert, firstSeen);

    expect(marked).toBe(alert);
    expect(firstSeenLabel(firstSeen)).toBe(label);
    expect(firstSeenSentence(firstSeen, marked)).toBe(sentence);
  });
});
