import { createHash } from 'node:crypto';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { isObject, loadTemplate } from './cloudformation-template.js';
import { type DeployedStack, deployedEnvironment, deployedStack } from './deployed-template.js';

/*
 * The attacker's playbook against the monitor: every move that changes one of its parts, as
 * CloudTrail records it, and what must hear of it. A move on the guard's own rules, function or
 * role is heard by GuardWatchRule, which invokes the real-time function; every other move by a
 * guard rule, which invokes the guard. No move is heard only by the rule it changes, nor
 * announced only by the function it changes. Root's own calls (not CloudFormation's for root,
 * which carry invokedBy) also reach the root-usage rule, as all root usage does.
 */

const TEMPLATE = loadTemplate('template.yaml');

/** The identities each move is played as. */
export const IDENTITIES = ['iamUser', 'root'] as const;
export type Identity = (typeof IDENTITIES)[number];

/** The rules of template.yaml that send the guard (or, for the guard, the real-time function) changes. */
export type GuardRule =
  | 'ConfigChangeRule'
  | 'GuardLambdaRule'
  | 'GuardEventsRule'
  | 'GuardAlertsRule'
  | 'GuardStateRule'
  | 'GuardAlarmsRule'
  | 'GuardRolesRule'
  | 'GuardTrailRule'
  | 'GuardStackRule'
  | 'GuardWatchRule';

export const GUARD_RULES: readonly GuardRule[] = [
  'ConfigChangeRule',
  'GuardLambdaRule',
  'GuardEventsRule',
  'GuardAlertsRule',
  'GuardStateRule',
  'GuardAlarmsRule',
  'GuardRolesRule',
  'GuardTrailRule',
  'GuardStackRule',
  'GuardWatchRule',
];

/** The function each rule invokes. */
export const INVOKES: Readonly<Record<GuardRule | 'RootUsageRule', AnnouncingFunction>> = {
  RootUsageRule: 'RootMonitorFunction',
  ConfigChangeRule: 'GuardFunction',
  GuardLambdaRule: 'GuardFunction',
  GuardEventsRule: 'GuardFunction',
  GuardAlertsRule: 'GuardFunction',
  GuardStateRule: 'GuardFunction',
  GuardAlarmsRule: 'GuardFunction',
  GuardRolesRule: 'GuardFunction',
  GuardTrailRule: 'GuardFunction',
  GuardStackRule: 'GuardFunction',
  GuardWatchRule: 'RootMonitorFunction',
};

export type AnnouncingFunction = 'GuardFunction' | 'RootMonitorFunction';

/** A call on the monitor's resources, before it is given an identity. */
interface Call {
  eventSource: string;
  eventName: string;
  requestParameters: Record<string, unknown>;
  /** CloudTrail's `resources`, which KMS fills with the key's ARN. */
  resources?: { ARN: string; accountId: string; type?: string }[];
  /** Made by CloudFormation for a stack operation (userIdentity.invokedBy). */
  byCloudFormation?: boolean;
}

export interface Move {
  /** The move, as the threat model's playbook table (docs/design/threat-model.md) says it. */
  name: string;
  /** The call as CloudTrail records it, by an IAM user and by root. */
  records: Record<Identity, CloudTrailRecord>;
  /** The guard rules that match the call, exactly: the rule it changes is never the only one. */
  rules: readonly GuardRule[];
  /** The function that announces it, never the one it changes. */
  announcedBy: AnnouncingFunction;
  /** The logical id of the rule or function the move changes, if it changes one. */
  changes?: string;
}

/** A write an account makes every day, which must invoke neither the guard nor the watch. */
export interface OrdinaryChange {
  name: string;
  record: CloudTrailRecord;
}

/**
 * The parameter that pages PagerDuty (with AlertEvents at its default, true), whose rules,
 * connection, destination and role are parts of the monitor too.
 */
export const PAGES_PAGERDUTY = {
  PagerDutyRoutingKeySecretArn:
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-routing-key-AbCdEf',
} as const;

/**
 * The stack the playbook is played against: template.yaml deployed as `root-monitor` in
 * us-east-1, with a backstop whose queue the stack creates and PagerDuty paged, so that every
 * part exists.
 */
export const playbookStack = (
  account = '111122223333',
  /** Another name keeps the stack's resources apart from other tests' on one emulator. */
  stackName = 'root-monitor',
): DeployedStack =>
  deployedStack(TEMPLATE, {
    stackName,
    account,
    region: 'us-east-1',
    // The configuration parameter after the stack too (the default is /root-monitor/config).
    parameters: {
      TrailBucketName: 'example-org-trail',
      ConfigParameterName: `/${stackName}/config`,
      ...PAGES_PAGERDUTY,
    },
    suffix: '1A2B3C4D5E6F7',
    keyId: '0f1e2d3c-4b5a-4697-8a9b-acbdcedf0123',
  });

/** Whether CloudFormation made the recorded call for a stack operation (userIdentity.invokedBy). */
export const byCloudFormation = (record: CloudTrailRecord): boolean =>
  (record.userIdentity as { invokedBy?: unknown } | undefined)?.invokedBy ===
  'cloudformation.amazonaws.com';

/**
 * A function's settings in a stack, as the template gives them: what `root-monitor invoke
 * --function` needs to judge a move as the deployed function would.
 */
export const environmentIn = (
  stack: DeployedStack,
  logicalId: AnnouncingFunction,
): Record<string, string> => deployedEnvironment(TEMPLATE, stack, logicalId);

/** A stable id for a record, shaped as CloudTrail's: the routing test tells arrivals apart by it. */
const eventIdOf = (text: string): string => {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const identityOf = (identity: Identity, account: string, invokedBy: string | undefined) => {
  const shared = invokedBy === undefined ? {} : { invokedBy };
  return identity === 'root'
    ? {
        type: 'Root',
        principalId: account,
        arn: `arn:aws:iam::${account}:root`,
        accountId: account,
        accessKeyId: 'ASIAY34FZKBOKMUTVV7A',
        sessionContext: {
          attributes: { creationDate: '2026-03-14T02:40:11Z', mfaAuthenticated: 'true' },
        },
        ...shared,
      }
    : {
        type: 'IAMUser',
        principalId: 'AIDAJQABLZS4A3QDU576Q',
        arn: `arn:aws:iam::${account}:user/mallory`,
        accountId: account,
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        userName: 'mallory',
        ...shared,
      };
};

/** A call as CloudTrail records it in the stack's account and Region, made by `identity`. */
export const recordOf = (
  stack: DeployedStack,
  call: Call,
  identity: Identity,
  label: string,
): CloudTrailRecord => {
  const invokedBy = call.byCloudFormation === true ? 'cloudformation.amazonaws.com' : undefined;
  return {
    eventVersion: '1.10',
    userIdentity: identityOf(identity, stack.account, invokedBy),
    eventTime: '2026-03-14T02:51:07Z',
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: stack.region,
    sourceIPAddress: invokedBy ?? '203.0.113.7',
    userAgent: invokedBy ?? 'aws-cli/2.22.31 md/awscrt#0.23.4 ua/2.1 os/linux',
    requestParameters: call.requestParameters,
    responseElements: null,
    requestID: eventIdOf(`request ${label} ${identity}`),
    eventID: eventIdOf(`${label} ${identity}`),
    readOnly: false,
    ...(call.resources === undefined ? {} : { resources: call.resources }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: stack.account,
    eventCategory: 'Management',
  };
};

/** The names and ARNs the playbook's calls use, read from the deployed stack. */
const namesOf = (stack: DeployedStack) => {
  const ref = (logicalId: string): string => {
    const value = stack.refs[logicalId];
    if (value === undefined) throw new Error(`the playbook stack has no ${logicalId}`);
    return value;
  };
  const att = (logicalId: string, attribute: string): string => {
    const value = stack.attributes[`${logicalId}.${attribute}`];
    if (value === undefined) throw new Error(`the playbook stack has no ${logicalId}.${attribute}`);
    return value;
  };
  const { account, region, partition, stackName } = stack;
  const functionArn = (logicalId: string) => att(logicalId, 'Arn');
  return {
    ref,
    att,
    functionArn,
    partialArn: (logicalId: string) => `${account}:function:${ref(logicalId)}`,
    keyArn: att('AlertKey', 'Arn'),
    aliasArn: `arn:${partition}:kms:${region}:${account}:${ref('AlertKeyAlias')}`,
    defaultBusArn: `arn:${partition}:events:${region}:${account}:event-bus/default`,
    stackId: String(stack.resolve({ Ref: 'AWS::StackId' })),
    stackName,
    trailBucket: stack.parameters.TrailBucketName ?? '',
  };
};

const SUBSCRIPTION_ID = '0b7d3a4e-1f2a-4c5b-9d6e-7f8a9b0c1d2e';

/** Every move of the playbook, against the given stack. */
export const playbook = (stack: DeployedStack): Move[] => {
  const names = namesOf(stack);
  const { ref, att, functionArn, partialArn } = names;
  const moves: Move[] = [];
  const move = (
    name: string,
    call: Call,
    rules: readonly GuardRule[],
    announcedBy: AnnouncingFunction,
    changes?: string,
  ) => {
    moves.push({
      name,
      records: {
        iamUser: recordOf(stack, call, 'iamUser', name),
        root: recordOf(stack, call, 'root', name),
      },
      rules,
      announcedBy,
      ...(changes === undefined ? {} : { changes }),
    });
  };
  const lambda = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'lambda.amazonaws.com',
    eventName,
    requestParameters,
  });
  const events = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'events.amazonaws.com',
    eventName,
    requestParameters,
  });
  const iam = (eventName: string, roleName: string, more: Record<string, unknown> = {}): Call => ({
    eventSource: 'iam.amazonaws.com',
    eventName,
    requestParameters: { roleName, ...more },
  });
  const policy = (
    eventName: string,
    policyArn: string,
    more: Record<string, unknown> = {},
  ): Call => ({
    eventSource: 'iam.amazonaws.com',
    eventName,
    requestParameters: { policyArn, ...more },
  });

  // The real-time function, each call in the form CloudTrail records it, heard by the guard.
  const realTime = 'RootMonitorFunction';
  const onRealTime = (name: string, call: Call) =>
    move(name, call, ['GuardLambdaRule'], 'GuardFunction', realTime);
  onRealTime(
    "UpdateFunctionCode on the real-time function's $LATEST, by name",
    lambda('UpdateFunctionCode20150331v2', { functionName: ref(realTime), publish: false }),
  );
  onRealTime(
    'UpdateFunctionConfiguration (environment emptied), by partial ARN',
    lambda('UpdateFunctionConfiguration20150331v2', {
      functionName: partialArn(realTime),
      environment: { variables: {} },
    }),
  );
  onRealTime(
    'UpdateFunctionConfiguration (timeout 1 s), by ARN',
    lambda('UpdateFunctionConfiguration20150331v2', {
      functionName: functionArn(realTime),
      timeout: 1,
    }),
  );
  onRealTime(
    'PublishVersion of tampered code',
    lambda('PublishVersion20150331', { functionName: ref(realTime) }),
  );
  onRealTime(
    'UpdateAlias moving live to the tampered version, by ARN',
    lambda('UpdateAlias20150331', {
      functionName: functionArn(realTime),
      name: 'live',
      functionVersion: '42',
    }),
  );
  onRealTime(
    'CreateAlias beside live',
    lambda('CreateAlias20150331', {
      functionName: ref(realTime),
      name: 'shadow',
      functionVersion: '1',
    }),
  );
  onRealTime(
    'DeleteAlias live, by partial ARN',
    lambda('DeleteAlias20150331', { functionName: partialArn(realTime), name: 'live' }),
  );
  onRealTime(
    "RemovePermission of the rule's invoke permission, on the alias by qualified ARN",
    lambda('RemovePermission20150331v2', {
      functionName: `${functionArn(realTime)}:live`,
      statementId: 'RootUsageRuleInvokesFunction',
    }),
  );
  onRealTime(
    'AddPermission letting another account invoke it, by name:qualifier',
    lambda('AddPermission20150331v2', {
      functionName: `${ref(realTime)}:live`,
      statementId: 'x',
      action: 'lambda:InvokeFunction',
      principal: '999999999999',
    }),
  );
  onRealTime(
    'PutFunctionConcurrency to 0 (every invocation throttled)',
    lambda('PutFunctionConcurrency20171031', {
      functionName: ref(realTime),
      reservedConcurrentExecutions: 0,
    }),
  );
  onRealTime(
    'DeleteFunctionConcurrency',
    lambda('DeleteFunctionConcurrency20171031', { functionName: ref(realTime) }),
  );
  onRealTime(
    'PutFunctionEventInvokeConfig with no retries and no on-failure destination',
    lambda('PutFunctionEventInvokeConfig', {
      functionName: ref(realTime),
      qualifier: 'live',
      maximumRetryAttempts: 0,
    }),
  );
  onRealTime(
    'UpdateFunctionEventInvokeConfig dropping the on-failure destination, by partial ARN with qualifier',
    lambda('UpdateFunctionEventInvokeConfig', {
      functionName: `${partialArn(realTime)}:live`,
      destinationConfig: {},
    }),
  );
  onRealTime(
    'DeleteFunctionEventInvokeConfig',
    lambda('DeleteFunctionEventInvokeConfig', { functionName: ref(realTime), qualifier: 'live' }),
  );
  onRealTime(
    'CreateFunctionUrlConfig opening it to unauthenticated calls',
    lambda('CreateFunctionUrlConfig20211031', { functionName: ref(realTime), authType: 'NONE' }),
  );
  onRealTime(
    'DeleteFunction, by ARN',
    lambda('DeleteFunction20150331', { functionName: functionArn(realTime) }),
  );

  // The other functions of the stack: the guard rule hears them as it hears the real-time one.
  for (const [logicalId, label] of [
    ['DigestFunction', 'the digest function'],
    ['HealthCheckFunction', 'the health check'],
    ['TrailFileFunction', 'the backstop'],
  ] as const) {
    move(
      `UpdateFunctionCode on ${label}, by ARN`,
      lambda('UpdateFunctionCode20150331v2', { functionName: functionArn(logicalId) }),
      ['GuardLambdaRule'],
      'GuardFunction',
      logicalId,
    );
    move(
      `PutFunctionConcurrency to 0 on ${label}, by name`,
      lambda('PutFunctionConcurrency20171031', {
        functionName: ref(logicalId),
        reservedConcurrentExecutions: 0,
      }),
      ['GuardLambdaRule'],
      'GuardFunction',
      logicalId,
    );
  }
  move(
    'CreateEventSourceMapping giving the backstop a second source, by partial ARN',
    lambda('CreateEventSourceMapping20150331', {
      functionName: partialArn('TrailFileFunction'),
      eventSourceArn: att('TrailFileQueue', 'Arn'),
    }),
    ['GuardLambdaRule'],
    'GuardFunction',
    'TrailFileFunction',
  );
  move(
    "UpdateEventSourceMapping disabling the backstop's queue (named by UUID only)",
    lambda('UpdateEventSourceMapping20150331', {
      uUID: '6d2b1c7e-5a4f-4e3d-9c8b-7a6f5e4d3c2b',
      enabled: false,
    }),
    ['GuardLambdaRule'],
    'GuardFunction',
  );
  move(
    "DeleteEventSourceMapping of the backstop's queue (named by UUID only)",
    lambda('DeleteEventSourceMapping20150331', { uUID: '6d2b1c7e-5a4f-4e3d-9c8b-7a6f5e4d3c2b' }),
    ['GuardLambdaRule'],
    'GuardFunction',
  );

  // The guard's own function: heard by the rule that watches the guard, which invokes the
  // real-time function, as well as by the guard rule that hears every function of the stack.
  const guard = 'GuardFunction';
  const onGuard = (name: string, call: Call) =>
    move(name, call, ['GuardLambdaRule', 'GuardWatchRule'], 'RootMonitorFunction', guard);
  onGuard(
    "UpdateFunctionCode on the guard's $LATEST, by name",
    lambda('UpdateFunctionCode20150331v2', { functionName: ref(guard) }),
  );
  onGuard(
    'UpdateFunctionConfiguration on the guard (its topic variable changed), by ARN',
    lambda('UpdateFunctionConfiguration20150331v2', {
      functionName: functionArn(guard),
      environment: { variables: { ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:x' } },
    }),
  );
  onGuard(
    "UpdateAlias moving the guard's live alias, by partial ARN",
    lambda('UpdateAlias20150331', {
      functionName: partialArn(guard),
      name: 'live',
      functionVersion: '7',
    }),
  );
  onGuard(
    "RemovePermission of a guard rule's invoke permission, by qualified ARN",
    lambda('RemovePermission20150331v2', {
      functionName: `${functionArn(guard)}:live`,
      statementId: 'GuardEventsRuleInvokesGuard',
    }),
  );
  onGuard(
    'PutFunctionConcurrency to 0 on the guard',
    lambda('PutFunctionConcurrency20171031', {
      functionName: ref(guard),
      reservedConcurrentExecutions: 0,
    }),
  );
  onGuard(
    "PutFunctionEventInvokeConfig dropping the guard's retries, by name:qualifier",
    lambda('PutFunctionEventInvokeConfig', {
      functionName: `${ref(guard)}:live`,
      maximumRetryAttempts: 0,
    }),
  );
  onGuard(
    'DeleteFunction on the guard, by partial ARN',
    lambda('DeleteFunction20150331', { functionName: partialArn(guard) }),
  );

  // The rules of the real-time path and the schedules: heard by the guard.
  const rootUsageRule = ref('RootUsageRule');
  const onRealTimeRule = (name: string, call: Call, changes: string) =>
    move(name, call, ['GuardEventsRule'], 'GuardFunction', changes);
  onRealTimeRule(
    'PutTargets with a constant Input on the root-usage rule',
    events('PutTargets', {
      rule: rootUsageRule,
      targets: [
        { id: 'root-monitor-function', arn: att('RootMonitorFunction', 'Arn'), input: '{}' },
      ],
    }),
    'RootUsageRule',
  );
  onRealTimeRule(
    'PutRule narrowing the root-usage pattern',
    events('PutRule', {
      name: rootUsageRule,
      eventPattern: '{"source":["aws.nothing"]}',
      state: 'ENABLED',
    }),
    'RootUsageRule',
  );
  onRealTimeRule(
    'DisableRule on the root-usage rule, the default bus named',
    events('DisableRule', { name: rootUsageRule, eventBusName: 'default' }),
    'RootUsageRule',
  );
  onRealTimeRule(
    'RemoveTargets from the root-usage rule, the default bus by ARN',
    events('RemoveTargets', {
      rule: rootUsageRule,
      ids: ['root-monitor-function'],
      eventBusName: names.defaultBusArn,
    }),
    'RootUsageRule',
  );
  onRealTimeRule(
    'DeleteRule on the root-usage rule',
    events('DeleteRule', { name: rootUsageRule, force: true }),
    'RootUsageRule',
  );
  for (const [logicalId, label] of [
    ['GuardWatchRule', 'the rule that watches the guard'],
    ['HealthCheckFunctionScheduled', "the health check's schedule"],
    ['DigestFunctionDigestSchedule', "the digests' schedule"],
  ] as const) {
    const ruleName = ruleNameOf(stack, logicalId);
    onRealTimeRule(`DisableRule on ${label}`, events('DisableRule', { name: ruleName }), logicalId);
    onRealTimeRule(
      `PutTargets with a constant Input on ${label}`,
      events('PutTargets', { rule: ruleName, targets: [{ id: 'x', arn: 'y', input: '{}' }] }),
      logicalId,
    );
  }

  // What pages PagerDuty: its rules, the connection that holds the routing key and the API
  // destination they call, each silencing the pager in one call; heard by the guard.
  for (const [logicalId, label] of [
    ['PagerDutyCriticalRule', 'the rule that pages CRITICAL alerts'],
    ['PagerDutyHighRule', 'the rule that pages HIGH alerts'],
  ] as const) {
    const ruleName = ref(logicalId);
    onRealTimeRule(`DisableRule on ${label}`, events('DisableRule', { name: ruleName }), logicalId);
    onRealTimeRule(
      `RemoveTargets from ${label}`,
      events('RemoveTargets', { rule: ruleName, ids: ['pagerduty'] }),
      logicalId,
    );
    onRealTimeRule(
      `PutTargets with a constant Input on ${label}`,
      events('PutTargets', {
        rule: ruleName,
        targets: [{ id: 'pagerduty', arn: att('PagerDutyDestination', 'Arn'), input: '{}' }],
      }),
      logicalId,
    );
    onRealTimeRule(
      `DeleteRule on ${label}, the default bus named`,
      events('DeleteRule', { name: ruleName, eventBusName: 'default', force: true }),
      logicalId,
    );
  }
  const connection = ref('PagerDutyConnection');
  const destination = ref('PagerDutyDestination');
  const pager = (name: string, call: Call) =>
    move(name, call, ['GuardEventsRule'], 'GuardFunction');
  pager(
    'UpdateConnection replacing the PagerDuty routing key',
    events('UpdateConnection', {
      name: connection,
      authorizationType: 'API_KEY',
      authParameters: { invocationHttpParameters: { bodyParameters: [{ key: 'routing_key' }] } },
    }),
  );
  pager(
    'DeauthorizeConnection on the PagerDuty connection',
    events('DeauthorizeConnection', { name: connection }),
  );
  pager(
    'DeleteConnection on the PagerDuty connection',
    events('DeleteConnection', { name: connection }),
  );
  pager(
    'UpdateApiDestination pointing the PagerDuty destination elsewhere',
    events('UpdateApiDestination', {
      name: destination,
      invocationEndpoint: 'https://example.com/enqueue',
      httpMethod: 'POST',
    }),
  );
  pager(
    'DeleteApiDestination on the PagerDuty destination',
    events('DeleteApiDestination', { name: destination }),
  );

  move(
    "PutPermission on the default bus (admitting another account's events)",
    events('PutPermission', {
      action: 'events:PutEvents',
      principal: '999999999999',
      statementId: 'x',
    }),
    ['GuardEventsRule'],
    'GuardFunction',
  );
  move(
    'RemovePermission on the default bus (shutting out the forwarders), the bus named',
    events('RemovePermission', { statementId: 'OrganizationPutsEvents', eventBusName: 'default' }),
    ['GuardEventsRule'],
    'GuardFunction',
  );

  // The guard's own rules: heard by the rule that watches the guard, and by the guard rule that
  // hears every rule of the stack (never only by the rule changed).
  for (const logicalId of GUARD_RULES.filter((rule) => rule !== 'GuardWatchRule')) {
    const ruleName = ref(logicalId);
    move(
      `DisableRule on ${logicalId}`,
      events('DisableRule', { name: ruleName }),
      ['GuardEventsRule', 'GuardWatchRule'],
      'RootMonitorFunction',
      logicalId,
    );
  }
  move(
    'PutTargets with a constant Input on the guard rule that hears rule changes',
    events('PutTargets', {
      rule: ref('GuardEventsRule'),
      targets: [{ id: 'root-monitor-guard', arn: att('GuardFunction', 'Arn'), input: '{}' }],
    }),
    ['GuardEventsRule', 'GuardWatchRule'],
    'RootMonitorFunction',
    'GuardEventsRule',
  );
  move(
    'PutRule narrowing the configuration rule',
    events('PutRule', {
      name: ref('ConfigChangeRule'),
      eventPattern: '{"source":["aws.nothing"]}',
    }),
    ['GuardEventsRule', 'GuardWatchRule'],
    'RootMonitorFunction',
    'ConfigChangeRule',
  );
  move(
    'RemoveTargets from the guard rule for roles, the default bus by ARN',
    events('RemoveTargets', {
      rule: ref('GuardRolesRule'),
      ids: ['root-monitor-guard'],
      eventBusName: names.defaultBusArn,
    }),
    ['GuardEventsRule', 'GuardWatchRule'],
    'RootMonitorFunction',
    'GuardRolesRule',
  );
  move(
    'DeleteRule on the guard rule for the stack',
    events('DeleteRule', { name: ref('GuardStackRule') }),
    ['GuardEventsRule', 'GuardWatchRule'],
    'RootMonitorFunction',
    'GuardStackRule',
  );

  // The configuration parameter: its own rule, as before.
  move(
    'PutParameter on the configuration',
    {
      eventSource: 'ssm.amazonaws.com',
      eventName: 'PutParameter',
      requestParameters: { name: ref('ConfigParameter'), overwrite: true, type: 'String' },
    },
    ['ConfigChangeRule'],
    'GuardFunction',
  );

  // The alert path: topics, subscriptions, the key and its alias.
  const sns = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'sns.amazonaws.com',
    eventName,
    requestParameters,
  });
  const alerts = (name: string, call: Call) =>
    move(name, call, ['GuardAlertsRule'], 'GuardFunction');
  alerts(
    'SetSubscriptionAttributes with a FilterPolicy that matches nothing, on the alert topic',
    sns('SetSubscriptionAttributes', {
      subscriptionArn: `${ref('AlertTopic')}:${SUBSCRIPTION_ID}`,
      attributeName: 'FilterPolicy',
      attributeValue: '{"severity":["NONE"]}',
    }),
  );
  alerts(
    'Unsubscribe from the alarm topic',
    sns('Unsubscribe', { subscriptionArn: `${ref('AlarmTopic')}:${SUBSCRIPTION_ID}` }),
  );
  alerts(
    "SetTopicAttributes replacing the alert topic's policy",
    sns('SetTopicAttributes', {
      topicArn: ref('AlertTopic'),
      attributeName: 'Policy',
      attributeValue: '{}',
    }),
  );
  alerts(
    "SetTopicAttributes moving the alarm topic's key",
    sns('SetTopicAttributes', {
      topicArn: ref('AlarmTopic'),
      attributeName: 'KmsMasterKeyId',
      attributeValue: 'alias/other',
    }),
  );
  alerts('DeleteTopic on the alarm topic', sns('DeleteTopic', { topicArn: ref('AlarmTopic') }));
  alerts(
    'AddPermission on the alert topic',
    sns('AddPermission', {
      topicArn: ref('AlertTopic'),
      label: 'x',
      aWSAccountId: ['999999999999'],
      actionName: ['Publish'],
    }),
  );
  alerts(
    'RemovePermission on the alarm topic',
    sns('RemovePermission', { topicArn: ref('AlarmTopic'), label: 'x' }),
  );
  alerts(
    'PutDataProtectionPolicy denying messages that carry an IP address, on the alert topic',
    sns('PutDataProtectionPolicy', { resourceArn: ref('AlertTopic'), dataProtectionPolicy: '{}' }),
  );
  const keyResources = [{ ARN: names.keyArn, accountId: stack.account, type: 'AWS::KMS::Key' }];
  const kms = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'kms.amazonaws.com',
    eventName,
    requestParameters,
    resources: keyResources,
  });
  alerts('DisableKey on the alarm key, by key id', kms('DisableKey', { keyId: ref('AlertKey') }));
  alerts(
    'ScheduleKeyDeletion on the alarm key, by ARN',
    kms('ScheduleKeyDeletion', { keyId: names.keyArn, pendingWindowInDays: 7 }),
  );
  alerts(
    'PutKeyPolicy shutting CloudWatch out of the alarm key',
    kms('PutKeyPolicy', { keyId: ref('AlertKey'), policyName: 'default', policy: '{}' }),
  );
  alerts(
    'CreateGrant on the alarm key, by its alias ARN',
    kms('CreateGrant', {
      keyId: names.aliasArn,
      granteePrincipal: 'arn:aws:iam::999999999999:root',
      operations: ['Decrypt'],
    }),
  );
  alerts(
    'DisableKeyRotation on the alarm key, by ARN',
    kms('DisableKeyRotation', { keyId: names.keyArn }),
  );
  alerts(
    "UpdateAlias moving the key's alias to another key",
    kms('UpdateAlias', {
      aliasName: ref('AlertKeyAlias'),
      targetKeyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    }),
  );
  alerts("DeleteAlias of the key's alias", kms('DeleteAlias', { aliasName: ref('AlertKeyAlias') }));
  alerts(
    'CreateAlias of a new alias for the alarm key',
    kms('CreateAlias', { aliasName: 'alias/innocent', targetKeyId: ref('AlertKey') }),
  );

  // What the functions keep: the dedup table and the queues.
  const state = (name: string, call: Call) => move(name, call, ['GuardStateRule'], 'GuardFunction');
  const dynamodb = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'dynamodb.amazonaws.com',
    eventName,
    requestParameters,
  });
  state(
    'DeleteTable on the dedup table',
    dynamodb('DeleteTable', { tableName: ref('DedupTable') }),
  );
  state(
    'UpdateTable on the dedup table, by ARN',
    dynamodb('UpdateTable', {
      tableName: att('DedupTable', 'Arn'),
      deletionProtectionEnabled: false,
    }),
  );
  state(
    "UpdateTimeToLive turning off the dedup table's expiry",
    dynamodb('UpdateTimeToLive', {
      tableName: ref('DedupTable'),
      timeToLiveSpecification: { attributeName: 'expiresAt', enabled: false },
    }),
  );
  state(
    "PutResourcePolicy replacing the dedup table's write deny",
    dynamodb('PutResourcePolicy', { resourceArn: att('DedupTable', 'Arn'), policy: '{}' }),
  );
  state(
    "DeleteResourcePolicy removing the dedup table's write deny",
    dynamodb('DeleteResourcePolicy', { resourceArn: att('DedupTable', 'Arn') }),
  );
  const sqs = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'sqs.amazonaws.com',
    eventName,
    requestParameters,
  });
  const queueUrl = (logicalId: string) => ref(logicalId);
  const legacyUrl = (logicalId: string) =>
    `https://queue.amazonaws.com/${stack.account}/${att(logicalId, 'QueueName')}`;
  state(
    'PurgeQueue on the rule dead-letter queue',
    sqs('PurgeQueue', { queueUrl: queueUrl('RuleDeadLetterQueue') }),
  );
  state(
    'DeleteQueue on the on-failure queue, by its legacy URL',
    sqs('DeleteQueue', { queueUrl: legacyUrl('OnFailureQueue') }),
  );
  state(
    "SetQueueAttributes shortening the trail-file queue's retention",
    sqs('SetQueueAttributes', {
      queueUrl: queueUrl('TrailFileQueue'),
      attributes: { MessageRetentionPeriod: '60' },
    }),
  );
  state(
    'RemovePermission on the trail-file dead-letter queue',
    sqs('RemovePermission', { queueUrl: queueUrl('TrailFileDeadLetterQueue'), label: 'x' }),
  );
  state(
    'AddPermission on the on-failure queue',
    sqs('AddPermission', {
      queueUrl: queueUrl('OnFailureQueue'),
      label: 'x',
      aWSAccountIds: ['999999999999'],
      actions: ['ReceiveMessage'],
    }),
  );
  state(
    'StartMessageMoveTask emptying the rule dead-letter queue',
    sqs('StartMessageMoveTask', {
      sourceArn: att('RuleDeadLetterQueue', 'Arn'),
      destinationArn: 'arn:aws:sqs:us-east-1:999999999999:elsewhere',
    }),
  );

  // The second path: alarms, log groups and metric filters.
  const alarms = (name: string, call: Call) =>
    move(name, call, ['GuardAlarmsRule'], 'GuardFunction');
  const cloudwatch = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'monitoring.amazonaws.com',
    eventName,
    requestParameters,
  });
  alarms(
    'DeleteAlarms naming the root-usage alarm among others',
    cloudwatch('DeleteAlarms', { alarmNames: ['billing-alarm', ref('RootUsageAlarm')] }),
  );
  alarms(
    'DisableAlarmActions on the function-errors alarm',
    cloudwatch('DisableAlarmActions', { alarmNames: [ref('FunctionErrorsAlarm')] }),
  );
  alarms(
    'PutMetricAlarm raising the root-usage alarm threshold',
    cloudwatch('PutMetricAlarm', { alarmName: ref('RootUsageAlarm'), threshold: 1000000 }),
  );
  alarms(
    'SetAlarmState forcing the unexpected-input alarm to OK',
    cloudwatch('SetAlarmState', {
      alarmName: ref('UnexpectedInputAlarm'),
      stateValue: 'OK',
      stateReason: 'x',
    }),
  );
  alarms(
    'PutMetricAlarm creating a new alarm named after the stack, which the alarm topic admits',
    cloudwatch('PutMetricAlarm', {
      alarmName: `${names.stackName}-all-clear`,
      alarmActions: [ref('AlarmTopic')],
    }),
  );
  const logs = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'logs.amazonaws.com',
    eventName,
    requestParameters,
  });
  const logGroup = ref('RootMonitorLogGroup');
  alarms(
    "DeleteLogGroup on the functions' log group",
    logs('DeleteLogGroup', { logGroupName: logGroup }),
  );
  alarms(
    "PutRetentionPolicy of 1 day on the health check's log group",
    logs('PutRetentionPolicy', { logGroupName: ref('HealthCheckLogGroup'), retentionInDays: 1 }),
  );
  alarms(
    'DeleteMetricFilter of the ROOT_ACCOUNT_USAGE filter',
    logs('DeleteMetricFilter', { logGroupName: logGroup, filterName: 'RootUsageMetricFilter' }),
  );
  alarms(
    'PutMetricFilter rewriting the ROOT_ACCOUNT_USAGE filter to match nothing',
    logs('PutMetricFilter', {
      logGroupName: logGroup,
      filterName: 'RootUsageMetricFilter',
      filterPattern: '{ $.nothing = 1 }',
    }),
  );
  alarms(
    "PutSubscriptionFilter on the functions' log group",
    logs('PutSubscriptionFilter', { logGroupName: logGroup, filterName: 'x', filterPattern: '' }),
  );
  alarms(
    "DeleteSubscriptionFilter on the functions' log group",
    logs('DeleteSubscriptionFilter', { logGroupName: logGroup, filterName: 'x' }),
  );
  alarms(
    "AssociateKmsKey on the functions' log group",
    logs('AssociateKmsKey', {
      logGroupName: logGroup,
      kmsKeyId: 'arn:aws:kms:us-east-1:999999999999:key/x',
    }),
  );

  // The roles: heard by the guard; the guard's own role by the watch too.
  const roleCalls: [string, (role: string) => Call][] = [
    [
      'PutRolePolicy with a Deny',
      (role) => iam('PutRolePolicy', role, { policyName: 'deny', policyDocument: '{}' }),
    ],
    ['DeleteRolePolicy', (role) => iam('DeleteRolePolicy', role, { policyName: 'root-monitor' })],
    [
      'AttachRolePolicy',
      (role) => iam('AttachRolePolicy', role, { policyArn: 'arn:aws:iam::aws:policy/AWSDenyAll' }),
    ],
    [
      'DetachRolePolicy',
      (role) =>
        iam('DetachRolePolicy', role, { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    ],
    [
      'UpdateAssumeRolePolicy',
      (role) => iam('UpdateAssumeRolePolicy', role, { policyDocument: '{}' }),
    ],
    [
      'PutRolePermissionsBoundary',
      (role) =>
        iam('PutRolePermissionsBoundary', role, {
          permissionsBoundary: 'arn:aws:iam::aws:policy/AWSDenyAll',
        }),
    ],
    ['DeleteRolePermissionsBoundary', (role) => iam('DeleteRolePermissionsBoundary', role)],
    ['DeleteRole', (role) => iam('DeleteRole', role)],
  ];
  for (const [label, call] of roleCalls) {
    move(
      `${label} on the real-time function's role`,
      call(ref('RootMonitorRole')),
      ['GuardRolesRule'],
      'GuardFunction',
    );
  }
  for (const [label, call] of roleCalls) {
    move(
      `${label} on the role the pager rules call PagerDuty with`,
      call(ref('PagerDutyInvokeRole')),
      ['GuardRolesRule'],
      'GuardFunction',
    );
  }
  for (const [logicalId, label] of [
    ['DigestRole', "the digest function's role"],
    ['HealthCheckRole', "the health check's role"],
    ['TrailFileRole', "the backstop's role"],
  ] as const) {
    move(
      `PutRolePolicy with a Deny on ${label}`,
      iam('PutRolePolicy', ref(logicalId), { policyName: 'deny', policyDocument: '{}' }),
      ['GuardRolesRule'],
      'GuardFunction',
    );
  }
  for (const [label, call] of roleCalls) {
    move(
      `${label} on the guard's role`,
      call(ref('GuardRole')),
      ['GuardRolesRule', 'GuardWatchRule'],
      'RootMonitorFunction',
    );
  }

  // The managed policies the roles attach: a new default version changes every role attaching one.
  const newDefaultVersion = (policyArn: string) =>
    policy('CreatePolicyVersion', policyArn, { policyDocument: '{}', setAsDefault: true });
  const policyCalls: [string, (policyArn: string) => Call][] = [
    ['CreatePolicyVersion with a Deny, as default,', newDefaultVersion],
    [
      'SetDefaultPolicyVersion',
      (policyArn) => policy('SetDefaultPolicyVersion', policyArn, { versionId: 'v1' }),
    ],
    [
      'DeletePolicyVersion',
      (policyArn) => policy('DeletePolicyVersion', policyArn, { versionId: 'v2' }),
    ],
    ['DeletePolicy', (policyArn) => policy('DeletePolicy', policyArn)],
  ];
  for (const [label, call] of policyCalls) {
    move(
      `${label} on the policy every function's role attaches to send alerts`,
      call(ref('SendAlertsPolicy')),
      ['GuardRolesRule', 'GuardWatchRule'],
      'RootMonitorFunction',
    );
  }
  move(
    "CreatePolicyVersion with a Deny, as default, on the digests' and health check's shared policy",
    newDefaultVersion(ref('FindDigestsDuePolicy')),
    ['GuardRolesRule'],
    'GuardFunction',
  );

  // Where the events come from: the trail, and the trail bucket the backstop reads.
  const trail = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'cloudtrail.amazonaws.com',
    eventName,
    requestParameters,
  });
  const trailName = `arn:aws:cloudtrail:${stack.region}:${stack.account}:trail/management-events`;
  const trails = (name: string, call: Call) =>
    move(name, call, ['GuardTrailRule'], 'GuardFunction');
  trails('StopLogging on the trail', trail('StopLogging', { name: 'management-events' }));
  trails('DeleteTrail, by ARN', trail('DeleteTrail', { name: trailName }));
  trails(
    'UpdateTrail to a single Region',
    trail('UpdateTrail', { name: 'management-events', isMultiRegionTrail: false }),
  );
  trails(
    'PutEventSelectors excluding management events',
    trail('PutEventSelectors', {
      trailName: 'management-events',
      eventSelectors: [{ includeManagementEvents: false }],
    }),
  );
  trails(
    'PutInsightSelectors',
    trail('PutInsightSelectors', { trailName: 'management-events', insightSelectors: [] }),
  );
  const s3 = (eventName: string): Call => ({
    eventSource: 's3.amazonaws.com',
    eventName,
    requestParameters: {
      bucketName: names.trailBucket,
      Host: `${names.trailBucket}.s3.amazonaws.com`,
    },
  });
  trails(
    "PutBucketNotification removing the trail bucket's notification to the backstop",
    s3('PutBucketNotification'),
  );
  trails('PutBucketPolicy on the trail bucket', s3('PutBucketPolicy'));
  trails('DeleteBucketPolicy on the trail bucket', s3('DeleteBucketPolicy'));

  // The stack: an operation on it, by name or by stack id, then CloudFormation's own calls.
  const cloudformation = (eventName: string, requestParameters: Record<string, unknown>): Call => ({
    eventSource: 'cloudformation.amazonaws.com',
    eventName,
    requestParameters,
  });
  const stackOperation = (name: string, call: Call) =>
    move(name, call, ['GuardStackRule'], 'GuardFunction');
  stackOperation(
    "UpdateStack on the monitor's stack, by name",
    cloudformation('UpdateStack', { stackName: names.stackName, usePreviousTemplate: false }),
  );
  stackOperation(
    "DeleteStack on the monitor's stack, by stack id",
    cloudformation('DeleteStack', { stackName: names.stackId }),
  );
  stackOperation(
    "ExecuteChangeSet on the monitor's stack",
    cloudformation('ExecuteChangeSet', {
      changeSetName: 'samcli-deploy1773456789',
      stackName: names.stackName,
    }),
  );
  stackOperation(
    "CancelUpdateStack on the monitor's stack",
    cloudformation('CancelUpdateStack', { stackName: names.stackName }),
  );
  stackOperation(
    "SetStackPolicy on the monitor's stack, by stack id",
    cloudformation('SetStackPolicy', { stackName: names.stackId, stackPolicyBody: '{}' }),
  );
  stackOperation(
    "UpdateTerminationProtection off on the monitor's stack",
    cloudformation('UpdateTerminationProtection', {
      stackName: names.stackName,
      enableTerminationProtection: false,
    }),
  );
  move(
    "CloudFormation, for a stack operation, updating the real-time function's configuration",
    {
      ...lambda('UpdateFunctionConfiguration20150331v2', { functionName: ref(realTime) }),
      byCloudFormation: true,
    },
    ['GuardLambdaRule'],
    'GuardFunction',
    realTime,
  );
  move(
    'CloudFormation, for a stack operation, deleting the root-usage rule',
    { ...events('DeleteRule', { name: rootUsageRule }), byCloudFormation: true },
    ['GuardEventsRule'],
    'GuardFunction',
    'RootUsageRule',
  );
  move(
    "CloudFormation, for a stack operation, replacing the guard's role policy",
    {
      ...iam('PutRolePolicy', ref('GuardRole'), { policyName: 'root-monitor-guard' }),
      byCloudFormation: true,
    },
    ['GuardRolesRule', 'GuardWatchRule'],
    'RootMonitorFunction',
  );

  return moves;
};

/** A rule's name in the stack: its Name, or for a schedule its SAM event's (Function + Event). */
const ruleNameOf = (stack: DeployedStack, logicalId: string): string => {
  const named = stack.refs[logicalId];
  if (named !== undefined) return named;
  for (const [functionId, resource] of Object.entries(TEMPLATE.Resources)) {
    const events = resource.Properties?.Events;
    if (!isObject(events)) continue;
    for (const [eventId, event] of Object.entries(events)) {
      if (`${functionId}${eventId}` !== logicalId || !isObject(event)) continue;
      const properties = isObject(event.Properties) ? event.Properties : {};
      return String(stack.resolve(properties.Name));
    }
  }
  throw new Error(`no rule ${logicalId} in template.yaml`);
};

/**
 * Writes an account makes every day, next to the monitor's resources (names that start the same,
 * the same name elsewhere) and reads of the monitor itself: none may invoke the guard.
 */
export const ordinaryChanges = (stack: DeployedStack): OrdinaryChange[] => {
  const names = namesOf(stack);
  const { ref, att } = names;
  const account = stack.account;
  const changes: OrdinaryChange[] = [];
  const change = (name: string, call: Call, readOnly = false) =>
    changes.push({
      name,
      record: { ...recordOf(stack, call, 'iamUser', name), readOnly },
    });
  const call = (
    eventSource: string,
    eventName: string,
    requestParameters: Record<string, unknown>,
  ): Call => ({ eventSource, eventName, requestParameters });
  const realTime = ref('RootMonitorFunction');

  change(
    'UpdateFunctionCode on another function',
    call('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: 'orders-api' }),
  );
  change(
    "UpdateFunctionConfiguration on a function whose name starts with the guard's",
    call('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {
      functionName: `${ref('GuardFunction')}ian`,
    }),
  );
  change(
    "PutFunctionConcurrency on a function whose name extends the real-time function's, by ARN",
    call('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', {
      functionName: `${att('RootMonitorFunction', 'Arn')}-staging`,
    }),
  );
  change(
    "UpdateFunctionCode on another account's function of the real-time function's name",
    call('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', {
      functionName: `999999999999:function:${realTime}`,
    }),
  );
  change(
    'GetFunction on the real-time function (a read)',
    call('lambda.amazonaws.com', 'GetFunction20150331v2', { functionName: realTime }),
    true,
  );
  change(
    'Invoke of the real-time function (not a change)',
    call('lambda.amazonaws.com', 'Invoke', { functionName: realTime }),
  );
  change(
    'PutRule on another rule',
    call('events.amazonaws.com', 'PutRule', {
      name: 'nightly-batch',
      scheduleExpression: 'rate(1 day)',
    }),
  );
  change(
    "DisableRule on a rule of the root-usage rule's name on another bus",
    call('events.amazonaws.com', 'DisableRule', {
      name: ref('RootUsageRule'),
      eventBusName: 'orders-bus',
    }),
  );
  change(
    "PutTargets on a rule whose name extends the root-usage rule's",
    call('events.amazonaws.com', 'PutTargets', {
      rule: `${ref('RootUsageRule')}-old`,
      targets: [],
    }),
  );
  change(
    "DisableRule on a rule whose name extends a pager rule's",
    call('events.amazonaws.com', 'DisableRule', { name: `${ref('PagerDutyHighRule')}-old` }),
  );
  change(
    'UpdateConnection on another connection',
    call('events.amazonaws.com', 'UpdateConnection', {
      name: 'orders-slack',
      authorizationType: 'API_KEY',
    }),
  );
  change(
    "DeleteApiDestination on a destination whose name only starts like the stack's",
    call('events.amazonaws.com', 'DeleteApiDestination', {
      name: `${names.stackName}ing-pagerduty`,
    }),
  );
  change(
    'CreateConnection named after the stack (a new connection changes none of the pager)',
    call('events.amazonaws.com', 'CreateConnection', {
      name: `${names.stackName}-webhook`,
      authorizationType: 'API_KEY',
    }),
  );
  change(
    'PutPermission on another bus',
    call('events.amazonaws.com', 'PutPermission', {
      eventBusName: 'orders-bus',
      action: 'events:PutEvents',
      principal: '999999999999',
    }),
  );
  change(
    'SetTopicAttributes on another topic',
    call('sns.amazonaws.com', 'SetTopicAttributes', {
      topicArn: `arn:aws:sns:${stack.region}:${account}:orders`,
      attributeName: 'DisplayName',
    }),
  );
  change(
    "Unsubscribe from a topic whose name extends the alert topic's",
    call('sns.amazonaws.com', 'Unsubscribe', {
      subscriptionArn: `${ref('AlertTopic')}-copy:0b7d3a4e-1f2a-4c5b-9d6e-7f8a9b0c1d2e`,
    }),
  );
  change(
    'Subscribe to another topic',
    call('sns.amazonaws.com', 'Subscribe', {
      topicArn: `arn:aws:sns:${stack.region}:${account}:orders`,
      protocol: 'email',
    }),
  );
  change(
    'DisableKey on another key',
    call('kms.amazonaws.com', 'DisableKey', { keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }),
  );
  change(
    'UpdateAlias of another alias to another key',
    call('kms.amazonaws.com', 'UpdateAlias', {
      aliasName: 'alias/orders',
      targetKeyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    }),
  );
  change(
    'DeleteTable on another table',
    call('dynamodb.amazonaws.com', 'DeleteTable', { tableName: 'orders' }),
  );
  change(
    "UpdateTable on a table whose name extends the dedup table's",
    call('dynamodb.amazonaws.com', 'UpdateTable', { tableName: `${ref('DedupTable')}-archive` }),
  );
  change(
    'PurgeQueue on another queue',
    call('sqs.amazonaws.com', 'PurgeQueue', {
      queueUrl: `https://sqs.${stack.region}.amazonaws.com/${account}/orders`,
    }),
  );
  change(
    "DeleteQueue on a queue whose name extends the on-failure queue's",
    call('sqs.amazonaws.com', 'DeleteQueue', { queueUrl: `${ref('OnFailureQueue')}-old` }),
  );
  change(
    'DeleteAlarms of other alarms',
    call('monitoring.amazonaws.com', 'DeleteAlarms', {
      alarmNames: ['billing-alarm', 'orders-5xx'],
    }),
  );
  change(
    'PutMetricAlarm of another alarm',
    call('monitoring.amazonaws.com', 'PutMetricAlarm', { alarmName: 'orders-latency' }),
  );
  change(
    'DeleteLogGroup on another log group',
    call('logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: '/aws/lambda/orders-api' }),
  );
  change(
    'PutRetentionPolicy on another log group',
    call('logs.amazonaws.com', 'PutRetentionPolicy', {
      logGroupName: `${ref('RootMonitorLogGroup')}-copy`,
      retentionInDays: 1,
    }),
  );
  change(
    'PutRolePolicy on another role',
    call('iam.amazonaws.com', 'PutRolePolicy', { roleName: 'orders-api-role', policyName: 'x' }),
  );
  change(
    'CreateRole (not a change to a role of the stack)',
    call('iam.amazonaws.com', 'CreateRole', { roleName: 'orders-api-role' }),
  );
  change(
    "CreatePolicyVersion, as default, on another stack's managed policy",
    call('iam.amazonaws.com', 'CreatePolicyVersion', {
      policyArn: `arn:aws:iam::${account}:policy/orders-api-TaskPolicy-1A2B3C4D5E6F7`,
      setAsDefault: true,
    }),
  );
  change(
    "AttachRolePolicy of the stack's send policy to another role (no role of the stack changes)",
    call('iam.amazonaws.com', 'AttachRolePolicy', {
      roleName: 'orders-api-role',
      policyArn: ref('SendAlertsPolicy'),
    }),
  );
  change(
    'PutBucketPolicy on another bucket',
    call('s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'orders-assets' }),
  );
  change(
    'CreateTrail (adds logging, changes no trail the monitor reads)',
    call('cloudtrail.amazonaws.com', 'CreateTrail', { name: 'orders-data-events' }),
  );
  change(
    'UpdateStack on another stack',
    call('cloudformation.amazonaws.com', 'UpdateStack', { stackName: 'orders' }),
  );
  change(
    "DeleteStack on a stack whose name extends the monitor's, by stack id",
    call('cloudformation.amazonaws.com', 'DeleteStack', {
      stackName: `arn:aws:cloudformation:${stack.region}:${account}:stack/${names.stackName}-forwarder/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d`,
    }),
  );
  change(
    "CreateChangeSet on the monitor's stack (nothing changes until it is executed)",
    call('cloudformation.amazonaws.com', 'CreateChangeSet', {
      stackName: names.stackName,
      changeSetName: 'review',
    }),
  );
  change(
    'PutParameter on another parameter',
    call('ssm.amazonaws.com', 'PutParameter', { name: '/orders/db-url' }),
  );
  return changes;
};
