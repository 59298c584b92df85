import { describe, expect, it } from 'vitest';
import {
  DeployedStack,
  type StackTemplate,
  StackTemplateError,
} from '../../src/health/deployed-stack.js';
import { transformedTemplate } from '../deploy/transformed-template.js';

const STACK_ID =
  'arn:aws:cloudformation:us-east-1:111122223333:stack/root-monitor/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

/** A physical id of the shape CloudFormation gives each type. */
const physicalIdOf = (logicalId: string, type: string): string => {
  switch (type) {
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:us-east-1:111122223333:root-monitor-${logicalId}-X`;
    case 'AWS::SQS::Queue':
      return `https://sqs.us-east-1.amazonaws.com/111122223333/root-monitor-${logicalId}-X`;
    case 'AWS::KMS::Key':
      return '1234abcd-12ab-34cd-56ef-1234567890ab';
    case 'AWS::Lambda::Alias':
      return `arn:aws:lambda:us-east-1:111122223333:function:root-monitor-${logicalId}:live`;
    case 'AWS::Lambda::Version':
      return `arn:aws:lambda:us-east-1:111122223333:function:root-monitor-${logicalId}:1`;
    default:
      return `root-monitor-${logicalId}-X`;
  }
};

/** template.yaml after the SAM transform, deployed with `parameters`: every resource present. */
const deployedWith = (parameters: Record<string, string>): DeployedStack => {
  const template = transformedTemplate() as unknown as StackTemplate;
  const defaults = Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([name, definition]) => [
      name,
      String((definition as { Default?: unknown }).Default ?? ''),
    ]),
  );
  return new DeployedStack(template, {
    stackName: 'root-monitor',
    stackId: STACK_ID,
    parameters: { ...defaults, ...parameters },
    physicalIds: Object.fromEntries(
      Object.entries(template.Resources).map(([logicalId, { Type }]) => [
        logicalId,
        physicalIdOf(logicalId, Type),
      ]),
    ),
  });
};

describe('DeployedStack', () => {
  const stack = deployedWith({
    AlertEmail: 'soc@example.com',
    MinimumSeverity: 'MEDIUM',
    TrailBucketName: 'org-trail',
  });

  it('resolves what the checks compare in every rule and subscription of the transformed template', () => {
    const compared = [
      ...stack.logicalIdsOf('AWS::Events::Rule'),
      ...stack.logicalIdsOf('AWS::SNS::Subscription'),
      ...stack.logicalIdsOf('AWS::Lambda::Alias'),
      ...stack.logicalIdsOf('AWS::Lambda::Permission'),
      ...stack.logicalIdsOf('AWS::SNS::Topic'),
      ...stack.logicalIdsOf('AWS::CloudWatch::Alarm'),
    ];

    expect(compared.length).toBeGreaterThanOrEqual(30);
    for (const logicalId of compared) {
      expect(() => stack.properties(logicalId), logicalId).not.toThrow();
    }
  });

  it("gives each alias the version the stack published, and each permission the alias's ARN", () => {
    const alias = stack.properties('RootMonitorFunctionAliaslive');
    const permission = stack.properties('RootUsageRuleInvokesFunction');

    expect(alias).toMatchObject({ Name: 'live', FunctionVersion: '1' });
    expect(permission).toMatchObject({
      FunctionName:
        'arn:aws:lambda:us-east-1:111122223333:function:root-monitor-RootMonitorFunctionAliaslive:live',
      Principal: 'events.amazonaws.com',
      SourceArn: 'arn:aws:events:us-east-1:111122223333:rule/root-monitor-RootUsageRule-X',
    });
  });

  it("gives the email subscription's filter for the severity chosen", () => {
    expect(stack.properties('AlertEmailSubscription')).toMatchObject({
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:root-monitor-AlertTopic-X',
      Endpoint: 'soc@example.com',
      FilterPolicy: {
        $or: [{ severity: ['CRITICAL', 'HIGH', 'MEDIUM'] }, { severity: [{ exists: false }] }],
      },
    });
  });

  it('leaves out a resource whose condition does not hold', () => {
    const noEmail = deployedWith({ AlertEmail: '' });

    expect(noEmail.logicalIdsOf('AWS::SNS::Subscription')).toEqual([]);
  });

  it('makes ARNs from physical ids, and pseudo parameters from the stack ARN', () => {
    expect(
      stack.resolve({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own placeholders
        'Fn::Sub': '${AWS::Partition}:${AWS::AccountId}:${AWS::URLSuffix}:${DedupTable.Arn}',
      }),
    ).toBe(
      'aws:111122223333:amazonaws.com:arn:aws:dynamodb:us-east-1:111122223333:table/root-monitor-DedupTable-X',
    );
  });

  it('refuses what it cannot resolve, naming it', () => {
    expect(() => stack.resolve({ 'Fn::GetAtt': ['DedupTable', 'StreamArn'] }, 'here')).toThrow(
      new StackTemplateError(
        'here: cannot resolve Fn::GetAtt DedupTable.StreamArn (AWS::DynamoDB::Table)',
      ),
    );
    expect(() => stack.resolve({ 'Fn::Base64': 'x' }, 'here')).toThrow(/cannot resolve Fn::Base64/);
  });
});
