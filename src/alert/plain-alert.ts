import { firstSeenLabel } from '../first-seen/first-seen-text.js';
import type { AlertNotice } from './alert-notice.js';
import { type PlainMessage, plain } from './render/plain-message.js';
import { attributesOf } from './root-usage-message.js';

/**
 * The alert when the full one could not be rendered. It is built from our own rule ids and a few
 * event fields, and names the event for CloudTrail and says why the usual detail is missing.
 */
export const plainAlertFor = (notice: AlertNotice, renderError: string): PlainMessage => {
  const { alert } = notice;
  const ruleIds = alert.matches.map((match) => match.rule.id).join(', ');
  return {
    severity: alert.severity,
    subject: `[${alert.severity}] Root user activity: ${ruleIds}`,
    title: `${alert.severity} root user activity: ${ruleIds}`,
    lines: [
      `Root user activity: ${ruleIds}`,
      `Severity: ${alert.severity}`,
      ...(notice.firstSeen === undefined ? [] : [`Source: ${firstSeenLabel(notice.firstSeen)}`]),
      `Account: ${plain(alert.event.accountId)}`,
      `Region: ${plain(alert.event.region)}`,
      `Event: ${plain(alert.event.eventSource)} ${plain(alert.event.eventName)}`,
      `Event ID: ${plain(alert.event.eventId)}`,
      `This alert is shown without its usual detail because it could not be rendered (${plain(renderError)}). Look the event up in CloudTrail by its ID, and report the problem to root-monitor's maintainers.`,
    ],
    chatFrom: 2,
    eventType: 'RootAccountUsage',
    attributes: attributesOf(notice),
  };
};
