import { describe, expect, it } from 'vitest';
import {
  asList,
  isObject,
  loadTemplate,
  type Resource,
  resourceOf,
  type TemplateValue,
} from './cloudformation-template.js';
import { GUARD_RULES, INVOKES } from './playbook.js';

/*
 * The rules that hear changes to the monitor, as template.yaml declares them: each delivered and
 * watched like the root-usage rule. Which calls they match is guard-routing.test.ts's.
 */

const template = loadTemplate('template.yaml');

const propertiesOf = (logicalId: string): Record<string, TemplateValue> =>
  resourceOf(template, logicalId).Properties ?? {};

const targetsOf = (logicalId: string): Record<string, TemplateValue>[] =>
  asList(propertiesOf(logicalId).Targets).filter(isObject);

const ofType = (type: string): [string, Resource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** The rules that carry alerts and announcements: root usage, and changes to the monitor. */
const CARRYING = ['RootUsageRule', ...GUARD_RULES] as const;

/**
 * The rules that page PagerDuty from the alerts' events on the default bus: a best-effort copy of
 * what SNS already delivered, not a path of the monitor's own (see PagerDuty in
 * docs/deploying/alert-destinations.md).
 */
const PAGING = ['PagerDutyCriticalRule', 'PagerDutyHighRule'] as const;

describe('the rules that hear changes to the monitor', () => {
  it('are every rule of the stack but the schedules and the pager’s', () => {
    expect(ofType('AWS::Events::Rule').map(([logicalId]) => logicalId)).toEqual(
      expect.arrayContaining([...CARRYING, ...PAGING]),
    );
    expect(ofType('AWS::Events::Rule')).toHaveLength(CARRYING.length + PAGING.length);
  });

  it.each(GUARD_RULES)(
    '%s hears CloudTrail API calls of any identity, in this account only, on the default bus',
    (logicalId) => {
      const properties = propertiesOf(logicalId);
      const pattern = properties.EventPattern;

      expect(properties).toMatchObject({ EventBusName: 'default', State: 'ENABLED' });
      expect(pattern).toMatchObject({
        'detail-type': ['AWS API Call via CloudTrail'],
        account: [{ Ref: 'AWS::AccountId' }],
      });
      // Any identity: nothing in the pattern looks at who made the call.
      expect(JSON.stringify(pattern)).not.toContain('userIdentity');
    },
  );

  it.each(GUARD_RULES)(
    '%s is named after the stack, so the functions can list it without a circular reference',
    (logicalId) => {
      expect(propertiesOf(logicalId).Name).toEqual({
        'Fn::Sub': expect.stringMatching(/^\$\{AWS::StackName\}-(guard|watch)-[a-z]+$/),
      });
    },
  );

  it.each(GUARD_RULES)(
    '%s invokes its function through the alias, retries a day, then parks the event, as the root-usage rule does',
    (logicalId) => {
      const [rootUsage] = targetsOf('RootUsageRule');
      const [target, ...others] = targetsOf(logicalId);
      const alias = { Ref: `${INVOKES[logicalId]}.Alias` };

      expect(others).toEqual([]);
      expect(target).toMatchObject({
        Arn: alias,
        RetryPolicy: rootUsage?.RetryPolicy,
        DeadLetterConfig: rootUsage?.DeadLetterConfig,
      });
      expect(target?.Input ?? target?.InputPath ?? target?.InputTransformer).toBeUndefined();
    },
  );

  it.each(CARRYING)(
    '%s may invoke the alias it targets, and only it may through its permission',
    (logicalId) => {
      const [target] = targetsOf(logicalId);
      const permissions = ofType('AWS::Lambda::Permission')
        .map(([, resource]) => resource.Properties ?? {})
        .filter((permission) =>
          JSON.stringify(permission.SourceArn).includes(JSON.stringify(logicalId)),
        );

      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: target?.Arn,
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
        },
      ]);
    },
  );

  it('have the real-time function watch the guard, and the guard every other part', () => {
    const invoked = Object.fromEntries(
      CARRYING.map((logicalId) => [logicalId, targetsOf(logicalId)[0]?.Arn]),
    );

    expect(invoked).toEqual(
      Object.fromEntries(
        CARRYING.map((logicalId) => [logicalId, { Ref: `${INVOKES[logicalId]}.Alias` }]),
      ),
    );
    expect(CARRYING.filter((logicalId) => INVOKES[logicalId] === 'RootMonitorFunction')).toEqual([
      'RootUsageRule',
      'GuardWatchRule',
    ]);
  });

  it('raise an alarm when EventBridge can neither deliver nor park an event of any of them', () => {
    // Alarms on InvocationsFailedToBeSentToDlq, one per rule or a sum over several.
    const watched = ofType('AWS::CloudWatch::Alarm').flatMap(([, alarm]) => {
      const properties = alarm.Properties ?? {};
      const metrics = [
        properties,
        ...asList(properties.Metrics)
          .filter(isObject)
          .map((query) =>
            isObject(query.MetricStat) && isObject(query.MetricStat.Metric)
              ? query.MetricStat.Metric
              : {},
          ),
      ];
      return metrics
        .filter((metric) => metric.MetricName === 'InvocationsFailedToBeSentToDlq')
        .map((metric) => asList(metric.Dimensions).filter(isObject)[0]?.Value);
    });

    for (const logicalId of CARRYING) expect(watched).toContainEqual({ Ref: logicalId });
  });

  it("watch the managed policies the guard's role attaches from the real-time path, and every policy of the stack from the guard's", () => {
    const branches = (logicalId: string) => {
      const pattern = propertiesOf(logicalId).EventPattern;
      const detail = isObject(pattern) && isObject(pattern.detail) ? pattern.detail : {};
      return asList(detail.$or).filter(isObject);
    };
    const policiesOf = (logicalId: string) =>
      branches(logicalId)
        .filter((branch) => asList(branch.eventName).includes('CreatePolicyVersion'))
        .map((branch) =>
          isObject(branch.requestParameters) ? branch.requestParameters.policyArn : undefined,
        );

    expect(policiesOf('GuardWatchRule')).toEqual([
      resourceOf(template, 'GuardRole').Properties?.ManagedPolicyArns,
    ]);
    // CloudFormation names each policy it is given no name for after the stack (STACK-Id-SUFFIX).
    expect(policiesOf('GuardRolesRule')).toEqual([
      [
        {
          prefix: {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
            'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${AWS::StackName}-',
          },
        },
      ],
    ]);
  });

  it('sum the guard rules into one alarm, which a metric-math alarm may do for at most 10 metrics', () => {
    const metrics = asList(propertiesOf('GuardRulesDeadLetterDeliveryAlarm').Metrics).filter(
      isObject,
    );

    expect(metrics.filter((query) => query.MetricStat !== undefined).length).toBeLessThanOrEqual(
      10,
    );
    expect(metrics.filter((query) => query.ReturnData === true)).toEqual([
      expect.objectContaining({ Expression: 'SUM(METRICS())' }),
    ]);
  });
});
