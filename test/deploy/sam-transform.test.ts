import { beforeAll, describe, expect, it } from 'vitest';
import { environmentOf, resourceOf, type Template } from './cloudformation-template.js';
import { transformedTemplate } from './transformed-template.js';

/** Every variable the function reads (the handler fails at start-up without the required ones). */
const FUNCTION_ENVIRONMENT = [
  'ALERT_TOPIC_ARN',
  'FALLBACK_TOPIC_ARN',
  'DEDUP_TABLE_NAME',
  'CONFIG_PARAMETER',
  'CONFIG_MAX_AGE_SECONDS',
  'CONFIG_STALE_ALARM_SECONDS',
  'FORENSICS_BUCKET',
  'FORENSICS_KMS_KEY_ID',
  'ALERT_KEY_ARN',
  'MONITOR_FUNCTION_NAMES',
  'MONITOR_ROLE_ARNS',
  'MONITOR_QUEUE_ARNS',
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
        'AWS::Lambda::EventInvokeConfig',
        'AWS::Lambda::EventSourceMapping',
        'AWS::Lambda::Permission',
        'AWS::Logs::LogGroup',
        'AWS::Logs::MetricFilter',
        'AWS::IAM::Role',
        'AWS::Events::Rule',
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
      Handler: 'handler.handler',
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

  it('generates no role of its own and attaches no managed policy, whose wildcards no test sees', () => {
    const roles = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::IAM::Role',
    );

    expect(roles.map(([logicalId]) => logicalId).sort()).toEqual([
      'HealthCheckRole',
      'RootMonitorRole',
    ]);
    expect(JSON.stringify(template)).not.toContain('ManagedPolicyArns');
  });

  it('bundles with esbuild as an ES module, the AWS SDK included but for clients used after the alert', () => {
    const metadata = (resourceOf(template, 'RootMonitorFunction') as { Metadata?: unknown })
      .Metadata;

    expect(metadata).toMatchObject({
      BuildMethod: 'esbuild',
      BuildProperties: {
        EntryPoints: ['src/handler.ts'],
        Format: 'esm',
        OutExtension: ['.js=.mjs'],
        MinifyWhitespace: true,
        MinifySyntax: true,
      },
    });
    // Only the clients forensics and Security Hub findings load after an alert is out may come
    // from the runtime.
    expect(metadata).toHaveProperty('BuildProperties.External', [
      '@aws-sdk/client-s3',
      '@aws-sdk/client-iam',
      '@aws-sdk/client-securityhub',
    ]);
    expect(metadata).toHaveProperty('BuildProperties.MainFields', 'module,main');
  });

  describe('the backstop', () => {
    const BACKSTOP = [
      'TrailFileFunction',
      'TrailFileFunctionTrailFiles',
      'TrailFileQueue',
      'TrailFileDeadLetterQueue',
      'TrailFileQueuePolicy',
      'TrailFileDeadLetterAlarm',
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
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'CreatesTrailQueue',
        'BackstopEnabled',
      ]);
      expect(unconditional).toEqual([]);
    });

    it('takes partial batch failures from its queue, which parks a file after five failures', () => {
      expect(resourceOf(template, 'TrailFileFunctionTrailFiles').Properties).toMatchObject({
        FunctionName: { Ref: 'TrailFileFunction' },
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

    it('may read only the log files under the trail prefix, and decrypt only with the trail key', () => {
      const role = JSON.stringify(resourceOf(template, 'RootMonitorRole'));
      const statements = (
        (resourceOf(template, 'RootMonitorRole').Properties?.Policies ?? []) as {
          PolicyDocument: { Statement: unknown[] };
        }[]
      )[0]?.PolicyDocument.Statement;
      const branch = (sid: string) =>
        (statements ?? [])
          .map((statement) => (statement as { 'Fn::If'?: [string, { Sid?: string }] })['Fn::If'])
          .find((conditional) => conditional?.[1].Sid === sid);

      expect(branch('ReadTrailLogFiles')).toEqual([
        'BackstopEnabled',
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
        { Ref: 'AWS::NoValue' },
      ]);
      expect(branch('DecryptTrailLogFiles')).toEqual([
        'HasTrailKey',
        {
          Sid: 'DecryptTrailLogFiles',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: { Ref: 'TrailKmsKeyArn' },
        },
        { Ref: 'AWS::NoValue' },
      ]);
      expect(role).not.toContain('s3:ListBucket');
    });
  });
});
