import type { RuleCase } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { callsTo, DENIED_BY_SCP, rootIamCall as iam, READ_ONLY, THROUGH_CONSOLE } from './cases.js';

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
const stackPolicyArn =
  'arn:aws:iam::111122223333:policy/root-monitor-SendAlertsPolicy-8V9W0X1Y2Z3A';
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

const cloudtrail = callsTo('cloudtrail.amazonaws.com');
const events = callsTo('events.amazonaws.com');
const guardduty = callsTo('guardduty.amazonaws.com');
const ssm = callsTo('ssm.amazonaws.com');
const sns = callsTo('sns.amazonaws.com');
const dynamodb = callsTo('dynamodb.amazonaws.com');
const lambda = callsTo('lambda.amazonaws.com');
const sqs = callsTo('sqs.amazonaws.com');
const kms = callsTo('kms.amazonaws.com');
const logs = callsTo('logs.amazonaws.com');

/** A KMS call as CloudTrail records it: the key's ARN in `resources`, whatever the request said. */
const kmsCall = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  resourceArns: readonly string[] = [alertKeyArn],
  readOnly = false,
) =>
  kms(eventName, requestParameters, {
    resources: resourceArns.map((ARN) => ({ accountId: '111122223333', ARN })),
    readOnly,
  });

/** A policy written inline on a role, denying everything. */
const denyPolicyOn = (role: string) =>
  iam('PutRolePolicy', { roleName: role, policyName: 'quiet', policyDocument: denyAll });

/** A function throttled to zero: it stays deployed and never runs. */
const noConcurrencyFor = (functionName: string) =>
  lambda('PutFunctionConcurrency20171031', { functionName, reservedConcurrentExecutions: 0 });

/** A GuardDuty call on the account's detector. */
const onDetector = (eventName: string, fields: Record<string, unknown>) =>
  guardduty(eventName, { detectorId, ...fields });

const configName = '/root-monitor/config';

/** Built when asked for: the Lambda loads the rule at every cold start and never runs these. */
export const rootAuditTamperingCases = (): RuleCase[] => [
  ...matches({
    'CloudTrail StopLogging': cloudtrail('StopLogging', {
      name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events',
    }),
    'CloudTrail StopLogging through the console': cloudtrail(
      'StopLogging',
      { name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management' },
      THROUGH_CONSOLE,
    ),
    'GuardDuty detector deleted through the console': guardduty(
      'DeleteDetector',
      { detectorId },
      THROUGH_CONSOLE,
    ),
    "the monitor's configuration rewritten through the console": ssm(
      'PutParameter',
      { name: configName, type: 'String', overwrite: true },
      THROUGH_CONSOLE,
    ),
  }),
  ...ignores({
    'CloudTrail trails listed through the console': cloudtrail('DescribeTrails', null, {
      ...THROUGH_CONSOLE,
      ...READ_ONLY,
    }),
  }),
  ...matches({
    'CloudTrail StopLogging denied by an SCP still counts': cloudtrail(
      'StopLogging',
      { name: 'management-events' },
      DENIED_BY_SCP,
    ),
    'CloudTrail PutEventSelectors': cloudtrail('PutEventSelectors', {
      trailName: 'management-events',
      eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: false }],
    }),
    'EventBridge DisableRule': events('DisableRule', {
      name: 'root-monitor-RootUsageRule-1B2C3D4E5F6G',
    }),
    'EventBridge RemovePermission on the receiving bus': events('RemovePermission', {
      statementId: 'AllowOrganization',
      eventBusName: 'root-monitor',
    }),
    'GuardDuty DeleteDetector': guardduty('DeleteDetector', { detectorId }),
    'GuardDuty archive filter': onDetector('CreateFilter', {
      name: 'quiet',
      action: 'ARCHIVE',
      findingCriteria: { criterion: { severity: { gte: 1 } } },
    }),
    'GuardDuty UpdateFilter without an action may keep ARCHIVE': onDetector('UpdateFilter', {
      filterName: 'quiet',
      findingCriteria: { criterion: { severity: { gte: 1 } } },
    }),
    'GuardDuty trusted IP list': onDetector('CreateIPSet', {
      name: 'office',
      format: 'TXT',
      location: 'https://s3.amazonaws.com/bucket/ips.txt',
      activate: true,
    }),
    'Config StopConfigurationRecorder': callsTo('config.amazonaws.com')(
      'StopConfigurationRecorder',
      { configurationRecorderName: 'default' },
    ),
    "Logs DeleteLogGroup of the monitor's function": logs('DeleteLogGroup', {
      logGroupName: '/aws/lambda/root-monitor-detector',
    }),
    'Logs PutRetentionPolicy to one day': logs('PutRetentionPolicy', {
      logGroupName: 'aws-cloudtrail-logs',
      retentionInDays: 1,
    }),
    'CloudWatch DisableAlarmActions': callsTo('monitoring.amazonaws.com')('DisableAlarmActions', {
      alarmNames: ['root-monitor-root-usage'],
    }),
    'leaving the organization': callsTo('organizations.amazonaws.com')('LeaveOrganization'),
    'SSM PutParameter on the configuration': ssm('PutParameter', {
      name: configName,
      type: 'String',
      overwrite: true,
    }),
    'SSM PutParameter by ARN': ssm('PutParameter', {
      name: `arn:aws:ssm:us-east-1:111122223333:parameter${configName}`,
      type: 'String',
      overwrite: true,
    }),
    'SSM DeleteParameters naming the configuration among others': ssm('DeleteParameters', {
      names: ['/app/db-url', configName],
    }),
  }),
  ...matches(
    {
      'SSM PutParameter under a configured path': ssm('PutParameter', {
        name: '/root-monitor/team-payments',
        type: 'String',
      }),
    },
    { monitor: { configParameter: '/root-monitor/' } },
  ),
  ...matches(
    {
      'SSM flat parameter name given by ARN': ssm('DeleteParameter', {
        name: 'arn:aws:ssm:us-east-1:111122223333:parameter/root-monitor-config',
      }),
    },
    { monitor: { configParameter: 'root-monitor-config' } },
  ),
  ...matches({
    'SSM tags on the configuration': ssm('RemoveTagsFromResource', {
      resourceType: 'Parameter',
      resourceId: configName,
      tagKeys: ['owner'],
    }),
    'SNS Unsubscribe from the alert topic': sns('Unsubscribe', {
      subscriptionArn: `${topicArn}:7f3a9c52-1b2d-4e8f-9a6b-0c1d2e3f4a5b`,
    }),
    'SNS SetTopicAttributes on the alert topic': sns('SetTopicAttributes', {
      topicArn,
      attributeName: 'Policy',
      attributeValue: '{}',
    }),
    'SNS DeleteTopic on the fallback topic the alarms publish to': sns('DeleteTopic', {
      topicArn: fallbackTopicArn,
    }),
    'SNS Unsubscribe from the fallback topic': sns('Unsubscribe', {
      subscriptionArn: `${fallbackTopicArn}:0b6e2d4a-3c1f-4a7e-8d9b-1e2f3a4b5c6d`,
    }),
    'DynamoDB PutItem pre-claiming a dedup key': dynamodb(
      'PutItem',
      {
        tableName: 'root-monitor-dedup',
        key: { pk: 'root-activity#111122223333#198.51.100.23' },
        item: ['pk', 'expiresAt'],
      },
      {
        resources: [{ accountId: '111122223333', type: 'AWS::DynamoDB::Table', ARN: tableArn }],
        managementEvent: false,
        eventCategory: 'Data',
      },
    ),
    'DynamoDB TransactWriteItems touching the dedup table': dynamodb('TransactWriteItems', {
      requestItems: [
        { operation: 'Put', tableName: 'orders', key: { id: '1' } },
        { operation: 'Put', TableName: 'root-monitor-dedup', key: { pk: 'x' } },
      ],
    }),
    'DynamoDB BatchWriteItem keyed by table name': dynamodb('BatchWriteItem', {
      requestItems: { 'root-monitor-dedup': [{ putRequest: { item: ['pk'] } }] },
    }),
    'DynamoDB UpdateTimeToLive by table ARN': dynamodb('UpdateTimeToLive', {
      tableName: tableArn,
      timeToLiveSpecification: { enabled: false, attributeName: 'expiresAt' },
    }),
    'Lambda PutFunctionConcurrency to 0': noConcurrencyFor('root-monitor-detector'),
    'Lambda UpdateFunctionConfiguration by ARN': lambda('UpdateFunctionConfiguration20150331v2', {
      functionName: functionArn,
      environment: {},
    }),
    'Lambda RemovePermission by partial ARN with alias': lambda('RemovePermission20150331v2', {
      functionName: '111122223333:function:root-monitor-detector:live',
      statementId: 'events-invoke',
    }),
    'Lambda TagResource named only in resources': lambda(
      'TagResource20170331v2',
      { tags: { owner: 'nobody' } },
      { resources: [{ ARN: functionArn }] },
    ),
    'KMS DisableKey on the alert key by key id': kmsCall('DisableKey', { keyId: alertKeyId }),
    'KMS ScheduleKeyDeletion by key ARN, refused, with no resources recorded': kms(
      'ScheduleKeyDeletion',
      { keyId: alertKeyArn, pendingWindowInDays: 7 },
      { errorCode: 'AccessDeniedException' },
    ),
    'KMS PutKeyPolicy shutting out SNS and CloudWatch': kmsCall('PutKeyPolicy', {
      keyId: alertKeyId,
      policyName: 'default',
      policy: denyAll,
      bypassPolicyLockoutSafetyCheck: false,
    }),
    'KMS key id in capitals': kmsCall('DisableKey', { keyId: alertKeyId.toUpperCase() }, []),
    'KMS CreateGrant letting another principal use the alert key': kmsCall('CreateGrant', {
      keyId: alertKeyArn,
      granteePrincipal: 'arn:aws:iam::444455556666:root',
      operations: ['Decrypt'],
    }),
    'KMS RevokeGrant on the alert key': kmsCall('RevokeGrant', {
      keyId: alertKeyId,
      grantId: 'abcde1237f1bc05a8c1e6f3c84ac65c5',
    }),
    'KMS DisableKeyRotation on the alert key cuts nothing but is still a change': kmsCall(
      'DisableKeyRotation',
      { keyId: alertKeyId },
    ),
    "KMS DeleteAlias of the alert key's alias, the key named only in resources": kmsCall(
      'DeleteAlias',
      { aliasName: 'alias/root-monitor-alerts' },
      ['arn:aws:kms:us-east-1:111122223333:alias/root-monitor-alerts', alertKeyArn],
    ),
    'Lambda DeleteFunction of the health-check function': lambda('DeleteFunction20150331', {
      functionName: healthCheckFunction,
    }),
    'Lambda DeleteFunction of the trail-file backstop by ARN, recorded without a version': lambda(
      'DeleteFunction',
      { functionName: trailFileFunctionArn },
    ),
    'Lambda PutFunctionConcurrency to 0 on the trail-file backstop':
      noConcurrencyFor(trailFileFunctionArn),
    "Lambda RemovePermission taking the health check's schedule off it": lambda(
      'RemovePermission20150331v2',
      {
        functionName: healthCheckFunction,
        statementId: 'root-monitor-HealthCheckFunctionScheduledPermission-1A2B3C4D5E6F',
      },
    ),
    "Lambda DeleteEventSourceMapping of the backstop's queue, named by its UUID alone": lambda(
      'DeleteEventSourceMapping20150331',
      { uUID: mappingId },
    ),
    "Lambda UpdateEventSourceMapping disabling the backstop's queue": lambda(
      'UpdateEventSourceMapping20150331',
      { uUID: mappingId, functionName: trailFileFunctionArn, enabled: false },
    ),
    "Lambda UpdateEventSourceMapping of any function's mapping: root has no business there": lambda(
      'UpdateEventSourceMapping20150331',
      {
        uUID: 'f0e1d2c3-b4a5-9687-7869-22222EXAMPLE',
        batchSize: 1,
      },
    ),
    'Lambda CreateEventSourceMapping feeding the backstop from another queue': lambda(
      'CreateEventSourceMapping20150331',
      {
        functionName: trailFileFunctionArn,
        eventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:decoy',
      },
    ),
    'EventBridge DisableRule on the schedule that sends window digests': events('DisableRule', {
      name: 'root-monitor-RootMonitorFunctionDigestSchedule-1A2B3C4D5E6F',
    }),
    'EventBridge PutRule moving the health-check schedule to once a year': events('PutRule', {
      name: 'root-monitor-HealthCheckFunctionScheduled-7G8H9J0K1L2M',
      scheduleExpression: 'rate(365 days)',
      state: 'ENABLED',
    }),
    "EventBridge DeauthorizeConnection of the stack's PagerDuty connection": events(
      'DeauthorizeConnection',
      { name: 'root-monitor-pagerduty' },
    ),
    "EventBridge UpdateApiDestination of the stack's PagerDuty destination, named in resources":
      events(
        'UpdateApiDestination',
        { name: 'renamed', invocationEndpoint: 'https://example.com/' },
        {
          resources: [
            {
              accountId: '111122223333',
              ARN: 'arn:aws:events:us-east-1:111122223333:api-destination/root-monitor-pagerduty/5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
            },
          ],
        },
      ),
    'EventBridge RemoveTargets from the health-check schedule': events('RemoveTargets', {
      rule: 'root-monitor-HealthCheckFunctionScheduled-7G8H9J0K1L2M',
      ids: ['HealthCheckFunctionScheduledLambdaTarget'],
    }),
    'IAM PutRolePolicy with a Deny on the health-check role': denyPolicyOn(healthCheckRoleName),
    'IAM DeleteRole of the trail-file role': iam('DeleteRole', { roleName: trailFileRoleName }),
    'IAM PutRolePolicy with a Deny on the function role': denyPolicyOn(roleName),
    'IAM AttachRolePolicy AWSDenyAll to the function role': iam('AttachRolePolicy', {
      roleName,
      policyArn: 'arn:aws:iam::aws:policy/AWSDenyAll',
    }),
    'IAM DeleteRolePolicy on the function role': iam('DeleteRolePolicy', {
      roleName,
      policyName: 'root-monitor',
    }),
    'IAM DetachRolePolicy from the function role': iam('DetachRolePolicy', {
      roleName,
      policyArn: 'arn:aws:iam::111122223333:policy/extra',
    }),
    'IAM UpdateAssumeRolePolicy so Lambda can no longer assume the role': iam(
      'UpdateAssumeRolePolicy',
      { roleName, policyDocument: denyAll },
    ),
    'IAM PutRolePermissionsBoundary on the function role': iam('PutRolePermissionsBoundary', {
      roleName,
      permissionsBoundary: 'arn:aws:iam::aws:policy/AWSDenyAll',
    }),
    'IAM DeleteRole of the function role': iam('DeleteRole', { roleName }),
    'IAM role name in another case': iam('DeleteRolePolicy', {
      roleName: roleName.toLowerCase(),
      policyName: 'root-monitor',
    }),
    "IAM CreatePolicyVersion with a Deny, as default, on a managed policy the stack's roles attach":
      iam('CreatePolicyVersion', {
        policyArn: stackPolicyArn,
        policyDocument: denyAll,
        setAsDefault: true,
      }),
    "IAM DeletePolicy of a managed policy the stack's roles attach": iam('DeletePolicy', {
      policyArn: stackPolicyArn,
    }),
  }),
  ...matches(
    { 'IAM role with a path, named by its last segment': denyPolicyOn('root-monitor') },
    {
      monitor: {
        roleArns: ['arn:aws:iam::111122223333:role/service-role/monitoring/root-monitor'],
      },
    },
  ),
  ...matches({
    "SQS PurgeQueue of the function's on-failure queue erases alerts that failed": sqs(
      'PurgeQueue',
      { queueUrl: failureQueueUrl },
    ),
    "SQS DeleteQueue of the rule's dead-letter queue, named in resources": sqs(
      'DeleteQueue',
      { queueUrl: 'https://queue.amazonaws.com/111122223333/renamed' },
      { resources: [{ accountId: '111122223333', ARN: deadLetterQueueArn }] },
    ),
    'SQS SetQueueAttributes shortening retention on the on-failure queue (older URL)': sqs(
      'SetQueueAttributes',
      {
        queueUrl: `https://us-east-1.queue.amazonaws.com/111122223333/${failureQueue}`,
        attributes: { MessageRetentionPeriod: '60' },
      },
    ),
  }),
  ...ignores({
    'CloudTrail DescribeTrails only reads': cloudtrail('DescribeTrails', null, READ_ONLY),
    'CloudTrail CreateTrail adds logging': cloudtrail('CreateTrail', {
      name: 'extra',
      s3BucketName: 'trail-bucket',
    }),
    'GuardDuty NOOP filter is a saved search': onDetector('CreateFilter', {
      name: 'portscans',
      action: 'NOOP',
    }),
    'GuardDuty CreateFilter without an action defaults to NOOP': onDetector('CreateFilter', {
      name: 'portscans',
    }),
    'GuardDuty UpdateFilter to NOOP stops archiving': onDetector('UpdateFilter', {
      filterName: 'quiet',
      action: 'NOOP',
    }),
    'SSM GetParameter on the configuration only reads': ssm(
      'GetParameter',
      { name: configName },
      READ_ONLY,
    ),
    'SSM GetParameter without readOnly is judged by its verb': ssm(
      'GetParameter',
      { name: configName },
      { readOnly: undefined },
    ),
    'SSM PutParameter on another parameter': ssm('PutParameter', {
      name: '/app/db-url',
      type: 'String',
    }),
    'IAM CreatePolicyVersion on a policy named after another stack': iam('CreatePolicyVersion', {
      policyArn: 'arn:aws:iam::111122223333:policy/root-monitoring-SendPolicy-8V9W0X1Y2Z3A',
      policyDocument: denyAll,
      setAsDefault: true,
    }),
  }),
  ...ignores(
    {
      'SSM path match stops at the path boundary': ssm('PutParameter', {
        name: '/root-monitor-staging/config',
        type: 'String',
      }),
    },
    { monitor: { configParameter: '/root-monitor/' } },
  ),
  ...ignores(
    {
      'SSM PutParameter when the monitor names no resources': ssm('PutParameter', {
        name: configName,
      }),
    },
    { monitor: {} },
  ),
  ...ignores({
    'DynamoDB GetItem on the dedup table only reads': dynamodb(
      'GetItem',
      { tableName: 'root-monitor-dedup', key: { pk: 'x' } },
      READ_ONLY,
    ),
    'DynamoDB PutItem into another table': dynamodb('PutItem', {
      tableName: 'orders',
      key: { id: '1' },
    }),
    "a table named like the monitor's function": dynamodb('DeleteTable', {
      tableName: 'root-monitor-detector',
    }),
    'Lambda GetFunction only reads': lambda(
      'GetFunction20150331v2',
      { functionName: 'root-monitor-detector' },
      { readOnly: undefined },
    ),
    'Lambda DeleteFunction of another function': lambda('DeleteFunction20150331', {
      functionName: 'orders-api',
    }),
    'Lambda DeleteFunction of a function whose name only starts like the health check': lambda(
      'DeleteFunction20150331',
      { functionName: `${healthCheckFunction}-old` },
    ),
  }),
  ...ignores(
    {
      'Lambda DeleteFunction of the health check when the monitor does not list it': lambda(
        'DeleteFunction20150331',
        { functionName: healthCheckFunction },
      ),
    },
    { monitor: { functionNames: ['root-monitor-detector'] } },
  ),
  ...ignores({
    'Lambda CreateEventSourceMapping for another function': lambda(
      'CreateEventSourceMapping20150331',
      { functionName: 'orders-api', eventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:orders' },
    ),
    "Lambda GetEventSourceMapping of the backstop's queue only reads": lambda(
      'GetEventSourceMapping20150331',
      { uUID: mappingId },
      READ_ONLY,
    ),
    'a call of another service named like an event source mapping change': callsTo(
      'pipes.amazonaws.com',
    )('UpdateEventSourceMapping', { uUID: mappingId }),
    'IAM PutRolePolicy on a role whose name only starts like the health-check role': denyPolicyOn(
      `${healthCheckRoleName}-old`,
    ),
    'EventBridge DeleteConnection of a connection not named after the stack': events(
      'DeleteConnection',
      { name: 'orders-slack' },
    ),
    'Lambda PutFunctionConcurrency on another function': noConcurrencyFor('orders-api'),
    'SNS topic whose ARN only starts like the alert topic': sns('DeleteTopic', {
      topicArn: `${topicArn}-staging`,
    }),
    'KMS DisableKey on another key': kmsCall('DisableKey', { keyId: otherKeyArn }, [otherKeyArn]),
    'KMS DescribeKey on the alert key by alias only reads': kmsCall(
      'DescribeKey',
      { keyId: 'alias/root-monitor-alerts' },
      [alertKeyArn],
      true,
    ),
    'KMS GenerateDataKey with the alert key uses it without changing it': kmsCall(
      'GenerateDataKey',
      {
        keyId: 'arn:aws:kms:us-east-1:111122223333:alias/root-monitor-alerts',
        keySpec: 'AES_256',
      },
      [alertKeyArn],
      true,
    ),
    "KMS DeleteAlias of another key's alias": kmsCall(
      'DeleteAlias',
      { aliasName: 'alias/orders' },
      ['arn:aws:kms:us-east-1:111122223333:alias/orders', otherKeyArn],
    ),
    'KMS alias ARN ending in the alert key id names no key': kmsCall(
      'DeleteAlias',
      { aliasName: `alias/${alertKeyId}` },
      [`arn:aws:kms:us-east-1:111122223333:alias/${alertKeyId}`],
    ),
    'IAM GetRole on the function role only reads': iam('GetRole', { roleName }, READ_ONLY),
    'IAM ListRolePolicies without readOnly is judged by its verb': iam(
      'ListRolePolicies',
      { roleName },
      { readOnly: undefined },
    ),
    'IAM PutRolePolicy on another role': denyPolicyOn('orders-api'),
    'IAM role whose name only starts like the function role': iam('DeleteRole', {
      roleName: `${roleName}-old`,
    }),
    'IAM user named like the function role': iam('DeleteUser', { userName: roleName }),
    'SQS GetQueueAttributes on the on-failure queue only reads': sqs(
      'GetQueueAttributes',
      { queueUrl: failureQueueUrl, attributeNames: ['All'] },
      READ_ONLY,
    ),
    'SQS PurgeQueue of a queue whose name only starts like the on-failure queue': sqs(
      'PurgeQueue',
      { queueUrl: `${failureQueueUrl}-old` },
    ),
    'SQS PurgeQueue of a same-named queue in another account': sqs('PurgeQueue', {
      queueUrl: `https://sqs.us-east-1.amazonaws.com/444455556666/${failureQueue}`,
    }),
  }),
];
