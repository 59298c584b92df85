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
  'MONITOR_ROLE_ARN',
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
});
