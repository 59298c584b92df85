import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import { defaultContext, iamUserRecord, roleSessionRecord, rootRecord } from './cases.js';
import { byCloudFormation, changesMonitorPathAnywhere, onAlertPath } from './monitor-parts.js';
import { isReadOnlyCall, namesMonitorResource } from './monitor-resources.js';
import { escalate, reviewRootActivity } from './runbook.js';

const { monitor } = defaultContext;
const [realTimeFunction] = monitor.functionNames ?? [];
const [rootUsageRule] = monitor.ruleNames ?? [];
/** What pages PagerDuty: the guard lists its rules and role; the stack names the rest after itself. */
const pagerRule = `${monitor.stackName}-pd-critical`;
const pagerRole = `${monitor.stackName}-PagerDutyInvokeRole-4B5C6D7E8F9G`;
const pager = `${monitor.stackName}-pagerduty`;
const withPager = {
  monitor: {
    ...monitor,
    ruleNames: [...(monitor.ruleNames ?? []), pagerRule],
    roleArns: [...(monitor.roleArns ?? []), `arn:aws:iam::111122223333:role/${pagerRole}`],
  },
};
const events = (eventName: string, requestParameters: Record<string, unknown>) =>
  iamUserRecord({ eventSource: 'events.amazonaws.com', eventName, requestParameters });

/**
 * A change to the monitor by anyone but root (root's is root-audit-tampering): its rules, functions,
 * topics and their subscriptions, key, table, queues, alarms, log groups, roles, the pager's
 * connection and API destination, the trail and the
 * bus permissions that admit forwarders. The configuration parameter is left to its own
 * announcement, which shows what the write changed; CloudFormation's calls for a stack operation
 * to monitor-stack-changed.
 */
const changesMonitor = (event: TrailEvent, context: Parameters<Rule['match']>[1]): boolean =>
  event.identityType !== 'Root' &&
  !byCloudFormation(event) &&
  !isReadOnlyCall(event) &&
  event.eventSource !== 'ssm.amazonaws.com' &&
  event.eventSource !== 'cloudformation.amazonaws.com' &&
  (changesMonitorPathAnywhere(event) || namesMonitorResource(event, context.monitor));

export const monitorChanged: Rule = {
  id: 'monitor-changed',
  title: 'The monitor changed by an identity other than root',
  severity: 'HIGH',
  description:
    "An identity other than root changed part of this monitor (a rule, function, topic or subscription, key, table, queue, alarm, log group or role of the stack, the connection and API destination that page PagerDuty, the trail, or the bus permissions that admit forwarders). An attacker's first move is to blind the monitor: until the change is explained, assume root activity may go unseen on the path it touched. Repeated changes by one principal are collapsed into one alert and a digest.",
  runbook: [
    'Read the call and its target in the event below, and what it changed (the new pattern, target input, filter policy, key state). Ask the principal named below why they made it; if nobody can vouch for it, treat it as an incident.',
    'Undo it: aws cloudformation detect-stack-drift --stack-name <stack>, then aws cloudformation describe-stack-resource-drifts --stack-name <stack> shows what differs from the stack (a redeploy of an unchanged template does not undo drift); root-monitor doctor shows which path is blind.',
    "Revoke the principal's sessions and remove its permissions on the monitor's resources until the change is explained.",
    reviewRootActivity,
    escalate,
  ],
  allowlistable: false,
  dedupBy: 'account-and-principal',
  identities: 'any',
  alsoToAlarmTopic: onAlertPath,
  match: changesMonitor,
  tests: () => [
    ...matches({
      "an IAM user updates the real-time function's code": iamUserRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: realTimeFunction },
      }),
      'a role puts a constant input on the root-usage rule': roleSessionRecord({
        eventSource: 'events.amazonaws.com',
        eventName: 'PutTargets',
        requestParameters: {
          rule: rootUsageRule,
          targets: [{ id: 'live', arn: 'arn:aws:lambda:...', input: '{}' }],
        },
      }),
      'an IAM user filters the alert subscription down to nothing': iamUserRecord({
        eventSource: 'sns.amazonaws.com',
        eventName: 'SetSubscriptionAttributes',
        requestParameters: {
          subscriptionArn: `${monitor.topicArn}:0b7d3a4e-1f2a-4c5b-9d6e-7f8a9b0c1d2e`,
          attributeName: 'FilterPolicy',
          attributeValue: '{"severity":["NONE"]}',
        },
      }),
      'a role disables the alarm key by its ARN': roleSessionRecord({
        eventSource: 'kms.amazonaws.com',
        eventName: 'DisableKey',
        requestParameters: { keyId: monitor.alertKeyArn },
      }),
      'an IAM user stops the trail': iamUserRecord({
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        requestParameters: { name: 'management-events' },
      }),
      "an IAM user deletes the stack's alarm on ROOT_ACCOUNT_USAGE": iamUserRecord({
        eventSource: 'monitoring.amazonaws.com',
        eventName: 'DeleteAlarms',
        requestParameters: { alarmNames: monitor.alarmNames },
      }),
      "a role sets an old version of a managed policy the stack's roles attach as the default":
        roleSessionRecord({
          eventSource: 'iam.amazonaws.com',
          eventName: 'SetDefaultPolicyVersion',
          requestParameters: {
            policyArn: `arn:aws:iam::111122223333:policy/${monitor.stackName}-SendAlertsPolicy-8V9W0X1Y2Z3A`,
            versionId: 'v1',
          },
        }),
    }),
    ...matches({
      'an IAM user deauthorizes the connection that pages PagerDuty': events(
        'DeauthorizeConnection',
        { name: pager },
      ),
      "an IAM user updates the connection's routing key": events('UpdateConnection', {
        name: pager,
        authorizationType: 'API_KEY',
      }),
      'an IAM user deletes the connection': events('DeleteConnection', { name: pager }),
      'a role points the PagerDuty API destination elsewhere': roleSessionRecord({
        eventSource: 'events.amazonaws.com',
        eventName: 'UpdateApiDestination',
        requestParameters: { name: pager, invocationEndpoint: 'https://example.com/' },
      }),
      'an IAM user deletes the PagerDuty API destination': events('DeleteApiDestination', {
        name: pager,
      }),
    }),
    ...matches(
      {
        'an IAM user disables a pager rule': events('DisableRule', { name: pagerRule }),
        'an IAM user removes the PagerDuty target from a pager rule': events('RemoveTargets', {
          rule: pagerRule,
          ids: ['pagerduty'],
        }),
        'an IAM user deletes a pager rule by ARN': events('DeleteRule', {
          name: `arn:aws:events:us-east-1:111122223333:rule/${pagerRule}`,
        }),
        "an IAM user denies the pager's invoke role": iamUserRecord({
          eventSource: 'iam.amazonaws.com',
          eventName: 'PutRolePolicy',
          requestParameters: { roleName: pagerRole, policyName: 'deny', policyDocument: '{}' },
        }),
      },
      withPager,
    ),
    ...ignores({
      'an IAM user updates a connection of another name': events('UpdateConnection', {
        name: 'orders-slack',
      }),
      "an IAM user deletes an API destination whose name only starts like the stack's": events(
        'DeleteApiDestination',
        { name: `${monitor.stackName}ing-pagerduty` },
      ),
      'an IAM user reads the PagerDuty connection': iamUserRecord({
        eventSource: 'events.amazonaws.com',
        eventName: 'DescribeConnection',
        requestParameters: { name: pager },
        readOnly: true,
      }),
      'root deleting the connection is root-audit-tampering, not this rule': rootRecord({
        eventSource: 'events.amazonaws.com',
        eventName: 'DeleteConnection',
        requestParameters: { name: pager },
      }),
      'an IAM user disables a rule of the pager name where PagerDuty is off (not listed)': events(
        'DisableRule',
        { name: pagerRule },
      ),
    }),
    ...ignores({
      'root changing the function is root-audit-tampering, not this rule': rootRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: realTimeFunction },
      }),
      'an IAM user updates another function': iamUserRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: 'orders-api' },
      }),
      "an IAM user sets the default version of another stack's policy": iamUserRecord({
        eventSource: 'iam.amazonaws.com',
        eventName: 'SetDefaultPolicyVersion',
        requestParameters: {
          policyArn: 'arn:aws:iam::111122223333:policy/orders-api-TaskPolicy-8V9W0X1Y2Z3A',
          versionId: 'v2',
        },
      }),
      'an IAM user reads the real-time function': iamUserRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'GetFunction20150331v2',
        requestParameters: { functionName: realTimeFunction },
        readOnly: true,
      }),
      'an IAM user writes the configuration parameter (announced on its own, with the diff)':
        iamUserRecord({
          eventSource: 'ssm.amazonaws.com',
          eventName: 'PutParameter',
          requestParameters: { name: monitor.configParameter },
        }),
      'CloudFormation updating the function for a stack operation (monitor-stack-changed)':
        iamUserRecord({
          eventSource: 'lambda.amazonaws.com',
          eventName: 'UpdateFunctionCode20150331v2',
          requestParameters: { functionName: realTimeFunction },
          userIdentity: {
            type: 'IAMUser',
            arn: 'arn:aws:iam::111122223333:user/alice',
            invokedBy: 'cloudformation.amazonaws.com',
          },
        }),
    }),
  ],
};
