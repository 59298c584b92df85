import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { callOf, TRAIL_CHANGES } from './monitor-parts.js';
import { isReadOnlyCall, namesMonitorResource } from './monitor-resources.js';
import { rootAuditTamperingCases } from './root-audit-tampering.cases.js';
import { incidentRunbook } from './runbook.js';

/**
 * Calls that turn off, blind or re-route the audit and alerting path, by the service that
 * records them. Any one of them by root is tampering, whichever resource it names.
 */
const AUDIT_PATH_CHANGES: Readonly<Record<string, readonly string[]>> = {
  // Trails and CloudTrail Lake event data stores: the record itself.
  'cloudtrail.amazonaws.com': [
    ...TRAIL_CHANGES,
    'DeleteEventDataStore',
    'UpdateEventDataStore',
    'StopEventDataStoreIngestion',
  ],
  // Rules and buses carry root events to this monitor; bus permissions admit the forwarders of
  // other Regions and member accounts.
  'events.amazonaws.com': [
    'DisableRule',
    'DeleteRule',
    'PutRule',
    'RemoveTargets',
    'PutTargets',
    'DeleteEventBus',
    'UpdateEventBus',
    'PutPermission',
    'RemovePermission',
  ],
  // Detectors and membership; archive filters and trusted IP lists silence findings.
  'guardduty.amazonaws.com': [
    'DeleteDetector',
    'UpdateDetector',
    'UpdateMemberDetectors',
    'CreateFilter',
    'UpdateFilter',
    'CreateIPSet',
    'UpdateIPSet',
    'DeletePublishingDestination',
    'UpdatePublishingDestination',
    'DisassociateFromMasterAccount',
    'DisassociateFromAdministratorAccount',
    'DisassociateMembers',
    'StopMonitoringMembers',
    'DeleteMembers',
    'DisableOrganizationAdminAccount',
    'UpdateOrganizationConfiguration',
  ],
  // Recorders, delivery channels and the rules that judge compliance.
  'config.amazonaws.com': [
    'StopConfigurationRecorder',
    'DeleteConfigurationRecorder',
    'PutConfigurationRecorder',
    'DeleteServiceLinkedConfigurationRecorder',
    'DeleteDeliveryChannel',
    'PutDeliveryChannel',
    'DeleteConfigRule',
    'DeleteConformancePack',
    'DeleteOrganizationConfigRule',
  ],
  // Log groups (this monitor's too), their retention, and the filters that alarm or forward.
  'logs.amazonaws.com': [
    'DeleteLogGroup',
    'DeleteLogStream',
    'PutRetentionPolicy',
    'DeleteMetricFilter',
    'PutMetricFilter',
    'DeleteSubscriptionFilter',
    'PutSubscriptionFilter',
  ],
  // Alarms, including the monitor's second path on its ROOT_ACCOUNT_USAGE log lines.
  'monitoring.amazonaws.com': ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm'],
  // Security Hub runs the CIS root-usage control.
  'securityhub.amazonaws.com': ['DisableSecurityHub', 'BatchDisableStandards'],
  // Event source mappings feed a function from a queue or a stream: the backstop reads its log
  // files through one. A change names the mapping by its UUID and seldom the function, and root
  // has no business with any mapping, so every update or deletion by root counts. Creating one
  // counts when it names a monitor function (see monitor-resources.ts).
  'lambda.amazonaws.com': ['UpdateEventSourceMapping', 'DeleteEventSourceMapping'],
  // Leaving the organization drops the organization trail, SCPs and the forwarding StackSet;
  // disabling trusted access turns off organization-wide CloudTrail, GuardDuty or Config.
  'organizations.amazonaws.com': ['LeaveOrganization', 'DisableAWSServiceAccess'],
};

const AUDIT_PATH_CALLS = new Set(
  Object.entries(AUDIT_PATH_CHANGES).flatMap(([source, names]) =>
    names.map((name) => `${source} ${name}`),
  ),
);

// A GuardDuty filter hides findings only when its action is ARCHIVE; a NOOP filter is a saved
// search. CreateFilter defaults to NOOP; UpdateFilter without an action keeps the old one,
// which may be ARCHIVE.
const isSavedSearchFilter = (event: TrailEvent): boolean => {
  if (event.eventSource !== 'guardduty.amazonaws.com') return false;
  const action = event.requestParameters?.action;
  const named = typeof action === 'string' ? action.toUpperCase() : undefined;
  if (event.eventName === 'CreateFilter') return named !== 'ARCHIVE';
  if (event.eventName === 'UpdateFilter') return named === 'NOOP';
  return false;
};

const changesAuditPath = (event: TrailEvent): boolean =>
  AUDIT_PATH_CALLS.has(`${event.eventSource} ${callOf(event)}`) && !isSavedSearchFilter(event);

export const rootAuditTampering: Rule = {
  id: 'root-audit-tampering',
  title: 'Root tampering with audit or alerting',
  severity: 'CRITICAL',
  description:
    "Root stopped, deleted or changed part of the audit and alerting path (CloudTrail, EventBridge, GuardDuty, Config, CloudWatch, Security Hub) or any of this monitor's own resources (both its topics, the key that encrypts its alarm topic, each of its functions and their roles, the event source mapping that feeds the trail-file backstop and the queues that keep undelivered alerts included), so that root could not allowlist itself or cut the alerts. Until it is undone, this and other detectors may be blind.",
  runbook: incidentRunbook(
    'Undo the change before anything else: the event below names the call and its target. Until then, assume root activity is going unseen.',
    'CloudTrail: aws cloudtrail start-logging --name <trail> --region {region}, then aws cloudtrail get-trail-status --name <trail> (IsLogging must be true) and aws cloudtrail get-event-selectors --trail-name <trail>.',
    'EventBridge: aws events enable-rule --name <rule> --region {region} and aws events list-targets-by-rule --rule <rule>; restore what the stack defines by hand: aws cloudformation detect-stack-drift --stack-name <stack> shows it, and a redeploy of an unchanged template does not undo drift.',
    'GuardDuty: aws guardduty list-detectors, then aws guardduty update-detector --detector-id <id> --enable; remove archive filters and trusted IP lists nobody asked for (aws guardduty list-filters / list-ip-sets --detector-id <id>). Config: aws configservice start-configuration-recorder --configuration-recorder-name <name>.',
    'CloudWatch: aws cloudwatch enable-alarm-actions --alarm-names <alarm> and aws logs describe-metric-filters --log-group-name <group>; recreate deleted alarms and filters as the stack defines them (detect-stack-drift shows which; a redeploy of an unchanged template does not).',
    'Alarm key (it encrypts the topic the alarms publish to, and the function when its alert topic refuses a message): aws kms describe-key --key-id <key> --region {region} must show KeyState Enabled; if PendingDeletion, aws kms cancel-key-deletion --key-id <key> and then aws kms enable-key --key-id <key>. Compare aws kms get-key-policy --key-id <key> --policy-name default and aws kms list-grants --key-id <key> with the AlertKey in template.yaml.',
    'Function roles (each function of the stack runs under one): aws iam get-role --role-name <role> (trust policy, PermissionsBoundary), aws iam list-role-policies and list-attached-role-policies --role-name <role>; remove what the stack does not define (delete-role-policy, detach-role-policy, delete-role-permissions-boundary). aws cloudformation detect-stack-drift --stack-name <stack>, then describe-stack-resource-drifts --stack-name <stack>, shows what else changed; a redeploy does not undo drift.',
    "root-monitor: check its configuration with root-monitor config show --parameter <name> and push the last reviewed document. For each of its functions (the stack name, <stack>-trail-files, <stack>-health-check): aws lambda get-function --function-name <function> must find it; if reserved concurrency was set to 0: aws lambda delete-function-concurrency --function-name <function>. The backstop's queue mapping: aws lambda list-event-source-mappings --function-name <stack>-trail-files must show State Enabled (aws lambda update-event-source-mapping --uuid <uuid> --enabled); a deleted function or mapping comes back only with the stack (detect-stack-drift shows it; a redeploy of an unchanged template does not).",
    "Queues of undelivered alerts: a purged or deleted queue's messages are gone; the function's log group still has each alert as a ROOT_ACCOUNT_USAGE line. Check aws sqs get-queue-attributes --queue-url <url> --attribute-names All against the stack (retention, policy, redrive).",
  ),
  allowlistable: false,
  dedupBy: 'event',
  match: (event, { monitor }) =>
    changesAuditPath(event) || (!isReadOnlyCall(event) && namesMonitorResource(event, monitor)),
  tests: () => rootAuditTamperingCases(),
};
