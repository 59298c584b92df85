import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_TOPIC_REFUSED } from '../../src/aws/alert-topic.js';
import {
  ALERT_PATH_MAX_CALLS,
  BOUNDED_CALL_MAX_MS,
  FUNCTION_TIMEOUT_SECONDS,
} from '../../src/aws/bounded-calls.js';
import { EVENTS_BUDGET_MS } from '../../src/aws/event-bus.js';
import { SNAPSHOT_BUDGET_MS } from '../../src/aws/forensics.js';
import { FINDINGS_BUDGET_MS } from '../../src/aws/security-hub.js';
import { METRICS } from '../../src/metrics/metric-definitions.js';
import { IN_FLIGHT_WAIT_MS } from '../../src/pipeline/settle-claim.js';
import { environmentOf, loadTemplate, REPO_ROOT, resourceOf } from './cloudformation-template.js';
import { deployedEnvironment, deployedStack } from './deployed-template.js';

const template = loadTemplate('template.yaml');
const forwarder = loadTemplate('infra/region-forwarder.yaml');

/** Every function of the stack: each writes the UnexpectedInput metric when given the wrong input. */
const FUNCTIONS_WRITING_METRICS = [
  'RootMonitorFunction',
  'GuardFunction',
  'DigestFunction',
  'HealthCheckFunction',
  'TrailFileFunction',
];

const readJson = (relativePath: string): unknown =>
  JSON.parse(readFileSync(join(REPO_ROOT, relativePath), 'utf8'));

describe('template.yaml and the files beside it', () => {
  describe('the root-usage pattern', () => {
    it('is the same in the forwarder as in the monitor, so every Region sends what the monitor sees', () => {
      expect(resourceOf(forwarder, 'RootUsageForwardingRule').Properties?.EventPattern).toEqual(
        resourceOf(template, 'RootUsageRule').Properties?.EventPattern,
      );
    });

    it('is matched in both with read-only root calls included, a state no parameter can change', () => {
      const stateOf = (rule: ReturnType<typeof resourceOf>) => rule.Properties?.State;

      expect(stateOf(resourceOf(template, 'RootUsageRule'))).toBe(
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      );
      expect(stateOf(resourceOf(forwarder, 'RootUsageForwardingRule'))).toBe(
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      );
    });
  });

  describe('the forwarder', () => {
    it('sends to the monitoring bus and may put events there and nowhere else', () => {
      const monitoringBus = {
        'Fn::Sub':
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          'arn:${AWS::Partition}:events:${HomeRegion}:${MonitoringAccountId}:event-bus/default',
      };
      const rule = resourceOf(forwarder, 'RootUsageForwardingRule').Properties;
      const role = resourceOf(forwarder, 'ForwardingRole').Properties;

      expect(rule?.Targets).toMatchObject([
        { Arn: monitoringBus, RoleArn: { 'Fn::GetAtt': ['ForwardingRole', 'Arn'] } },
      ]);
      expect(role?.Policies).toMatchObject([
        {
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: monitoringBus }],
          },
        },
      ]);
    });

    it('creates no rule on the monitoring bus itself, which would send events round in a loop', () => {
      expect(forwarder.Conditions?.IsMonitoringBus).toEqual({
        'Fn::And': [
          { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'MonitoringAccountId' }] },
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'HomeRegion' }] },
        ],
      });
      expect(resourceOf(forwarder, 'RootUsageForwardingRule').Condition).toBe('Forwards');
    });
  });

  describe('the organization bus policy', () => {
    it('admits PutEvents from the organization, and only of events AWS produced', () => {
      const policy = resourceOf(
        loadTemplate('infra/monitoring-bus-policy.yaml'),
        'OrganizationPutsEvents',
      );

      expect(policy.Properties).toMatchObject({
        EventBusName: 'default',
        Statement: {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } },
            'ForAllValues:StringLike': { 'events:source': 'aws.*' },
          },
        },
      });
    });
  });

  describe('the configuration parameter', () => {
    const parameter = resourceOf(template, 'ConfigParameter');

    it('starts as exactly config/starter.json', () => {
      const value = parameter.Properties?.Value;

      expect(typeof value).toBe('string');
      expect(JSON.parse(value as string)).toEqual(readJson('config/starter.json'));
    });

    it('is a standard-tier String that outlives the stack', () => {
      expect(parameter.Properties).toMatchObject({ Type: 'String', Tier: 'Standard' });
      expect(parameter.DeletionPolicy).toBe('Retain');
      expect(parameter.UpdateReplacePolicy).toBe('Retain');
    });
  });

  describe('the function', () => {
    it('reads env.json under its logical ID, with a value for every variable it is given', () => {
      const functions = Object.keys(template.Resources).filter(
        (logicalId) => resourceOf(template, logicalId).Type === 'AWS::Serverless::Function',
      );
      const envJson = readJson('env.json') as Record<string, Record<string, unknown>>;

      expect(functions).toEqual([
        'RootMonitorFunction',
        'TrailFileFunction',
        'GuardFunction',
        'DigestFunction',
        'HealthCheckFunction',
      ]);
      expect(Object.keys(envJson)).toEqual(functions);
      for (const logicalId of functions) {
        expect(Object.keys(envJson[logicalId] ?? {}).sort()).toEqual(
          Object.keys(environmentOf(resourceOf(template, logicalId))).sort(),
        );
      }
    });

    it.each([
      ['the queue the stack creates', {}],
      [
        'a queue given',
        { TrailQueueArn: `arn:aws-us-gov:sqs:us-gov-west-1:123456789012:${'q'.repeat(80)}` },
      ],
    ])(
      "gives each function settings within Lambda's 4 KB, with a stack name of up to 31 characters (docs/deploying/one-account.md), every option on and %s",
      (_name, parameters) => {
        // Lambda counts the bytes of every key and value. The lists of the monitor's resources
        // grow with the stack name, which every rule, alarm, function and role carries: about
        // 60 bytes a character in the backstop's.
        const stack = deployedStack(template, {
          stackName: `root-monitor-${'x'.repeat(18)}`,
          account: '123456789012',
          region: 'us-gov-west-1',
          partition: 'aws-us-gov',
          parameters: {
            TrailBucketName: `trail-${'b'.repeat(57)}`,
            EnableForensics: 'true',
            SecurityHubFindings: 'true',
            PagerDutyRoutingKeySecretArn:
              'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:pagerduty-routing-key-AbCdEf',
            ExcludedRegions: 'ap-east-1,me-south-1,af-south-1,ap-southeast-3,il-central-1',
            ...parameters,
          },
        });
        const functions = Object.keys(template.Resources).filter(
          (logicalId) => resourceOf(template, logicalId).Type === 'AWS::Serverless::Function',
        );

        expect(stack.stackName).toHaveLength(31);
        for (const logicalId of functions) {
          const size = Object.entries(deployedEnvironment(template, stack, logicalId)).reduce(
            (total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value),
            0,
          );
          expect(size, logicalId).toBeLessThanOrEqual(4096);
        }
      },
    );

    it('names both topics and the key of the alarm topic, so root cutting any alerts', () => {
      const functionResource = resourceOf(template, 'RootMonitorFunction');
      const environment = environmentOf(functionResource);

      expect(environment.ALERT_KEY_ARN).toEqual(
        resourceOf(template, 'AlarmTopic').Properties?.KmsMasterKeyId,
      );
      expect(environment.ALERT_TOPIC_ARN).toEqual({ Ref: 'AlertTopic' });
      expect(environment.FALLBACK_TOPIC_ARN).toEqual({ Ref: 'AlarmTopic' });
    });

    it('refuses to deploy outside the Region where root sign-in and IAM calls are recorded', () => {
      const { Rules } = template as { Rules?: Record<string, { Assertions: unknown[] }> };

      expect(Rules?.HomeRegion?.Assertions).toEqual([
        expect.objectContaining({
          Assert: {
            'Fn::Contains': [['us-east-1', 'us-gov-west-1', 'cn-north-1'], { Ref: 'AWS::Region' }],
          },
        }),
      ]);
    });

    it('times out only after the longest alert path has given up, and the findings, events and snapshot too', () => {
      const timeoutMs =
        Number(resourceOf(template, 'RootMonitorFunction').Properties?.Timeout) * 1000;

      // The findings and the events go side by side, after the alerts and before the snapshot.
      expect(timeoutMs).toBeGreaterThanOrEqual(
        ALERT_PATH_MAX_CALLS * BOUNDED_CALL_MAX_MS +
          IN_FLIGHT_WAIT_MS +
          Math.max(FINDINGS_BUDGET_MS, EVENTS_BUDGET_MS) +
          SNAPSHOT_BUDGET_MS,
      );
    });

    it("times out when the code caps a claim's lease, before Lambda's second retry comes", () => {
      const timeout = Number(resourceOf(template, 'RootMonitorFunction').Properties?.Timeout);

      expect(timeout).toBe(FUNCTION_TIMEOUT_SECONDS);
      // Lambda retries about one minute, then about two more minutes, after a failure: a claim
      // left pending by an invocation that died must be free by the second retry.
      expect(timeout).toBeLessThan(180);
    });

    it('names both queues that keep undelivered alerts, so root purging either alerts', () => {
      const functionResource = resourceOf(template, 'RootMonitorFunction');
      const invokeConfig = functionResource.Properties?.EventInvokeConfig as
        | { DestinationConfig?: { OnFailure?: { Destination?: unknown } } }
        | undefined;
      const onFailure = invokeConfig?.DestinationConfig?.OnFailure?.Destination;
      const targets = resourceOf(template, 'RootUsageRule').Properties?.Targets as
        | { DeadLetterConfig?: { Arn?: unknown } }[]
        | undefined;
      const deadLetter = (targets ?? []).map((target) => target.DeadLetterConfig?.Arn);

      expect(onFailure).toEqual({ 'Fn::GetAtt': ['OnFailureQueue', 'Arn'] });
      expect(deadLetter).toEqual([{ 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] }]);

      expect(environmentOf(functionResource).MONITOR_QUEUE_ARNS).toEqual({
        'Fn::If': [
          'CreatesTrailQueue',
          {
            'Fn::Join': [
              ',',
              [
                onFailure,
                ...deadLetter,
                { 'Fn::GetAtt': ['TrailFileQueue', 'Arn'] },
                { 'Fn::GetAtt': ['TrailFileDeadLetterQueue', 'Arn'] },
              ],
            ],
          },
          {
            'Fn::If': [
              'UsesExistingTrailQueue',
              { 'Fn::Join': [',', [onFailure, ...deadLetter, { Ref: 'TrailQueueArn' }]] },
              { 'Fn::Join': [',', [onFailure, ...deadLetter]] },
            ],
          },
        ],
      });
    });

    it('gives the backstop the same queues to guard, so root purging the trail-file queue alerts there too', () => {
      // The backstop exists only with a trail bucket: the alert function's list, that case.
      const [, created, otherwise] = (
        environmentOf(resourceOf(template, 'RootMonitorFunction')).MONITOR_QUEUE_ARNS as {
          'Fn::If': [string, unknown, { 'Fn::If': [string, unknown, unknown] }];
        }
      )['Fn::If'];

      expect(environmentOf(resourceOf(template, 'TrailFileFunction')).MONITOR_QUEUE_ARNS).toEqual({
        'Fn::If': ['CreatesTrailQueue', created, otherwise['Fn::If'][1]],
      });
    });

    it('has the health check look at every queue where an alert waits parked, and lets it read each', () => {
      const parked = [
        { 'Fn::GetAtt': ['OnFailureQueue', 'Arn'] },
        { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] },
      ];
      const trailParked = { 'Fn::GetAtt': ['TrailFileDeadLetterQueue', 'Arn'] };
      const healthCheck = resourceOf(template, 'HealthCheckFunction');
      const policies = resourceOf(template, 'HealthCheckRole').Properties?.Policies as {
        PolicyDocument: { Statement: { Sid?: string; Resource?: unknown }[] };
      }[];
      const readParked = policies
        .flatMap((policy) => policy.PolicyDocument.Statement)
        .find((statement) => statement.Sid === 'ReadParkedAlerts');

      expect(environmentOf(healthCheck).MONITOR_QUEUE_ARNS).toEqual({
        'Fn::If': [
          'CreatesTrailQueue',
          { 'Fn::Join': [',', [...parked, trailParked]] },
          { 'Fn::Join': [',', parked] },
        ],
      });
      expect(readParked?.Resource).toEqual([
        ...parked,
        { 'Fn::If': ['CreatesTrailQueue', trailParked, { Ref: 'AWS::NoValue' }] },
      ]);
    });
  });

  describe('the alarms', () => {
    const alarms = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::CloudWatch::Alarm',
    );

    it("cover root usage in the log, function errors and throttles, both parking queues, failures to park, and the backstop's queues", () => {
      const watched = alarms.map(({ Properties }) => {
        const dimension = (Properties?.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value;
        return [Properties?.MetricName, dimension ?? null];
      });

      expect(watched).toEqual(
        expect.arrayContaining([
          ['RootAccountUsage', null],
          ['AlertTopicRefused', null],
          ['Errors', { Ref: 'RootMonitorFunction' }],
          ['Throttles', { Ref: 'RootMonitorFunction' }],
          [
            'ApproximateNumberOfMessagesVisible',
            { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'QueueName'] },
          ],
          ['ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': ['OnFailureQueue', 'QueueName'] }],
          ['DestinationDeliveryFailures', { Ref: 'RootMonitorFunction' }],
          ['InvocationsFailedToBeSentToDlq', { Ref: 'RootUsageRule' }],
          [
            'ApproximateNumberOfMessagesVisible',
            { 'Fn::GetAtt': ['TrailFileDeadLetterQueue', 'QueueName'] },
          ],
          [
            'ApproximateAgeOfOldestMessage',
            expect.objectContaining({ 'Fn::If': expect.any(Array) }),
          ],
          ['Errors', { Ref: 'TrailFileFunction' }],
        ]),
      );
    });

    it("are named after the stack, notify the alarm topic, and are each named in its and its key's policy", () => {
      for (const { Properties } of alarms) {
        expect(Properties?.AlarmName).toEqual({
          'Fn::Sub': expect.stringMatching(/^\$\{AWS::StackName\}-[a-z-]+$/),
        });
        expect(Properties?.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
        const name = String(
          (Properties?.AlarmName as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'],
        );
        const admitted = `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${name}`;
        expect(JSON.stringify(resourceOf(template, 'AlarmTopicPolicy'))).toContain(`"${admitted}"`);
        expect(JSON.stringify(resourceOf(template, 'AlertKey'))).toContain(`"${admitted}"`);
      }
      // No wildcard: an alarm anyone names <stack>-anything is not admitted.
      const wildcard = `:alarm:\${AWS::StackName}-*`;
      expect(JSON.stringify(resourceOf(template, 'AlarmTopicPolicy'))).not.toContain(wildcard);
      expect(JSON.stringify(resourceOf(template, 'AlertKey'))).not.toContain(wildcard);
    });

    it('raise one on the first input a function is given that its trigger never sends', () => {
      expect(resourceOf(template, 'UnexpectedInputAlarm').Properties).toMatchObject({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
        Namespace: { 'Fn::Sub': 'RootMonitor/${AWS::StackName}' },
        MetricName: METRICS.unexpectedInput.name,
        // The set every function writes besides Function and Shape: one alarm for all of them.
        Dimensions: [{ Name: 'service', Value: 'root-monitor' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
      expect(METRICS.unexpectedInput.dimensionSets).toContainEqual([]);
      for (const logicalId of FUNCTIONS_WRITING_METRICS) {
        expect(environmentOf(resourceOf(template, logicalId)).POWERTOOLS_SERVICE_NAME).toBe(
          'root-monitor',
        );
      }
    });

    it('count the CRITICAL ROOT_ACCOUNT_USAGE lines the function logs for each alert', () => {
      expect(resourceOf(template, 'RootUsageMetricFilter').Properties).toMatchObject({
        LogGroupName: { Ref: 'RootMonitorLogGroup' },
        FilterPattern: '{ $.level = "CRITICAL" && $.message = "ROOT_ACCOUNT_USAGE" }',
      });
    });

    it('count the lines the function logs when the alert topic refused an alert', () => {
      expect(resourceOf(template, 'AlertTopicRefusedMetricFilter').Properties).toMatchObject({
        LogGroupName: { Ref: 'RootMonitorLogGroup' },
        FilterPattern: `{ $.message = "${ALERT_TOPIC_REFUSED}" }`,
        MetricTransformations: [expect.objectContaining({ MetricName: 'AlertTopicRefused' })],
      });
      expect(resourceOf(template, 'AlertTopicRefusedAlarm').Properties).toMatchObject({
        MetricName: 'AlertTopicRefused',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
    });
  });

  it('outputs what an operator needs next', () => {
    expect(Object.keys(template.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'TopicArn',
        'AlarmTopicArn',
        'ConfigParameterName',
        'DedupTableName',
        'FunctionName',
        'DeadLetterQueueUrl',
      ]),
    );
  });
});
