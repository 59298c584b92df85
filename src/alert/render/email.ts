import { UNKNOWN } from '../../intake/trail-event.js';
import { alertFacts } from '../alert-facts.js';
import type { AlertNotice } from '../alert-notice.js';
import { escapeText } from '../text/escape.js';
import { accountOrPlaceholder, isAccountId } from '../text/shell-safe.js';
import { emailRow } from './email-row.js';
import { eventExcerpt, eventJsonOf } from './event-json.js';

export interface EmailOptions {
  /**
   * Characters of event JSON to include before the truncation marker; the SNS size budget
   * lowers it. The runbook and the commands are never cut.
   * @default Infinity
   */
  eventChars?: number;
}

/** Short escaped value for the headline, where a 500-character field would bury the point. */
const headline = (value: string): string => escapeText(value, 80);

/** An escaped value, bounded as every field of the email is. */
const field = (value: string): string => escapeText(value);

/**
 * The plain-text email a person on call acts on at 3 a.m.: what happened, then who, where and
 * when, the runbook, the exact commands to list root activity, and the CloudTrail event.
 * Event text is escaped so it cannot add lines, move the cursor or flip the reading direction.
 */
export const emailFor = (notice: AlertNotice, options: EmailOptions = {}): string => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const facts = alertFacts(notice);
  const { top, outcome, sessionRequest, memberAccount } = facts;
  const session = alert.rootSession;
  const who =
    facts.caller !== undefined
      ? headline(facts.caller)
      : session?.kind === 'seen'
        ? `the root user (AssumeRoot session of ${headline(session.session.openedBy)})`
        : event.assumedRoot || session !== undefined
          ? 'the root user (AssumeRoot session)'
          : 'the root user';
  const how = facts.throughConsole ? ' through the AWS Management Console' : '';
  const forWhom =
    sessionRequest !== undefined
      ? ` for a root session in account ${headline(sessionRequest.targetAccount ?? UNKNOWN)}`
      : memberAccount !== undefined
        ? ` on member account ${headline(memberAccount)}`
        : '';
  const failed = outcome.failed ? ` The call did not succeed (${headline(outcome.text)}).` : '';

  const lines: string[] = [
    `${alert.severity} - ${top.title}: ${who} of AWS account ${headline(event.accountId)} called ${headline(event.eventName)} (${headline(event.eventSource)})${how}${forWhom} in ${headline(event.region)} at ${facts.when} from ${headline(event.sourceIp)}.${failed}`,
    '',
    ...(facts.late === undefined ? [] : [facts.late(field), '']),
    ...(facts.firstSeen === undefined ? [] : [facts.firstSeen, '']),
    top.description,
    '',
    'WHO, WHERE, WHEN',
    emailRow('Severity', alert.severity),
    emailRow('Account', escapeText(event.accountId)),
    emailRow('Region', escapeText(event.region)),
    emailRow('Source IP', escapeText(event.sourceIp)),
    emailRow('User agent', escapeText(event.userAgent)),
    emailRow('Event', `${escapeText(event.eventName)} (${escapeText(event.eventSource)})`),
    emailRow('Event time', facts.when),
    emailRow('Event ID', escapeText(event.eventId)),
    emailRow('Result', escapeText(outcome.text)),
    emailRow('MFA used', escapeText(facts.mfa)),
    emailRow('Session', facts.session),
    emailRow('Identity ARN', escapeText(event.identityArn)),
  ];
  if (facts.accessKey !== undefined) {
    lines.push(emailRow('Access key', escapeText(facts.accessKey)));
  }
  lines.push(...facts.calls.map(([label, value]) => emailRow(label, escapeText(value))));
  lines.push(...facts.sessionFacts(field).map(([label, value]) => emailRow(label, value)));
  lines.push(emailRow('Matching rules', facts.rules));
  if (alert.allowlistEntry !== undefined) {
    lines.push(
      emailRow(
        'Allowlist',
        `entry "${escapeText(alert.allowlistEntry)}" matched this event, but ${facts.unsilenceable} cannot be allowlisted, so it alerts anyway`,
      ),
    );
  }
  if (facts.stale !== undefined) lines.push(emailRow('Configuration', facts.stale));
  lines.push(
    emailRow(
      'Suppressed',
      suppressedBefore > 0
        ? `${suppressedBefore} more event(s) with this dedup key were collapsed into the previous alert since it was sent`
        : 'none since the previous alert for this dedup key',
    ),
    emailRow('Dedup key', escapeText(alert.dedupKey)),
    '',
    `RUNBOOK (${top.id})`,
    ...facts.runbook().map((step, index) => `  ${index + 1}. ${step}`),
    '',
    `LIST ROOT ACTIVITY (run with credentials for account ${accountOrPlaceholder(event.accountId)}; event history is per account and per Region)`,
  );
  if (!isAccountId(event.accountId)) {
    lines.push('  # The event carries no valid 12-digit account ID: find the account first.');
  }
  for (const { purpose, command } of facts.lookups) {
    lines.push(`  # ${purpose}`, `  ${command}`);
  }
  lines.push(
    '',
    'CLOUDTRAIL EVENT (escaped: \\uXXXX marks hidden or control characters)',
    eventExcerpt(eventJsonOf(event.record), options.eventChars ?? Number.POSITIVE_INFINITY),
    '',
  );
  return lines.join('\n');
};
