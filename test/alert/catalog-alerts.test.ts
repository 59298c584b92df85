import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import { chatFor } from '../../src/alert/render/chat.js';
import { emailFor } from '../../src/alert/render/email.js';
import { requestBytes, SNS_MAX_REQUEST_BYTES } from '../../src/alert/render/sns-request.js';
import { SUBJECT_MAX_CHARS, subjectFor } from '../../src/alert/render/subject.js';
import { rootUsageMessageFor } from '../../src/alert/root-usage-message.js';
import { runbookOf } from '../../src/alert/runbook.js';
import { noticeFor } from './alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';

/** Every rule with a record it matches, as the inline cases give them. */
const positives = CATALOG.flatMap((rule) =>
  rule
    .tests()
    .filter((ruleCase) => ruleCase.expected)
    .slice(0, 2)
    .map((ruleCase) => ({ name: `${rule.id}: ${ruleCase.name}`, rule, record: ruleCase.record })),
);

describe('alerts for every catalog rule', () => {
  it('covers the whole catalog', () => {
    expect(new Set(positives.map(({ rule }) => rule.id))).toEqual(
      new Set(CATALOG.map((rule) => rule.id)),
    );
  });

  it.each(positives)('$name reads well in every medium', ({ rule, record }) => {
    const notice = noticeFor(record, { rules: [rule], suppressedBefore: 3 });

    const subject = subjectFor(notice);
    expect(subject).toMatch(/^[ -~]+$/);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject).toContain(rule.title);

    const steps = runbookOf(notice.alert).length;
    const email = emailFor(notice);
    expect(email).not.toMatch(/\{[A-Za-z]+\}/);
    expect(email).toContain(`  ${steps}. `);

    const chat = chatFor(notice);
    expect(chat.content.nextSteps).toHaveLength(steps);
    for (const step of chat.content.nextSteps) expect(step).not.toMatch(/\{[A-Za-z]+\}/);

    expect(requestBytes(rootUsageMessageFor(notice, TOPIC))).toBeLessThanOrEqual(
      SNS_MAX_REQUEST_BYTES,
    );
  });
});
