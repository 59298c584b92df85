import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  environmentOf,
  evaluate,
  grantsBySid,
  isObject,
  resourceOf,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { transformedTemplate } from './transformed-template.js';

type Statement = Record<string, TemplateValue>;

/** A role's grants, inline and attached, by Sid: each with the condition it is under. */
const grantsOf = (template: Template, roleId: string): Map<string, [string | null, Statement]> =>
  new Map(
    [...grantsBySid(template, roleId)].map(([sid, { condition, statement }]) => [
      sid,
      [condition, statement],
    ]),
  );

/** One grant of a role, by Sid, with the condition it is under. */
const grantOf = (template: Template, roleId: string, sid: string): [string | null, Statement] => {
  const grant = grantsOf(template, roleId).get(sid);
  if (grant === undefined) throw new Error(`${roleId} has no statement ${sid}`);
  return grant;
};

/** The managed policies a role attaches, by logical id, each under the condition it is attached. */
const attachedTo = (template: Template, roleId: string): TemplateValue[] =>
  asList(resourceOf(template, roleId).Properties?.ManagedPolicyArns);

/** What sending an alert takes, which the backstop's role is granted as the alert function's is. */
const ALERT_PATH_GRANTS = [
  'WriteAlertLog',
  'ReadConfiguration',
  'ClaimAlerts',
  'PublishAlerts',
  'EncryptWithAlertKey',
  'WriteForensicsSnapshots',
  'ListIamUsersAccessKeys',
  'SummariseIamAccount',
  'ImportFindingsForThisAccount',
  'PutAlertEventsOnDefaultBus',
];

/** Every variable the function reads (the handler fails at start-up without the required ones). */
const FUNCTION_ENVIRONMENT = [
  'ALERT_TOPIC_ARN',
  'FALLBACK_TOPIC_ARN',
  'DEDUP_TABLE_NAME',
  'CONFIG_PARAMETER',
  'CONFIG_MAX_AGE_SECONDS',
  'CONFIG_STALE_ALARM_SECONDS',
  'FIRST_SEEN_DAYS',
  'FORENSICS_BUCKET',
  'FORENSICS_KMS_KEY_ID',
  'ALERT_KEY_ARN',
  'MONITOR_FUNCTION_NAMES',
  'MONITOR_ROLE_ARNS',
  'MONITOR_QUEUE_ARNS',
  'MONITOR_STACK_NAME',
  'MONITOR_RULE_NAMES',
  'MONITOR_LOG_GROUP_NAMES',
  'MONITOR_ALARM_NAMES',
  'ALERT_EVENTS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
];

describe('template.yaml after the SAM transform', () => {
  let template: Template;
  beforeAll(() => {
    template = transformedTemplate();
  });

  it('leaves only plain CloudFormation resources', () => {
    const types = Object.values(template.Resources).map((resource) => resource.Type);

    expect(types.filter((type) => type.startsWith('AWS::Serverless::'))).toEqual([]);
    expect(new Set(types)).toEqual(
      new Set([
        'AWS::Lambda::Function',
        'AWS::Lambda::Version',
        'AWS::Lambda::Alias',
        'AWS::Lambda::EventInvokeConfig',
        'AWS::Lambda::EventSourceMapping',
        'AWS::Lambda::Permission',
        'AWS::Logs::LogGroup',
        'AWS::Logs::MetricFilter',
        'AWS::IAM::Role',
        'AWS::IAM::ManagedPolicy',
        'AWS::Events::Rule',
        'AWS::Events::Connection',
        'AWS::Events::ApiDestination',
        'AWS::SQS::Queue',
        'AWS::SQS::QueuePolicy',
        'AWS::KMS::Key',
        'AWS::KMS::Alias',
        'AWS::SNS::Topic',
        'AWS::SNS::TopicPolicy',
        'AWS::SNS::Subscription',
        'AWS::DynamoDB::Table',
        'AWS::SSM::Parameter',
        'AWS::S3::Bucket',
        'AWS::S3::BucketPolicy',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
      ]),
    );
  });

  it('builds the function for nodejs24.x on arm64 with the stack role and its own log group', () => {
    const properties = resourceOf(template, 'RootMonitorFunction').Properties;

    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'real-time.handler',
      MemorySize: 512,
      Timeout: 145,
      Role: { 'Fn::GetAtt': ['RootMonitorRole', 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: 'RootMonitorLogGroup' } },
    });
  });

  it('gives the function every setting it reads', () => {
    const variables = environmentOf(resourceOf(template, 'RootMonitorFunction'));

    expect(Object.keys(variables)).toEqual(expect.arrayContaining(FUNCTION_ENVIRONMENT));
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('root-monitor');
  });

  it('parks invocations that still fail after the retries in the on-failure queue', () => {
    const invokeConfig = resourceOf(template, 'RootMonitorFunctionEventInvokeConfig');

    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: 'RootMonitorFunction' },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['OnFailureQueue', 'Arn'] } },
      },
    });
  });

  it("generates no role of its own, and attaches only the template's own managed policies, whose statements the tests see", () => {
    const roles = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::IAM::Role',
    );

    expect(roles.map(([logicalId]) => logicalId).sort()).toEqual([
      'DigestRole',
      'GuardRole',
      'HealthCheckRole',
      'PagerDutyInvokeRole',
      'RootMonitorRole',
      'TrailFileRole',
    ]);
    // grantsOf refuses a role that attaches any other policy, AWS managed ones included.
    for (const [logicalId] of roles) expect(() => grantsOf(template, logicalId)).not.toThrow();
  });

  it('bundles with esbuild as an ES module, the AWS SDK included but for clients used after the alert', () => {
    const metadata = (resourceOf(template, 'RootMonitorFunction') as { Metadata?: unknown })
      .Metadata;

    expect(metadata).toMatchObject({
      BuildMethod: 'esbuild',
      BuildProperties: {
        EntryPoints: ['src/functions/real-time.ts'],
        Format: 'esm',
        OutExtension: ['.js=.mjs'],
        MinifyWhitespace: true,
        MinifySyntax: true,
      },
    });
    // Only the clients forensics, Security Hub findings and the alerts' events load after an
    // alert is out may come from the runtime.
    expect(metadata).toHaveProperty('BuildProperties.External', [
      '@aws-sdk/client-s3',
      '@aws-sdk/client-iam',
      '@aws-sdk/client-securityhub',
      '@aws-sdk/client-eventbridge',
    ]);
    expect(metadata).toHaveProperty('BuildProperties.MainFields', 'module,main');
  });

  describe('the backstop', () => {
    const BACKSTOP = [
      'TrailFileFunction',
      'TrailFileRole',
      'TrailFileFunctionTrailFiles',
      'TrailFileQueue',
      'TrailFileDeadLetterQueue',
      'TrailFileQueuePolicy',
      'TrailFileDeadLetterAlarm',
      'TrailFileQueueAgeAlarm',
      'TrailFilesNotArrivingAlarm',
      'TrailFileFunctionErrorsAlarm',
    ];

    it('exists only with a trail bucket: without one the stack is what it was', () => {
      const conditions = BACKSTOP.map(
        (logicalId) => (resourceOf(template, logicalId) as { Condition?: string }).Condition,
      );
      const unconditional = Object.entries(template.Resources)
        .filter(([logicalId]) => logicalId.startsWith('TrailFile'))
        .filter(([, resource]) => (resource as { Condition?: string }).Condition === undefined);

      expect(conditions).toEqual([
        'BackstopEnabled',
        'BackstopEnabled',
        'BackstopEnabled',
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'BackstopEnabled',
        'BackstopEnabled',
        'BackstopEnabled',
      ]);
      expect(unconditional).toEqual([]);
    });

    it('takes partial batch failures from its queue, which parks a file after five failures', () => {
      expect(resourceOf(template, 'TrailFileFunctionTrailFiles').Properties).toMatchObject({
        FunctionName: { Ref: 'TrailFileFunctionAliaslive' },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(resourceOf(template, 'TrailFileQueue').Properties).toMatchObject({
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': ['TrailFileDeadLetterQueue', 'Arn'] },
          maxReceiveCount: 5,
        },
      });
      expect(resourceOf(template, 'TrailFileDeadLetterAlarm').Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Value: { 'Fn::GetAtt': ['TrailFileDeadLetterQueue', 'QueueName'] } }],
        Threshold: 0,
      });
    });

    it("raises an alarm when a log file has waited 45 minutes in its queue, the stack's or the one given", () => {
      const alarm = resourceOf(template, 'TrailFileQueueAgeAlarm').Properties;
      const [dimension = {}] = asList(alarm?.Dimensions).filter(isObject);
      const queueName = (dimension.Value as { 'Fn::If': [string, unknown, TemplateValue] })[
        'Fn::If'
      ];

      // Nothing waits in a healthy queue for more than seconds, and SQS reports no age when
      // nothing waits: no data is no alarm.
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        Threshold: 2700,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
      // A file read again after one failure passes under it; one that fails twice does not.
      const visibilityTimeout = Number(
        resourceOf(template, 'TrailFileQueue').Properties?.VisibilityTimeout,
      );
      expect(alarm?.Threshold).toBeGreaterThan(visibilityTimeout);
      expect(alarm?.Threshold).toBeLessThan(2 * visibilityTimeout);
      expect(dimension.Name).toBe('QueueName');
      expect(queueName.slice(0, 2)).toEqual([
        'CreatesTrailQueue',
        { 'Fn::GetAtt': ['TrailFileQueue', 'QueueName'] },
      ]);
      for (const [arn, name] of [
        ['arn:aws:sqs:us-east-1:111122223333:org-trail-files', 'org-trail-files'],
        ['arn:aws-us-gov:sqs:us-gov-west-1:111122223333:trail_files-1', 'trail_files-1'],
      ]) {
        expect(evaluate(queueName[2], { TrailQueueArn: arn ?? '' })).toBe(name);
      }
    });

    it('raises an alarm when no log file has reached its queue for three hours, missing data included', () => {
      const alarm = resourceOf(template, 'TrailFilesNotArrivingAlarm').Properties;
      const age = resourceOf(template, 'TrailFileQueueAgeAlarm').Properties;

      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'NumberOfMessagesSent',
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 3,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        // SQS stops reporting a queue nothing touches: silence is the failure itself.
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
      // The same queue as the age alarm: the stack's, or the one given.
      expect(alarm?.Dimensions).toEqual(age?.Dimensions);
    });

    it('runs under a role of its own, which no other function has', () => {
      const roles = Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([logicalId, resource]) => [logicalId, resource.Properties?.Role]);

      expect(roles).toEqual(
        expect.arrayContaining([
          ['RootMonitorFunction', { 'Fn::GetAtt': ['RootMonitorRole', 'Arn'] }],
          ['TrailFileFunction', { 'Fn::GetAtt': ['TrailFileRole', 'Arn'] }],
          ['GuardFunction', { 'Fn::GetAtt': ['GuardRole', 'Arn'] }],
          ['DigestFunction', { 'Fn::GetAtt': ['DigestRole', 'Arn'] }],
          ['HealthCheckFunction', { 'Fn::GetAtt': ['HealthCheckRole', 'Arn'] }],
        ]),
      );
      expect(roles).toHaveLength(5);
    });

    it("sends alerts with the alert function's own policies, not copies, and has nothing only real time uses", () => {
      const realTime = attachedTo(template, 'RootMonitorRole');
      const parking = { Ref: 'ParkFailuresPolicy' };

      expect(realTime).toContainEqual(parking);
      expect(attachedTo(template, 'TrailFileRole')).toEqual(
        realTime.filter((policy) => JSON.stringify(policy) !== JSON.stringify(parking)),
      );
      expect([...grantsOf(template, 'TrailFileRole').keys()].sort()).toEqual(
        [
          ...ALERT_PATH_GRANTS,
          'ReadTrailLogFiles',
          'DecryptTrailLogFiles',
          'ConsumeTrailFileNotifications',
        ].sort(),
      );
    });

    it('may read only the log files under the trail prefix', () => {
      expect(grantsOf(template, 'TrailFileRole').get('ReadTrailLogFiles')).toEqual([
        null,
        {
          Sid: 'ReadTrailLogFiles',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: {
            'Fn::If': [
              'HasTrailPrefix',
              {
                'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${TrailBucketName}/\${TrailLogPrefix}/AWSLogs/*`,
              },
              {
                'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${TrailBucketName}/AWSLogs/*`,
              },
            ],
          },
        },
      ]);
      expect(JSON.stringify(resourceOf(template, 'TrailFileRole'))).not.toContain('s3:ListBucket');
    });

    it.each([
      [
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        's3.us-east-1.amazonaws.com',
      ],
      [
        'arn:aws:kms:eu-west-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab',
        's3.eu-west-1.amazonaws.com',
      ],
      [
        'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        's3.us-gov-west-1.amazonaws.com',
      ],
      [
        'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        's3.cn-north-1.amazonaws.com.cn',
      ],
    ])('decrypts with the trail key %s only through %s', (keyArn, s3InKeyRegion) => {
      const [condition, statement] = grantOf(template, 'TrailFileRole', 'DecryptTrailLogFiles');
      const viaService = (statement.Condition as { StringEquals: Statement }).StringEquals[
        'kms:ViaService'
      ];

      expect(condition).toBe('HasTrailKey');
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { Ref: 'TrailKmsKeyArn' },
      });
      expect(Object.keys(statement.Condition ?? {})).toEqual(['StringEquals']);
      // The host in the partition's own domain: China Regions' is amazonaws.com.cn.
      const urlSuffix = keyArn.startsWith('arn:aws-cn:') ? 'amazonaws.com.cn' : 'amazonaws.com';
      expect(
        evaluate(viaService ?? '', { TrailKmsKeyArn: keyArn, 'AWS::URLSuffix': urlSuffix }),
      ).toBe(s3InKeyRegion);
    });

    it('consumes the queue its event source mapping reads, a permission SAM does not add to a given role', () => {
      const mapping = resourceOf(template, 'TrailFileFunctionTrailFiles').Properties;
      const [condition, consume] = grantOf(
        template,
        'TrailFileRole',
        'ConsumeTrailFileNotifications',
      );

      expect(condition).toBeNull();
      expect(consume.Resource).toEqual(mapping?.EventSourceArn);
      expect(consume.Action).toEqual([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
      ]);
    });

    it("leaves the alert function's role no access to the trail's files, key or queue", () => {
      const role = JSON.stringify([
        resourceOf(template, 'RootMonitorRole'),
        ...grantsOf(template, 'RootMonitorRole').values(),
      ]);

      for (const trailThing of [
        'TrailBucketName',
        'TrailKmsKeyArn',
        'TrailQueueArn',
        'TrailFileQueue',
        's3:GetObject',
        'sqs:ReceiveMessage',
      ]) {
        expect(role).not.toContain(trailThing);
      }
    });
  });

  describe('one job per function', () => {
    /** Each rule of the stack with the functions it invokes, SAM's schedules included. */
    const invoked = () =>
      Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
          .map(([logicalId, resource]) => [
            logicalId,
            asList(resource.Properties?.Targets)
              .filter(isObject)
              .map((target) => target.Arn),
          ]),
      );

    it('has root usage and changes to the guard invoke the real-time function, every other change the guard, and each schedule its own', () => {
      // Each through the function's alias `live`, the resource SAM names <Function>Aliaslive.
      // The pager rules invoke no function: they call PagerDuty.
      const realTime = [{ Ref: 'RootMonitorFunctionAliaslive' }];
      const guard = [{ Ref: 'GuardFunctionAliaslive' }];
      expect(invoked()).toEqual({
        RootUsageRule: realTime,
        GuardWatchRule: realTime,
        ConfigChangeRule: guard,
        GuardLambdaRule: guard,
        GuardEventsRule: guard,
        GuardAlertsRule: guard,
        GuardStateRule: guard,
        GuardAlarmsRule: guard,
        GuardRolesRule: guard,
        GuardTrailRule: guard,
        GuardStackRule: guard,
        DigestFunctionDigestSchedule: [{ Ref: 'DigestFunctionAliaslive' }],
        HealthCheckFunctionScheduled: [{ Ref: 'HealthCheckFunctionAliaslive' }],
        PagerDutyCriticalRule: [{ 'Fn::GetAtt': ['PagerDutyDestination', 'Arn'] }],
        PagerDutyHighRule: [{ 'Fn::GetAtt': ['PagerDutyDestination', 'Arn'] }],
      });
    });

    it("leaves the real-time role neither the configuration's history nor the digests, and the guard's nothing else", () => {
      const realTime = grantsOf(template, 'RootMonitorRole');
      const guard = grantsOf(template, 'GuardRole');
      const actionsOf = (grants: ReturnType<typeof grantsOf>) =>
        [...grants.values()].flatMap(([, statement]) => asList(statement.Action));

      expect(actionsOf(realTime)).not.toContain('ssm:GetParameterHistory');
      expect(actionsOf(realTime)).not.toContain('dynamodb:Query');
      expect(actionsOf(realTime)).not.toContain('dynamodb:BatchGetItem');
      expect(actionsOf(guard).sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:SendMessage',
        'ssm:GetParameter',
        'ssm:GetParameterHistory',
      ]);
    });
  });
});
