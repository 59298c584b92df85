import { describe, expect, it } from 'vitest';
import { monitorResourcesOf } from '../../src/settings.js';
import {
  environmentOf,
  isObject,
  loadTemplate,
  resourceOf,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { deployedEnvironment, deployedStack } from './deployed-template.js';
import { transformedTemplate } from './transformed-template.js';

/**
 * The functions that run events through the rules, and so judge changes to the monitor: the two
 * that judge root events (tampering), and the guard, which judges every identity's changes.
 */
const JUDGES = ['RootMonitorFunction', 'TrailFileFunction', 'GuardFunction'];

/** A resource the lists must name: how the list names it, and the condition it exists under. */
interface Listed {
  item: TemplateValue | undefined;
  condition: string | undefined;
}

/**
 * The items of a `!Join [',', [...]]`, each with the condition that guards it: an item may be
 * `!If [Condition, item, '']` (or `AWS::NoValue`) for a resource that exists only under it.
 */
const joinedItems = (value: TemplateValue | undefined): Listed[] => {
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join[0] !== ',' || !Array.isArray(join[1])) {
    throw new Error(`expected !Join [',', [...]], got ${JSON.stringify(value)}`);
  }
  return join[1].map((item) => {
    const guarded = isObject(item) ? item['Fn::If'] : undefined;
    if (!Array.isArray(guarded)) return { item, condition: undefined };
    const [condition, then, otherwise] = guarded;
    expect([{ Ref: 'AWS::NoValue' }, '']).toContainEqual(otherwise);
    return { item: then, condition: String(condition) };
  });
};

/**
 * What a function's list must hold: within a function that exists only under a condition, a
 * resource of that same condition is named without a guard (the guard could never be false).
 */
const expectedIn = (template: Template, judge: string, resources: readonly Listed[]): Listed[] => {
  const own = resourceOf(template, judge).Condition;
  return resources.map(({ item, condition }) => ({
    item,
    condition: condition === own ? undefined : condition,
  }));
};

/**
 * The pager's rules and role, which only the guard lists: the functions that judge root events
 * are at Lambda's 4 KB of settings, and need them not. Root's calls on any rule are
 * root-audit-tampering whatever they name, and root's change to the role reaches the guard too,
 * through the guard rule that hears every identity.
 */
const LISTED_BY_THE_GUARD_ALONE = new Set([
  'PagerDutyInvokeRole',
  'PagerDutyCriticalRule',
  'PagerDutyHighRule',
]);

/** The resources of those types a judge lists (every one, for the guard). */
const resourcesOfType = (template: Template, types: readonly string[], judge = 'GuardFunction') =>
  Object.entries(template.Resources).filter(
    ([logicalId, resource]) =>
      types.includes(resource.Type) &&
      (judge === 'GuardFunction' || !LISTED_BY_THE_GUARD_ALONE.has(logicalId)),
  );

/** Every function of the stack, by its FunctionName, under its condition. */
const functionsOf = (template: Template): Listed[] =>
  resourcesOfType(template, ['AWS::Serverless::Function', 'AWS::Lambda::Function']).map(
    ([, resource]) => ({ item: resource.Properties?.FunctionName, condition: resource.Condition }),
  );

/**
 * Every role of the stack, by its ARN, under its condition. After the SAM transform this also
 * holds the roles SAM makes for a function declared without one.
 */
const rolesOf = (template: Template, judge?: string): Listed[] =>
  resourcesOfType(template, ['AWS::IAM::Role'], judge).map(([logicalId, resource]) => ({
    item: { 'Fn::GetAtt': [logicalId, 'Arn'] },
    condition: resource.Condition,
  }));

/**
 * Every resource of a type, by the name it is given (or its Ref, which is its name, when it is
 * given none), under its condition.
 */
const namesOf = (template: Template, type: string): Listed[] =>
  resourcesOfType(template, [type]).map(([logicalId, resource]) => ({
    item: resource.Properties?.AlarmName ?? resource.Properties?.LogGroupName ?? { Ref: logicalId },
    condition: resource.Condition,
  }));

/**
 * Every EventBridge rule of the stack by its Name, under its condition: as written, the schedules
 * are events of their functions (SAM makes them rules, named as the event says).
 */
const rulesOf = (template: Template, judge?: string): Listed[] => [
  ...resourcesOfType(template, ['AWS::Events::Rule'], judge).map(([, resource]) => ({
    item: resource.Properties?.Name,
    condition: resource.Condition,
  })),
  ...resourcesOfType(template, ['AWS::Serverless::Function']).flatMap(([, resource]) =>
    Object.values(isObject(resource.Properties?.Events) ? resource.Properties.Events : {})
      .filter(isObject)
      .filter((event) => event.Type === 'Schedule')
      .map((event) => ({
        item: isObject(event.Properties) ? event.Properties.Name : undefined,
        condition: resource.Condition,
      })),
  ),
];

// The rule knows the monitor only through these lists: a function or role added to the stack but
// not to them could be deleted or denied by root and read as plain root-activity. The file as
// written, and as CloudFormation deploys it after the SAM transform, which could add a role.
describe.each([
  ['template.yaml', () => loadTemplate('template.yaml')],
  ['template.yaml after the SAM transform', transformedTemplate],
] as [string, () => Template][])("the monitor's own resources in %s", (_name, load) => {
  const template = load();

  it('gives every function an explicit name, which the lists can name without a circular reference', () => {
    const functions = functionsOf(template);

    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const { item } of functions) expect(item).toBeDefined();
  });

  it.each(JUDGES)(
    '%s names exactly the functions of the stack, each under its own condition',
    (judge) => {
      const listed = joinedItems(environmentOf(resourceOf(template, judge)).MONITOR_FUNCTION_NAMES);
      const functions = expectedIn(template, judge, functionsOf(template));

      expect(listed).toHaveLength(functions.length);
      expect(listed).toEqual(expect.arrayContaining(functions));
    },
  );

  it.each(JUDGES)(
    '%s names exactly the roles of the stack, each under its own condition',
    (judge) => {
      const listed = joinedItems(environmentOf(resourceOf(template, judge)).MONITOR_ROLE_ARNS);
      const roles = expectedIn(template, judge, rolesOf(template, judge));

      expect(roles.length).toBeGreaterThanOrEqual(2);
      expect(listed).toHaveLength(roles.length);
      expect(listed).toEqual(expect.arrayContaining(roles));
    },
  );

  it.each(JUDGES)(
    '%s names exactly the rules of the stack, schedules included, each under its own condition',
    (judge) => {
      const listed = joinedItems(environmentOf(resourceOf(template, judge)).MONITOR_RULE_NAMES);
      const rules = expectedIn(template, judge, rulesOf(template, judge));

      expect(rules.length).toBeGreaterThanOrEqual(13);
      for (const { item } of rules) expect(item).toBeDefined();
      expect(listed).toHaveLength(rules.length);
      expect(listed).toEqual(expect.arrayContaining(rules));
    },
  );

  it.each(JUDGES)(
    '%s names exactly the log groups of the stack, each under its own condition',
    (judge) => {
      const listed = joinedItems(
        environmentOf(resourceOf(template, judge)).MONITOR_LOG_GROUP_NAMES,
      );
      const groups = expectedIn(template, judge, namesOf(template, 'AWS::Logs::LogGroup'));

      expect(groups.length).toBeGreaterThanOrEqual(2);
      expect(listed).toHaveLength(groups.length);
      expect(listed).toEqual(expect.arrayContaining(groups));
    },
  );

  it.each(JUDGES)(
    '%s names exactly the alarms of the stack, each under its own condition',
    (judge) => {
      const listed = joinedItems(environmentOf(resourceOf(template, judge)).MONITOR_ALARM_NAMES);
      const alarms = expectedIn(template, judge, namesOf(template, 'AWS::CloudWatch::Alarm'));

      expect(alarms.length).toBeGreaterThanOrEqual(20);
      expect(listed).toHaveLength(alarms.length);
      expect(listed).toEqual(expect.arrayContaining(alarms));
    },
  );

  it.each(JUDGES)('%s names the stack', (judge) => {
    expect(environmentOf(resourceOf(template, judge)).MONITOR_STACK_NAME).toEqual({
      Ref: 'AWS::StackName',
    });
  });

  it('runs every function under a role of the stack, so the list holds each function role', () => {
    const roles = rolesOf(template).map(({ item }) => item);

    for (const [, resource] of resourcesOfType(template, [
      'AWS::Serverless::Function',
      'AWS::Lambda::Function',
    ])) {
      expect(roles).toContainEqual(resource.Properties?.Role);
    }
  });
});

describe("the monitor's own resources as a deployed stack's functions read them", () => {
  const template = loadTemplate('template.yaml');

  it.each([
    ['root-monitor in us-east-1, with the backstop queue it creates', 'root-monitor', 'aws', {}],
    [
      'a 32-character stack in GovCloud, with a queue given',
      `root-monitor-${'x'.repeat(19)}`,
      'aws-us-gov',
      { TrailQueueArn: 'arn:aws-us-gov:sqs:us-gov-west-1:444455556666:org-trail-files' },
    ],
    ['a stack without a backstop', 'monitor', 'aws', { TrailBucketName: '' }],
    [
      'a stack that pages PagerDuty',
      'root-monitor',
      'aws',
      {
        PagerDutyRoutingKeySecretArn:
          'arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-routing-key-AbCdEf',
      },
    ],
  ])('are accepted, every entry, for %s', (_name, stackName, partition, parameters) => {
    const stack = deployedStack(template, {
      stackName,
      account: '111122223333',
      region: partition === 'aws' ? 'us-east-1' : 'us-gov-west-1',
      partition,
      parameters: { TrailBucketName: 'example-org-trail', ...parameters },
    });

    for (const judge of JUDGES.filter((id) => stack.refs[id] !== undefined)) {
      const monitor = monitorResourcesOf(deployedEnvironment(template, stack, judge));

      expect(monitor.functionNames, judge).toContain(stack.refs.RootMonitorFunction);
      const pager = judge === 'GuardFunction' && stack.conditions.PagesPagerDuty === true;
      expect(monitor.ruleNames, judge).toHaveLength(pager ? 15 : 13);
      expect(monitor.ruleNames, judge).toContain(stack.refs.GuardWatchRule);
      if (pager) {
        expect(monitor.ruleNames, judge).toContain(stack.refs.PagerDutyHighRule);
        expect(monitor.roleArns, judge).toContain(stack.attributes['PagerDutyInvokeRole.Arn']);
      }
      expect(monitor.stackName, judge).toBe(stackName);
      expect(monitor.logGroupNames, judge).toEqual([
        stack.refs.RootMonitorLogGroup,
        stack.refs.HealthCheckLogGroup,
      ]);
      expect(monitor.alarmNames, judge).toContain(stack.refs.RootUsageAlarm);
      expect(monitor.roleArns, judge).toContain(stack.attributes['GuardRole.Arn']);
    }
  });
});
