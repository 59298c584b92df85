import { createHash } from 'node:crypto';
import type { AwsSecurityFinding, Partition } from '@aws-sdk/client-securityhub';
import { parseSourceIp } from '../config/ip-range.js';
import { alertFields } from './alert-fields.js';
import type { AlertNotice } from './alert-notice.js';
import { callerIsNamed, outcomeOf } from './event-facts.js';
import { subjectFor } from './render/subject.js';
import { fillRunbook, runbookValues } from './runbook.js';
import { escapeText } from './text/escape.js';
import { isAccountId, isRegion } from './text/shell-safe.js';
import { utcText } from './text/times.js';

/** Where findings go: the monitor's own account's default product, in its home Region. */
export interface FindingTarget {
  partition: string;
  region: string;
  accountId: string;
}

/** The ASFF Types each rule files under; a rule not listed is unusual user behaviour. */
const TYPES: Readonly<Record<string, string>> = {
  'root-console-login-without-mfa': 'TTPs/Initial Access',
  'root-access-key-created': 'TTPs/Persistence',
  'root-credentials-changed': 'TTPs/Persistence',
  'root-iam-persistence': 'TTPs/Persistence',
  'root-mfa-removed': 'TTPs/Defense Evasion',
  'root-audit-tampering': 'TTPs/Defense Evasion',
  'root-console-login-failure': 'TTPs/Credential Access',
  'root-recovery-channel-changed': 'TTPs/Persistence',
  'root-central-access-disabled': 'TTPs/Defense Evasion',
};
const DEFAULT_TYPE = 'Unusual Behaviors/User';

/** ASFF's limits on the fields we fill. */
const ID_MAX_CHARS = 512;
const TITLE_MAX_CHARS = 256;
const DESCRIPTION_MAX_CHARS = 1024;
const RECOMMENDATION_MAX_CHARS = 512;
const PRODUCT_FIELD_MAX_CHARS = 256;

/** A dedup key holds the event's source address; an id Security Hub would refuse is hashed. */
const findingId = (dedupKey: string): string =>
  /^[\x21-\x7e]+$/.test(dedupKey) && dedupKey.length <= ID_MAX_CHARS
    ? dedupKey
    : `dedup-sha256:${createHash('sha256').update(dedupKey).digest('hex')}`;

/** `ClassifierName` is free text in ASFF; our own titles, folded to what any reader shows. */
const typeOf = (ruleId: string, title: string): string =>
  `${TYPES[ruleId] ?? DEFAULT_TYPE}/${title
    .replace(/[^\w .:-]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()}`;

/** Only an address goes into Network; `AWS Internal` or a service name would be refused. */
const networkOf = (sourceIp: string): AwsSecurityFinding['Network'] => {
  const address = parseSourceIp(sourceIp);
  if (address === undefined) return undefined;
  return address.kind() === 'ipv4'
    ? { Direction: 'IN', SourceIpV4: address.toString() }
    : { Direction: 'IN', SourceIpV6: address.toString() };
};

/**
 * An alert as an AWS Security Finding Format record for `BatchImportFindings`. Its Id is the
 * dedup key, so the next alert for the same key updates this finding instead of adding one; the
 * account and Region the root user acted in are its resource. Every event value is escaped and
 * bounded, as in the email: Security Hub's console and its integrations show them to people.
 */
export const findingFor = (
  notice: AlertNotice,
  target: FindingTarget,
  now: Date,
): AwsSecurityFinding => {
  const { alert } = notice;
  const { event } = alert;
  const [top] = alert.matches;
  // escapeText may add a marker and defang after its bound; ASFF refuses anything longer.
  const text = (value: string, maxChars: number): string =>
    escapeText(value, maxChars - 48).slice(0, maxChars);
  const observed = utcText(event.eventTime ?? now);
  const account = isAccountId(event.accountId) ? event.accountId : 'unknown';
  const outcome = outcomeOf(event);
  const [firstStep] = fillRunbook(top.rule.runbook, runbookValues(event));
  const fields = alertFields(notice);
  const productFields: Record<string, string> = {
    'root-monitor/RuleIds': fields.ruleIds.join(','),
    'root-monitor/EventId': fields.eventId,
    'root-monitor/EventName': fields.eventName,
    'root-monitor/EventSource': fields.eventSource,
    'root-monitor/SourceIp': fields.sourceIp,
    'root-monitor/UserAgent': fields.userAgent,
    'root-monitor/AssumedRoot': String(fields.assumedRoot),
    'root-monitor/SuppressedBefore': String(fields.suppressed),
    ...(fields.allowlistEntry === undefined
      ? {}
      : { 'root-monitor/AllowlistEntry': fields.allowlistEntry }),
    ...(fields.rootSession === undefined ? {} : { 'root-monitor/RootSession': fields.rootSession }),
    ...(fields.sessionOpenedBy === undefined
      ? {}
      : { 'root-monitor/SessionOpenedBy': fields.sessionOpenedBy }),
    ...(fields.sessionTaskPolicy === undefined
      ? {}
      : { 'root-monitor/SessionTaskPolicy': fields.sessionTaskPolicy }),
    ...(fields.taskPolicyCheck === undefined
      ? {}
      : { 'root-monitor/TaskPolicyCheck': fields.taskPolicyCheck }),
  };
  const network = networkOf(event.sourceIp);
  return {
    SchemaVersion: '2018-10-08',
    Id: findingId(alert.dedupKey),
    ProductArn: `arn:${target.partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`,
    GeneratorId: top.rule.id,
    AwsAccountId: target.accountId,
    Types: alert.matches.map((match) => typeOf(match.rule.id, match.rule.title)),
    FirstObservedAt: observed,
    LastObservedAt: observed,
    CreatedAt: utcText(now),
    UpdatedAt: utcText(now),
    Severity: { Label: alert.severity, Original: alert.severity },
    Title: subjectFor(notice).slice(0, TITLE_MAX_CHARS),
    Description: text(
      `${top.rule.title}: ${callerIsNamed(event) ? event.identityArn : 'the root user'} of AWS account ${event.accountId} called ${event.eventName} (${event.eventSource}) in ${event.region} from ${event.sourceIp}; the call ${outcome.failed ? 'failed' : 'succeeded'}. ${top.rule.description}`,
      DESCRIPTION_MAX_CHARS,
    ),
    ...(firstStep === undefined
      ? {}
      : {
          Remediation: { Recommendation: { Text: text(firstStep, RECOMMENDATION_MAX_CHARS) } },
        }),
    ProductFields: Object.fromEntries(
      Object.entries(productFields).map(([key, value]) => [
        key,
        text(value, PRODUCT_FIELD_MAX_CHARS),
      ]),
    ),
    Resources: [
      {
        Type: 'AwsAccount',
        Id: `AWS::::Account:${account}`,
        Partition: target.partition as Partition,
        ...(isRegion(event.region) ? { Region: event.region } : {}),
      },
    ],
    ...(network === undefined ? {} : { Network: network }),
    RecordState: 'ACTIVE',
  };
};
