import { filterAttributes } from '../alert/render/filter-attributes.js';
import { type PlainMessage, plain } from '../alert/render/plain-message.js';
import { digestSeverity } from './digest-facts.js';
import { DIGEST_EVENT_NAME } from './digest-message.js';
import type { WindowDigest } from './window-digest.js';

/**
 * The digest when the full one could not be rendered, as `plainAlertFor` is the alert's: how
 * many events the window counted, its key folded to ASCII, and why the detail is missing, so a
 * digest that cannot be rendered still reaches a person rather than failing every run.
 */
export const plainDigestFor = (digest: WindowDigest, renderError: string): PlainMessage => {
  const severity = digestSeverity(digest);
  const [rule = 'unknown', account = ''] = digest.key.split('#');
  return {
    severity,
    subject: `[${severity}] Root window digest: ${digest.events.length} root events`,
    title: `${severity} root window digest: ${digest.events.length} root events after the alert`,
    lines: [
      `Root window digest: ${digest.events.length} root events were counted after the alert for event ${plain(digest.openerId)}`,
      `Severity: ${severity}`,
      `Dedup key: ${plain(digest.key)}`,
      `This digest is shown without its usual detail because it could not be rendered (${plain(renderError)}). List root activity in CloudTrail for the window's address and time, and report the problem to root-monitor's maintainers.`,
    ],
    chatFrom: 1,
    eventType: DIGEST_EVENT_NAME,
    attributes: filterAttributes({
      severity,
      eventName: DIGEST_EVENT_NAME,
      ruleId: plain(rule),
      accountId: account,
    }),
  };
};
