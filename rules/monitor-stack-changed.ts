import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import { defaultContext, iamUserRecord, roleSessionRecord, rootRecord } from './cases.js';
import { byCloudFormation, CLOUDFORMATION, onAlertPath } from './monitor-parts.js';
import { isReadOnlyCall, namesMonitorResource } from './monitor-resources.js';
import { escalate, reviewRootActivity } from './runbook.js';

const { monitor } = defaultContext;
const [realTimeFunction] = monitor.functionNames ?? [];

/** What an operation on the monitor's own stack is, by the call that starts it. */
const STACK_OPERATIONS = [
  'UpdateStack',
  'DeleteStack',
  'ExecuteChangeSet',
  'CancelUpdateStack',
  'ContinueUpdateRollback',
  'RollbackStack',
  'SetStackPolicy',
  'UpdateTerminationProtection',
];

/**
 * The collapse window a stack operation and the calls CloudFormation makes for it share: one per
 * principal, long enough for an update of every function and role.
 */
const STACK_OPERATION_GROUP = 'monitor-stack-changed';
const STACK_OPERATION_MINUTES = 60;

const operatesOnStack = (event: TrailEvent, context: Parameters<Rule['match']>[1]): boolean =>
  event.eventSource === CLOUDFORMATION &&
  STACK_OPERATIONS.includes(event.eventName) &&
  event.identityType !== 'Root' &&
  namesMonitorResource(event, context.monitor);

/** A call CloudFormation made on one of the monitor's resources; it does not name the stack. */
const changedByCloudFormation = (
  event: TrailEvent,
  context: Parameters<Rule['match']>[1],
): boolean =>
  byCloudFormation(event) && !isReadOnlyCall(event) && namesMonitorResource(event, context.monitor);

/** A function's configuration updated by CloudFormation for a deploy role's stack operation. */
const configuredByCloudFormation = (functionName: string | undefined) =>
  roleSessionRecord({
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionConfiguration20150331v2',
    requestParameters: { functionName },
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline',
      invokedBy: CLOUDFORMATION,
    },
  });

const runbook = [
  "Check that the operation was planned: a deploy of the monitor's own template, by the principal named below, from its usual pipeline. If nobody can vouch for it, treat it as an incident: the stack can replace or delete every part of the monitor.",
  'See what it changed: aws cloudformation describe-stack-events --stack-name <stack>, and root-monitor doctor for what runs now.',
  reviewRootActivity,
  escalate,
];

export const monitorStackChanged: Rule = {
  id: STACK_OPERATION_GROUP,
  title: "An operation on the monitor's own stack",
  severity: 'MEDIUM',
  description:
    "Someone other than root updated, deleted or re-policied the monitor's own CloudFormation stack. One message per operation and principal; the calls CloudFormation then makes on the monitor's resources are counted in its window and reported in a digest, not one message each.",
  runbook,
  allowlistable: false,
  dedupBy: 'account-and-principal',
  dedupMinutes: STACK_OPERATION_MINUTES,
  identities: 'any',
  match: operatesOnStack,
  tests: () => [
    ...matches({
      "a deploy role updates the monitor's stack by name": roleSessionRecord({
        eventSource: CLOUDFORMATION,
        eventName: 'UpdateStack',
        requestParameters: { stackName: monitor.stackName },
      }),
      "an IAM user deletes the monitor's stack by its stack id": iamUserRecord({
        eventSource: CLOUDFORMATION,
        eventName: 'DeleteStack',
        requestParameters: {
          stackName: `arn:aws:cloudformation:us-east-1:111122223333:stack/${monitor.stackName}/0d2c7f20-1a2b-11f0-9c3d-0e1f2a3b4c5d`,
        },
      }),
    }),
    ...ignores({
      'an IAM user updates another stack': iamUserRecord({
        eventSource: CLOUDFORMATION,
        eventName: 'UpdateStack',
        requestParameters: { stackName: 'orders-api' },
      }),
      "root deleting the monitor's stack is root-audit-tampering, not this rule": rootRecord({
        eventSource: CLOUDFORMATION,
        eventName: 'DeleteStack',
        requestParameters: { stackName: monitor.stackName },
      }),
    }),
  ],
};

export const monitorChangedByCloudFormation: Rule = {
  id: 'monitor-changed-by-cloudformation',
  title: 'CloudFormation changed the monitor outside its stack',
  severity: 'HIGH',
  description:
    "CloudFormation changed one of the monitor's resources, and no operation on the monitor's own stack by the same principal opened a window for it: another stack, or a stack set, is managing the monitor's resources. When an operation on the monitor's stack is under way, such calls are counted in its window instead.",
  runbook: [
    "Find the stack that made the change: aws cloudformation describe-stack-resources --physical-resource-id <resource> names it. Only the monitor's own stack should manage its resources.",
    ...runbook.slice(1),
  ],
  allowlistable: false,
  dedupBy: 'account-and-principal',
  dedupGroup: STACK_OPERATION_GROUP,
  dedupMinutes: STACK_OPERATION_MINUTES,
  identities: 'any',
  alsoToAlarmTopic: onAlertPath,
  match: changedByCloudFormation,
  tests: () => [
    ...matches({
      "CloudFormation updates the real-time function's configuration for a deploy role":
        configuredByCloudFormation(realTimeFunction),
    }),
    ...ignores({
      'CloudFormation updates another function': configuredByCloudFormation('orders-api'),
    }),
  ],
};
