import { rootSessionRequest } from '../../engine/root-session.js';
import { memberRecoveryTarget, throughConsole } from '../../engine/root-usage.js';
import { firstSeenSentence } from '../../first-seen/first-seen-text.js';
import { UNKNOWN } from '../../intake/trail-event.js';
import { sessionSummary, taskPolicyCheckText } from '../../root-sessions/session-text.js';
import type { AlertNotice } from '../alert-notice.js';
import {
  accessKeyOf,
  callerIsNamed,
  callFacts,
  mfaOf,
  outcomeOf,
  sessionOf,
  unsilenceableRules,
  whenOf,
} from '../event-facts.js';
import { lookupCommands } from '../lookup-command.js';
import { lateDeliveryLine, staleConfigLine } from '../notice-lines.js';
import { fillRunbook, runbookOf, runbookValues } from '../runbook.js';
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

/**
 * The plain-text email a person on call acts on at 3 a.m.: what happened, then who, where and
 * when, the runbook, the exact commands to list root activity, and the CloudTrail event.
 * Event text is escaped so it cannot add lines, move the cursor or flip the reading direction.
 */
export const emailFor = (notice: AlertNotice, options: EmailOptions = {}): string => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const top = alert.matches[0].rule;
  const outcome = outcomeOf(event);
  const request = rootSessionRequest(event);
  const member = memberRecoveryTarget(event);
  const session = alert.rootSession;
  const who = callerIsNamed(event)
    ? headline(event.identityArn)
    : session?.kind === 'seen'
      ? `the root user (AssumeRoot session of ${headline(session.session.openedBy)})`
      : event.assumedRoot || session !== undefined
        ? 'the root user (AssumeRoot session)'
        : 'the root user';
  const how = throughConsole(event) ? ' through the AWS Management Console' : '';
  const forWhom =
    request !== undefined
      ? ` for a root session in account ${headline(request.targetAccount ?? UNKNOWN)}`
      : member !== undefined
        ? ` on member account ${headline(member)}`
        : '';
  const failed = outcome.failed ? ` The call did not succeed (${headline(outcome.text)}).` : '';

  const lines: string[] = [
    `${alert.severity} - ${top.title}: ${who} of AWS account ${headline(event.accountId)} called ${headline(event.eventName)} (${headline(event.eventSource)})${how}${forWhom} in ${headline(event.region)} at ${whenOf(event)} from ${headline(event.sourceIp)}.${failed}`,
    '',
    ...(notice.fromTrailFile === undefined
      ? []
      : [lateDeliveryLine(notice.fromTrailFile, escapeText(notice.fromTrailFile.file)), '']),
    ...(notice.firstSeen === undefined ? [] : [firstSeenSentence(notice.firstSeen, alert), '']),
    top.description,
    '',
    'WHO, WHERE, WHEN',
    emailRow('Severity', alert.severity),
    emailRow('Account', escapeText(event.accountId)),
    emailRow('Region', escapeText(event.region)),
    emailRow('Source IP', escapeText(event.sourceIp)),
    emailRow('User agent', escapeText(event.userAgent)),
    emailRow('Event', `${escapeText(event.eventName)} (${escapeText(event.eventSource)})`),
    emailRow('Event time', whenOf(event)),
    emailRow('Event ID', escapeText(event.eventId)),
    emailRow('Result', escapeText(outcome.text)),
    emailRow('MFA used', escapeText(mfaOf(event))),
    emailRow('Session', sessionOf(event, alert.rootSession !== undefined)),
    emailRow('Identity ARN', escapeText(event.identityArn)),
  ];
  const accessKey = accessKeyOf(event);
  if (accessKey !== undefined) lines.push(emailRow('Access key', escapeText(accessKey)));
  lines.push(...callFacts(event).map(([label, value]) => emailRow(label, escapeText(value))));
  if (session !== undefined) {
    lines.push(
      emailRow(
        'Root session',
        sessionSummary(session, (value) => escapeText(value)),
      ),
    );
    const check = taskPolicyCheckText(session, event, (value) => escapeText(value));
    if (check !== undefined) lines.push(emailRow('Task policy', check));
  }
  lines.push(
    emailRow(
      'Matching rules',
      alert.matches.map((match) => `${match.rule.id} (${match.severity})`).join(', '),
    ),
  );
  if (alert.allowlistEntry !== undefined) {
    lines.push(
      emailRow(
        'Allowlist',
        `entry "${escapeText(alert.allowlistEntry)}" matched this event, but ${unsilenceableRules(alert)} cannot be allowlisted, so it alerts anyway`,
      ),
    );
  }
  if (notice.configReadAt !== undefined) {
    lines.push(emailRow('Configuration', staleConfigLine(notice.configReadAt)));
  }
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
    ...fillRunbook(runbookOf(alert), runbookValues(event)).map(
      (step, index) => `  ${index + 1}. ${step}`,
    ),
    '',
    `LIST ROOT ACTIVITY (run with credentials for account ${accountOrPlaceholder(event.accountId)}; event history is per account and per Region)`,
  );
  if (!isAccountId(event.accountId)) {
    lines.push('  # The event carries no valid 12-digit account ID: find the account first.');
  }
  for (const { purpose, command } of lookupCommands(event)) {
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
