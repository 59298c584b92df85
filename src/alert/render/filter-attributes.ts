import { asciiOnly, truncateAscii } from '../text/escape.js';
import { isAccountId } from '../text/shell-safe.js';
import { type SnsPublishRequest, stringAttribute } from './sns-request.js';

/** The `service` attribute of every message the monitor publishes. */
export const SERVICE_NAME = 'root-monitor';

/** Attribute values are matched by subscription filter policies; a short ASCII value is enough. */
const ATTRIBUTE_MAX_CHARS = 128;

/** An event's text (its name) as an attribute value: ASCII, and short. */
export const attributeText = (value: string): string =>
  truncateAscii(asciiOnly(value), ATTRIBUTE_MAX_CHARS);

/** What a message says of itself to subscription filter policies. */
export interface FilterFacts {
  severity: string;
  eventName: string;
  ruleId: string;
  /** The account the message is about; anything but a 12-digit account ID reads `Unknown`. */
  accountId: string | undefined;
}

/**
 * The message attributes subscription filter policies match on, the same five on every message
 * the monitor publishes (alerts, digests, configuration and health alerts, alarms). `severity`,
 * `service` and `event_name` are the ones existing subscriptions already filter on.
 */
export const filterAttributes = ({
  severity,
  eventName,
  ruleId,
  accountId,
}: FilterFacts): SnsPublishRequest['MessageAttributes'] => ({
  severity: stringAttribute(severity),
  service: stringAttribute(SERVICE_NAME),
  event_name: stringAttribute(eventName),
  rule_id: stringAttribute(ruleId),
  account_id: stringAttribute(accountId !== undefined && isAccountId(accountId) ? accountId : ''),
});
