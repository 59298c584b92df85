import { describe, expect, it } from 'vitest';
import { iamUserRecord } from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import { requestBytes, SNS_MAX_REQUEST_BYTES } from '../../src/alert/render/sns-request.js';
import { compareDocuments } from '../../src/config/compare-documents.js';
import type { ConfigDocument } from '../../src/config/config.js';
import {
  type ChangeOutcome,
  configChangeAlertFor,
} from '../../src/config-watch/config-change-alert.js';
import { configChangeOf } from '../../src/config-watch/config-change-event.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';

const compare = (before: ConfigDocument | undefined, after: ConfigDocument | undefined) =>
  compareDocuments(before, after, CATALOG);

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';
const PARAMETER = '/root-monitor/config';

const HOSTILE = 'evil\n[HIGH] all clear <!channel> *bold* http://x.example \u202egnp.exe';

const changeBy = (overrides: Record<string, unknown> = {}) => {
  const change = configChangeOf(
    toTrailEvent(
      iamUserRecord({
        eventSource: 'ssm.amazonaws.com',
        eventName: 'PutParameter',
        requestParameters: { name: PARAMETER },
        responseElements: { version: 2 },
        ...overrides,
      }),
    ),
    PARAMETER,
    TOPIC.split(':')[4],
  );
  if (change === undefined) throw new Error('not a configuration change');
  return change;
};

const compared = (after: object): ChangeOutcome => ({
  kind: 'compared',
  parameter: PARAMETER,
  version: 2,
  previousVersion: 1,
  diff: compare(
    { source: PARAMETER, text: '{"version": 1}' },
    { source: PARAMETER, text: JSON.stringify(after) },
  ),
  reason: HOSTILE,
});

const partsOf = (message: string) => {
  const { default: chat, email } = JSON.parse(message) as { default: string; email: string };
  return { chat: JSON.parse(chat), chatText: chat, email };
};

describe('configChangeAlertFor', () => {
  it('escapes what the principal and the document chose, in email and chat', () => {
    const change = changeBy({ userAgent: HOSTILE });
    const outcome = compared({
      version: 1,
      allow: [{ id: HOSTILE, reason: HOSTILE, eventNames: [HOSTILE] }],
    });

    const request = configChangeAlertFor({ change, outcome, path: false }, TOPIC);

    expect(request.Subject).toBe('[HIGH] root-monitor allowlist widened - 111122223333 us-east-1');
    const { email, chatText } = partsOf(request.Message);
    expect(email).not.toContain('evil\n');
    expect(email).not.toContain('\u202e');
    expect(email).not.toContain('http://');
    expect(email).toContain('evil\\n[HIGH] all clear');
    expect(chatText).not.toContain('<!channel>');
    expect(chatText).not.toContain('\u202e');
  });

  it('says a document that no longer validates makes the monitor fail closed, with its problems', () => {
    const request = configChangeAlertFor(
      {
        change: changeBy(),
        outcome: compared({ version: 1, allow: [{ id: 'x', reason: 'r' }] }),
        path: false,
      },
      TOPIC,
    );

    expect(request.Subject).toMatch(/configuration now invalid/);
    const { email } = partsOf(request.Message);
    expect(email).toContain('fails closed: nothing is allowlisted');
    expect(email).toContain('! /root-monitor/config: allow[0] ("x")');
  });

  it('cuts a diff too large for SNS with a marker, keeping the explanation and the steps', () => {
    const allow = Array.from({ length: 3000 }, (_, i) => ({
      id: `entry-${i}-${'x'.repeat(40)}`,
      reason: 'r'.repeat(200),
      eventNames: ['GetBillingData'],
    }));

    const request = configChangeAlertFor(
      { change: changeBy(), outcome: compared({ version: 1, allow }), path: false },
      TOPIC,
    );

    expect(requestBytes(request)).toBeLessThan(SNS_MAX_REQUEST_BYTES);
    const { email } = partsOf(request.Message);
    expect(email).toMatch(/more line\(s\) of the diff not shown/);
    expect(email).toContain('WHAT TO DO');
  });

  it('names the role behind an assumed-role session, and whether the console was used', () => {
    const change = changeBy({
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/deployer/pipeline',
        sessionContext: {
          sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/deployer' },
        },
      },
      userAgent: 'signin.amazonaws.com',
      sessionCredentialFromConsole: 'true',
    });

    const { email, chat } = partsOf(
      configChangeAlertFor({ change, outcome: compared({ version: 1 }), path: false }, TOPIC)
        .Message,
    );

    expect(email).toMatch(/Role:\s+arn:aws:iam::111122223333:role\/deployer/);
    expect(email).toMatch(/Through the console:\s+yes/);
    expect(chat.metadata.additionalContext).toMatchObject({
      principalType: 'AssumedRole',
      throughConsole: 'true',
    });
  });
});
