import type { RuleCase } from '../src/engine/rule.js';
import { rootConsoleRecord, rootRecord } from './cases.js';

// The cases of root-audit-tampering, kept apart so the rule reads in a minute. The catalog test
// runs them through the rule's `tests()`.

const topicArn = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';
const fallbackTopicArn = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alarms';
const functionArn = 'arn:aws:lambda:us-east-1:111122223333:function:root-monitor-detector';
const tableArn = 'arn:aws:dynamodb:us-east-1:111122223333:table/root-monitor-dedup';
const detectorId = '12abc34d567e8fa901bc2d34e56789f0';
const alertKeyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const alertKeyArn = `arn:aws:kms:us-east-1:111122223333:key/${alertKeyId}`;
const otherKeyArn = 'arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const roleName = 'root-monitor-RootMonitorRole-1A2B3C4D5E6F';
const trailFileRoleName = 'root-monitor-TrailFileRole-7G8H9J0K1L2M';
const healthCheckRoleName = 'root-monitor-HealthCheckRole-5N6P7Q8R9S0T';
const healthCheckFunction = 'root-monitor-detector-health-check';
const trailFileFunctionArn =
  'arn:aws:lambda:us-east-1:111122223333:function:root-monitor-detector-trail-files';
const mappingId = 'a1b2c3d4-5678-90ab-cdef-11111EXAMPLE';
const failureQueue = 'root-monitor-OnFailureQueue-3H4J5K6L7M8N';
const failureQueueUrl = `https://sqs.us-east-1.amazonaws.com/111122223333/${failureQueue}`;
const deadLetterQueueArn =
  'arn:aws:sqs:us-east-1:111122223333:root-monitor-RuleDeadLetterQueue-9P8Q7R6S5T4U';
const denyAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** A KMS call as CloudTrail records it: the key's ARN in `resources`, whatever the request said. */
const kmsCall = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  resourceArns: readonly string[] = [alertKeyArn],
  readOnly = false,
) =>
  rootRecord({
    eventSource: 'kms.amazonaws.com',
    eventName,
    requestParameters,
    resources: resourceArns.map((ARN) => ({ accountId: '111122223333', ARN })),
    readOnly,
  });

const call = (eventSource: string, eventName: string, requestParameters: unknown = null) =>
  rootRecord({ eventSource, eventName, requestParameters });

/** Built when asked for: the Lambda loads the rule at every cold start and never runs these. */
export const rootAuditTamperingCases = (): RuleCase[] => [
  {
    name: 'CloudTrail StopLogging',
    record: call('cloudtrail.amazonaws.com', 'StopLogging', {
      name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events',
    }),
    expected: true,
  },
  {
    name: 'CloudTrail StopLogging through the console',
    record: rootConsoleRecord({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management' },
    }),
    expected: true,
  },
  {
    name: 'GuardDuty detector deleted through the console',
    record: rootConsoleRecord({
      eventSource: 'guardduty.amazonaws.com',
      eventName: 'DeleteDetector',
      requestParameters: { detectorId },
    }),
    expected: true,
  },
  {
    name: "the monitor's configuration rewritten through the console",
    record: rootConsoleRecord({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'PutParameter',
      requestParameters: { name: '/root-monitor/config', type: 'String', overwrite: true },
    }),
    expected: true,
  },
  {
    name: 'CloudTrail trails listed through the console',
    record: rootConsoleRecord({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'DescribeTrails',
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'CloudTrail StopLogging denied by an SCP still counts',
    record: rootRecord({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      requestParameters: { name: 'management-events' },
      errorCode: 'AccessDenied',
      errorMessage: 'with an explicit deny in a service control policy',
    }),
    expected: true,
  },
  {
    name: 'CloudTrail PutEventSelectors',
    record: call('cloudtrail.amazonaws.com', 'PutEventSelectors', {
      trailName: 'management-events',
      eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: false }],
    }),
    expected: true,
  },
  {
    name: 'EventBridge DisableRule',
    record: call('events.amazonaws.com', 'DisableRule', {
      name: 'root-monitor-RootUsageRule-1B2C3D4E5F6G',
    }),
    expected: true,
  },
  {
    name: 'EventBridge RemovePermission on the receiving bus',
    record: call('events.amazonaws.com', 'RemovePermission', {
      statementId: 'AllowOrganization',
      eventBusName: 'root-monitor',
    }),
    expected: true,
  },
  {
    name: 'GuardDuty DeleteDetector',
    record: call('guardduty.amazonaws.com', 'DeleteDetector', { detectorId }),
    expected: true,
  },
  {
    name: 'GuardDuty archive filter',
    record: call('guardduty.amazonaws.com', 'CreateFilter', {
      detectorId,
      name: 'quiet',
      action: 'ARCHIVE',
      findingCriteria: { criterion: { severity: { gte: 1 } } },
    }),
    expected: true,
  },
  {
    name: 'GuardDuty UpdateFilter without an action may keep ARCHIVE',
    record: call('guardduty.amazonaws.com', 'UpdateFilter', {
      detectorId,
      filterName: 'quiet',
      findingCriteria: { criterion: { severity: { gte: 1 } } },
    }),
    expected: true,
  },
  {
    name: 'GuardDuty trusted IP list',
    record: call('guardduty.amazonaws.com', 'CreateIPSet', {
      detectorId,
      name: 'office',
      format: 'TXT',
      location: 'https://s3.amazonaws.com/bucket/ips.txt',
      activate: true,
    }),
    expected: true,
  },
  {
    name: 'Config StopConfigurationRecorder',
    record: call('config.amazonaws.com', 'StopConfigurationRecorder', {
      configurationRecorderName: 'default',
    }),
    expected: true,
  },
  {
    name: "Logs DeleteLogGroup of the monitor's function",
    record: call('logs.amazonaws.com', 'DeleteLogGroup', {
      logGroupName: '/aws/lambda/root-monitor-detector',
    }),
    expected: true,
  },
  {
    name: 'Logs PutRetentionPolicy to one day',
    record: call('logs.amazonaws.com', 'PutRetentionPolicy', {
      logGroupName: 'aws-cloudtrail-logs',
      retentionInDays: 1,
    }),
    expected: true,
  },
  {
    name: 'CloudWatch DisableAlarmActions',
    record: call('monitoring.amazonaws.com', 'DisableAlarmActions', {
      alarmNames: ['root-monitor-root-usage'],
    }),
    expected: true,
  },
  {
    name: 'leaving the organization',
    record: call('organizations.amazonaws.com', 'LeaveOrganization'),
    expected: true,
  },
  {
    name: 'SSM PutParameter on the configuration',
    record: call('ssm.amazonaws.com', 'PutParameter', {
      name: '/root-monitor/config',
      type: 'String',
      overwrite: true,
    }),
    expected: true,
  },
  {
    name: 'SSM PutParameter by ARN',
    record: call('ssm.amazonaws.com', 'PutParameter', {
      name: 'arn:aws:ssm:us-east-1:111122223333:parameter/root-monitor/config',
      type: 'String',
      overwrite: true,
    }),
    expected: true,
  },
  {
    name: 'SSM DeleteParameters naming the configuration among others',
    record: call('ssm.amazonaws.com', 'DeleteParameters', {
      names: ['/app/db-url', '/root-monitor/config'],
    }),
    expected: true,
  },
  {
    name: 'SSM PutParameter under a configured path',
    record: call('ssm.amazonaws.com', 'PutParameter', {
      name: '/root-monitor/team-payments',
      type: 'String',
    }),
    context: { monitor: { configParameter: '/root-monitor/' } },
    expected: true,
  },
  {
    name: 'SSM flat parameter name given by ARN',
    record: call('ssm.amazonaws.com', 'DeleteParameter', {
      name: 'arn:aws:ssm:us-east-1:111122223333:parameter/root-monitor-config',
    }),
    context: { monitor: { configParameter: 'root-monitor-config' } },
    expected: true,
  },
  {
    name: 'SSM tags on the configuration',
    record: call('ssm.amazonaws.com', 'RemoveTagsFromResource', {
      resourceType: 'Parameter',
      resourceId: '/root-monitor/config',
      tagKeys: ['owner'],
    }),
    expected: true,
  },
  {
    name: 'SNS Unsubscribe from the alert topic',
    record: call('sns.amazonaws.com', 'Unsubscribe', {
      subscriptionArn: `${topicArn}:7f3a9c52-1b2d-4e8f-9a6b-0c1d2e3f4a5b`,
    }),
    expected: true,
  },
  {
    name: 'SNS SetTopicAttributes on the alert topic',
    record: call('sns.amazonaws.com', 'SetTopicAttributes', {
      topicArn,
      attributeName: 'Policy',
      attributeValue: '{}',
    }),
    expected: true,
  },
  {
    name: 'SNS DeleteTopic on the fallback topic the alarms publish to',
    record: call('sns.amazonaws.com', 'DeleteTopic', { topicArn: fallbackTopicArn }),
    expected: true,
  },
  {
    name: 'SNS Unsubscribe from the fallback topic',
    record: call('sns.amazonaws.com', 'Unsubscribe', {
      subscriptionArn: `${fallbackTopicArn}:0b6e2d4a-3c1f-4a7e-8d9b-1e2f3a4b5c6d`,
    }),
    expected: true,
  },
  {
    name: 'DynamoDB PutItem pre-claiming a dedup key',
    record: rootRecord({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'PutItem',
      requestParameters: {
        tableName: 'root-monitor-dedup',
        key: { pk: 'root-activity#111122223333#198.51.100.23' },
        item: ['pk', 'expiresAt'],
      },
      resources: [{ accountId: '111122223333', type: 'AWS::DynamoDB::Table', ARN: tableArn }],
      managementEvent: false,
      eventCategory: 'Data',
    }),
    expected: true,
  },
  {
    name: 'DynamoDB TransactWriteItems touching the dedup table',
    record: call('dynamodb.amazonaws.com', 'TransactWriteItems', {
      requestItems: [
        { operation: 'Put', tableName: 'orders', key: { id: '1' } },
        { operation: 'Put', TableName: 'root-monitor-dedup', key: { pk: 'x' } },
      ],
    }),
    expected: true,
  },
  {
    name: 'DynamoDB BatchWriteItem keyed by table name',
    record: call('dynamodb.amazonaws.com', 'BatchWriteItem', {
      requestItems: { 'root-monitor-dedup': [{ putRequest: { item: ['pk'] } }] },
    }),
    expected: true,
  },
  {
    name: 'DynamoDB UpdateTimeToLive by table ARN',
    record: call('dynamodb.amazonaws.com', 'UpdateTimeToLive', {
      tableName: tableArn,
      timeToLiveSpecification: { enabled: false, attributeName: 'expiresAt' },
    }),
    expected: true,
  },
  {
    name: 'Lambda PutFunctionConcurrency to 0',
    record: call('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', {
      functionName: 'root-monitor-detector',
      reservedConcurrentExecutions: 0,
    }),
    expected: true,
  },
  {
    name: 'Lambda UpdateFunctionConfiguration by ARN',
    record: call('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {
      functionName: functionArn,
      environment: {},
    }),
    expected: true,
  },
  {
    name: 'Lambda RemovePermission by partial ARN with alias',
    record: call('lambda.amazonaws.com', 'RemovePermission20150331v2', {
      functionName: '111122223333:function:root-monitor-detector:live',
      statementId: 'events-invoke',
    }),
    expected: true,
  },
  {
    name: 'Lambda TagResource named only in resources',
    record: rootRecord({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'TagResource20170331v2',
      requestParameters: { tags: { owner: 'nobody' } },
      resources: [{ ARN: functionArn }],
    }),
    expected: true,
  },
  {
    name: 'KMS DisableKey on the alert key by key id',
    record: kmsCall('DisableKey', { keyId: alertKeyId }),
    expected: true,
  },
  {
    name: 'KMS ScheduleKeyDeletion by key ARN, refused, with no resources recorded',
    record: rootRecord({
      eventSource: 'kms.amazonaws.com',
      eventName: 'ScheduleKeyDeletion',
      requestParameters: { keyId: alertKeyArn, pendingWindowInDays: 7 },
      errorCode: 'AccessDeniedException',
    }),
    expected: true,
  },
  {
    name: 'KMS PutKeyPolicy shutting out SNS and CloudWatch',
    record: kmsCall('PutKeyPolicy', {
      keyId: alertKeyId,
      policyName: 'default',
      policy: denyAll,
      bypassPolicyLockoutSafetyCheck: false,
    }),
    expected: true,
  },
  {
    name: 'KMS key id in capitals',
    record: kmsCall('DisableKey', { keyId: alertKeyId.toUpperCase() }, []),
    expected: true,
  },
  {
    name: 'KMS CreateGrant letting another principal use the alert key',
    record: kmsCall('CreateGrant', {
      keyId: alertKeyArn,
      granteePrincipal: 'arn:aws:iam::444455556666:root',
      operations: ['Decrypt'],
    }),
    expected: true,
  },
  {
    name: 'KMS RevokeGrant on the alert key',
    record: kmsCall('RevokeGrant', {
      keyId: alertKeyId,
      grantId: 'abcde1237f1bc05a8c1e6f3c84ac65c5',
    }),
    expected: true,
  },
  {
    name: 'KMS DisableKeyRotation on the alert key cuts nothing but is still a change',
    record: kmsCall('DisableKeyRotation', { keyId: alertKeyId }),
    expected: true,
  },
  {
    name: "KMS DeleteAlias of the alert key's alias, the key named only in resources",
    record: kmsCall('DeleteAlias', { aliasName: 'alias/root-monitor-alerts' }, [
      'arn:aws:kms:us-east-1:111122223333:alias/root-monitor-alerts',
      alertKeyArn,
    ]),
    expected: true,
  },
  {
    name: 'Lambda DeleteFunction of the health-check function',
    record: call('lambda.amazonaws.com', 'DeleteFunction20150331', {
      functionName: healthCheckFunction,
    }),
    expected: true,
  },
  {
    name: 'Lambda DeleteFunction of the trail-file backstop by ARN, recorded without a version',
    record: call('lambda.amazonaws.com', 'DeleteFunction', { functionName: trailFileFunctionArn }),
    expected: true,
  },
  {
    name: 'Lambda PutFunctionConcurrency to 0 on the trail-file backstop',
    record: call('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', {
      functionName: trailFileFunctionArn,
      reservedConcurrentExecutions: 0,
    }),
    expected: true,
  },
  {
    name: "Lambda RemovePermission taking the health check's schedule off it",
    record: call('lambda.amazonaws.com', 'RemovePermission20150331v2', {
      functionName: healthCheckFunction,
      statementId: 'root-monitor-HealthCheckFunctionScheduledPermission-1A2B3C4D5E6F',
    }),
    expected: true,
  },
  {
    name: "Lambda DeleteEventSourceMapping of the backstop's queue, named by its UUID alone",
    record: call('lambda.amazonaws.com', 'DeleteEventSourceMapping20150331', { uUID: mappingId }),
    expected: true,
  },
  {
    name: "Lambda UpdateEventSourceMapping disabling the backstop's queue",
    record: call('lambda.amazonaws.com', 'UpdateEventSourceMapping20150331', {
      uUID: mappingId,
      functionName: trailFileFunctionArn,
      enabled: false,
    }),
    expected: true,
  },
  {
    name: "Lambda UpdateEventSourceMapping of any function's mapping: root has no business there",
    record: call('lambda.amazonaws.com', 'UpdateEventSourceMapping20150331', {
      uUID: 'f0e1d2c3-b4a5-9687-7869-22222EXAMPLE',
      batchSize: 1,
    }),
    expected: true,
  },
  {
    name: 'Lambda CreateEventSourceMapping feeding the backstop from another queue',
    record: call('lambda.amazonaws.com', 'CreateEventSourceMapping20150331', {
      functionName: trailFileFunctionArn,
      eventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:decoy',
    }),
    expected: true,
  },
  {
    name: 'EventBridge DisableRule on the schedule that sends window digests',
    record: call('events.amazonaws.com', 'DisableRule', {
      name: 'root-monitor-RootMonitorFunctionDigestSchedule-1A2B3C4D5E6F',
    }),
    expected: true,
  },
  {
    name: 'EventBridge PutRule moving the health-check schedule to once a year',
    record: call('events.amazonaws.com', 'PutRule', {
      name: 'root-monitor-HealthCheckFunctionScheduled-7G8H9J0K1L2M',
      scheduleExpression: 'rate(365 days)',
      state: 'ENABLED',
    }),
    expected: true,
  },
  {
    name: 'EventBridge RemoveTargets from the health-check schedule',
    record: call('events.amazonaws.com', 'RemoveTargets', {
      rule: 'root-monitor-HealthCheckFunctionScheduled-7G8H9J0K1L2M',
      ids: ['HealthCheckFunctionScheduledLambdaTarget'],
    }),
    expected: true,
  },
  {
    name: 'IAM PutRolePolicy with a Deny on the health-check role',
    record: call('iam.amazonaws.com', 'PutRolePolicy', {
      roleName: healthCheckRoleName,
      policyName: 'quiet',
      policyDocument: denyAll,
    }),
    expected: true,
  },
  {
    name: 'IAM DeleteRole of the trail-file role',
    record: call('iam.amazonaws.com', 'DeleteRole', { roleName: trailFileRoleName }),
    expected: true,
  },
  {
    name: 'IAM PutRolePolicy with a Deny on the function role',
    record: call('iam.amazonaws.com', 'PutRolePolicy', {
      roleName,
      policyName: 'quiet',
      policyDocument: denyAll,
    }),
    expected: true,
  },
  {
    name: 'IAM AttachRolePolicy AWSDenyAll to the function role',
    record: call('iam.amazonaws.com', 'AttachRolePolicy', {
      roleName,
      policyArn: 'arn:aws:iam::aws:policy/AWSDenyAll',
    }),
    expected: true,
  },
  {
    name: 'IAM DeleteRolePolicy on the function role',
    record: call('iam.amazonaws.com', 'DeleteRolePolicy', {
      roleName,
      policyName: 'root-monitor',
    }),
    expected: true,
  },
  {
    name: 'IAM DetachRolePolicy from the function role',
    record: call('iam.amazonaws.com', 'DetachRolePolicy', {
      roleName,
      policyArn: 'arn:aws:iam::111122223333:policy/extra',
    }),
    expected: true,
  },
  {
    name: 'IAM UpdateAssumeRolePolicy so Lambda can no longer assume the role',
    record: call('iam.amazonaws.com', 'UpdateAssumeRolePolicy', {
      roleName,
      policyDocument: denyAll,
    }),
    expected: true,
  },
  {
    name: 'IAM PutRolePermissionsBoundary on the function role',
    record: call('iam.amazonaws.com', 'PutRolePermissionsBoundary', {
      roleName,
      permissionsBoundary: 'arn:aws:iam::aws:policy/AWSDenyAll',
    }),
    expected: true,
  },
  {
    name: 'IAM DeleteRole of the function role',
    record: call('iam.amazonaws.com', 'DeleteRole', { roleName }),
    expected: true,
  },
  {
    name: 'IAM role name in another case',
    record: call('iam.amazonaws.com', 'DeleteRolePolicy', {
      roleName: roleName.toLowerCase(),
      policyName: 'root-monitor',
    }),
    expected: true,
  },
  {
    name: 'IAM role with a path, named by its last segment',
    record: call('iam.amazonaws.com', 'PutRolePolicy', {
      roleName: 'root-monitor',
      policyName: 'quiet',
      policyDocument: denyAll,
    }),
    context: {
      monitor: {
        roleArns: ['arn:aws:iam::111122223333:role/service-role/monitoring/root-monitor'],
      },
    },
    expected: true,
  },
  {
    name: "SQS PurgeQueue of the function's on-failure queue erases alerts that failed",
    record: call('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: failureQueueUrl }),
    expected: true,
  },
  {
    name: "SQS DeleteQueue of the rule's dead-letter queue, named in resources",
    record: rootRecord({
      eventSource: 'sqs.amazonaws.com',
      eventName: 'DeleteQueue',
      requestParameters: { queueUrl: 'https://queue.amazonaws.com/111122223333/renamed' },
      resources: [{ accountId: '111122223333', ARN: deadLetterQueueArn }],
    }),
    expected: true,
  },
  {
    name: 'SQS SetQueueAttributes shortening retention on the on-failure queue (older URL)',
    record: call('sqs.amazonaws.com', 'SetQueueAttributes', {
      queueUrl: `https://us-east-1.queue.amazonaws.com/111122223333/${failureQueue}`,
      attributes: { MessageRetentionPeriod: '60' },
    }),
    expected: true,
  },
  {
    name: 'CloudTrail DescribeTrails only reads',
    record: rootRecord({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'DescribeTrails',
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'CloudTrail CreateTrail adds logging',
    record: call('cloudtrail.amazonaws.com', 'CreateTrail', {
      name: 'extra',
      s3BucketName: 'trail-bucket',
    }),
    expected: false,
  },
  {
    name: 'GuardDuty NOOP filter is a saved search',
    record: call('guardduty.amazonaws.com', 'CreateFilter', {
      detectorId,
      name: 'portscans',
      action: 'NOOP',
    }),
    expected: false,
  },
  {
    name: 'GuardDuty CreateFilter without an action defaults to NOOP',
    record: call('guardduty.amazonaws.com', 'CreateFilter', { detectorId, name: 'portscans' }),
    expected: false,
  },
  {
    name: 'GuardDuty UpdateFilter to NOOP stops archiving',
    record: call('guardduty.amazonaws.com', 'UpdateFilter', {
      detectorId,
      filterName: 'quiet',
      action: 'NOOP',
    }),
    expected: false,
  },
  {
    name: 'SSM GetParameter on the configuration only reads',
    record: rootRecord({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      requestParameters: { name: '/root-monitor/config' },
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'SSM GetParameter without readOnly is judged by its verb',
    record: rootRecord({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      requestParameters: { name: '/root-monitor/config' },
      readOnly: undefined,
    }),
    expected: false,
  },
  {
    name: 'SSM PutParameter on another parameter',
    record: call('ssm.amazonaws.com', 'PutParameter', { name: '/app/db-url', type: 'String' }),
    expected: false,
  },
  {
    name: 'SSM path match stops at the path boundary',
    record: call('ssm.amazonaws.com', 'PutParameter', {
      name: '/root-monitor-staging/config',
      type: 'String',
    }),
    context: { monitor: { configParameter: '/root-monitor/' } },
    expected: false,
  },
  {
    name: 'SSM PutParameter when the monitor names no resources',
    record: call('ssm.amazonaws.com', 'PutParameter', { name: '/root-monitor/config' }),
    context: { monitor: {} },
    expected: false,
  },
  {
    name: 'DynamoDB GetItem on the dedup table only reads',
    record: rootRecord({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'GetItem',
      requestParameters: { tableName: 'root-monitor-dedup', key: { pk: 'x' } },
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'DynamoDB PutItem into another table',
    record: call('dynamodb.amazonaws.com', 'PutItem', { tableName: 'orders', key: { id: '1' } }),
    expected: false,
  },
  {
    name: "a table named like the monitor's function",
    record: call('dynamodb.amazonaws.com', 'DeleteTable', { tableName: 'root-monitor-detector' }),
    expected: false,
  },
  {
    name: 'Lambda GetFunction only reads',
    record: rootRecord({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'GetFunction20150331v2',
      requestParameters: { functionName: 'root-monitor-detector' },
      readOnly: undefined,
    }),
    expected: false,
  },
  {
    name: 'Lambda DeleteFunction of another function',
    record: call('lambda.amazonaws.com', 'DeleteFunction20150331', { functionName: 'orders-api' }),
    expected: false,
  },
  {
    name: 'Lambda DeleteFunction of a function whose name only starts like the health check',
    record: call('lambda.amazonaws.com', 'DeleteFunction20150331', {
      functionName: `${healthCheckFunction}-old`,
    }),
    expected: false,
  },
  {
    name: 'Lambda DeleteFunction of the health check when the monitor does not list it',
    record: call('lambda.amazonaws.com', 'DeleteFunction20150331', {
      functionName: healthCheckFunction,
    }),
    context: { monitor: { functionNames: ['root-monitor-detector'] } },
    expected: false,
  },
  {
    name: 'Lambda CreateEventSourceMapping for another function',
    record: call('lambda.amazonaws.com', 'CreateEventSourceMapping20150331', {
      functionName: 'orders-api',
      eventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:orders',
    }),
    expected: false,
  },
  {
    name: "Lambda GetEventSourceMapping of the backstop's queue only reads",
    record: rootRecord({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'GetEventSourceMapping20150331',
      requestParameters: { uUID: mappingId },
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'a call of another service named like an event source mapping change',
    record: call('pipes.amazonaws.com', 'UpdateEventSourceMapping', { uUID: mappingId }),
    expected: false,
  },
  {
    name: 'IAM PutRolePolicy on a role whose name only starts like the health-check role',
    record: call('iam.amazonaws.com', 'PutRolePolicy', {
      roleName: `${healthCheckRoleName}-old`,
      policyName: 'quiet',
      policyDocument: denyAll,
    }),
    expected: false,
  },
  {
    name: 'Lambda PutFunctionConcurrency on another function',
    record: call('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', {
      functionName: 'orders-api',
      reservedConcurrentExecutions: 0,
    }),
    expected: false,
  },
  {
    name: 'SNS topic whose ARN only starts like the alert topic',
    record: call('sns.amazonaws.com', 'DeleteTopic', { topicArn: `${topicArn}-staging` }),
    expected: false,
  },
  {
    name: 'KMS DisableKey on another key',
    record: kmsCall('DisableKey', { keyId: otherKeyArn }, [otherKeyArn]),
    expected: false,
  },
  {
    name: 'KMS DescribeKey on the alert key by alias only reads',
    record: kmsCall('DescribeKey', { keyId: 'alias/root-monitor-alerts' }, [alertKeyArn], true),
    expected: false,
  },
  {
    name: 'KMS GenerateDataKey with the alert key uses it without changing it',
    record: kmsCall(
      'GenerateDataKey',
      {
        keyId: 'arn:aws:kms:us-east-1:111122223333:alias/root-monitor-alerts',
        keySpec: 'AES_256',
      },
      [alertKeyArn],
      true,
    ),
    expected: false,
  },
  {
    name: "KMS DeleteAlias of another key's alias",
    record: kmsCall('DeleteAlias', { aliasName: 'alias/orders' }, [
      'arn:aws:kms:us-east-1:111122223333:alias/orders',
      otherKeyArn,
    ]),
    expected: false,
  },
  {
    name: 'KMS alias ARN ending in the alert key id names no key',
    record: kmsCall('DeleteAlias', { aliasName: `alias/${alertKeyId}` }, [
      `arn:aws:kms:us-east-1:111122223333:alias/${alertKeyId}`,
    ]),
    expected: false,
  },
  {
    name: 'IAM GetRole on the function role only reads',
    record: rootRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'GetRole',
      requestParameters: { roleName },
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'IAM ListRolePolicies without readOnly is judged by its verb',
    record: rootRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListRolePolicies',
      requestParameters: { roleName },
      readOnly: undefined,
    }),
    expected: false,
  },
  {
    name: 'IAM PutRolePolicy on another role',
    record: call('iam.amazonaws.com', 'PutRolePolicy', {
      roleName: 'orders-api',
      policyName: 'quiet',
      policyDocument: denyAll,
    }),
    expected: false,
  },
  {
    name: 'IAM role whose name only starts like the function role',
    record: call('iam.amazonaws.com', 'DeleteRole', { roleName: `${roleName}-old` }),
    expected: false,
  },
  {
    name: 'IAM user named like the function role',
    record: call('iam.amazonaws.com', 'DeleteUser', { userName: roleName }),
    expected: false,
  },
  {
    name: 'SQS GetQueueAttributes on the on-failure queue only reads',
    record: rootRecord({
      eventSource: 'sqs.amazonaws.com',
      eventName: 'GetQueueAttributes',
      requestParameters: { queueUrl: failureQueueUrl, attributeNames: ['All'] },
      readOnly: true,
    }),
    expected: false,
  },
  {
    name: 'SQS PurgeQueue of a queue whose name only starts like the on-failure queue',
    record: call('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: `${failureQueueUrl}-old` }),
    expected: false,
  },
  {
    name: 'SQS PurgeQueue of a same-named queue in another account',
    record: call('sqs.amazonaws.com', 'PurgeQueue', {
      queueUrl: `https://sqs.us-east-1.amazonaws.com/444455556666/${failureQueue}`,
    }),
    expected: false,
  },
];
