import { randomUUID } from 'node:crypto';
import {
  CloudFormationClient,
  CreateStackCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { loadTemplate, type Resource, resourceOf } from '../deploy/cloudformation-template.js';
import { inAccount } from './moto-account.js';
import { rewritingAnswers } from './rewritten-answers.js';

/**
 * Some of template.yaml's own resources, deployed as a stack in moto's CloudFormation: the
 * template's parameters, mappings and conditions with them, and `replaced` in place of (or
 * beside) any of them. moto's CloudFormation creates SNS topics, KMS keys, SQS queues and
 * EventBridge rules; it skips what it does not know (subscriptions, alarms, aliases), which
 * then stay in the template only. Returns the stack's name and its clients in `accountId`.
 */
export const deployTemplateResources = async (
  accountId: string,
  logicalIds: readonly string[],
  {
    parameters = {},
    replaced = {},
  }: { parameters?: Record<string, string>; replaced?: Record<string, Resource> } = {},
) => {
  const template = loadTemplate('template.yaml');
  const Resources = withAliasArns({
    ...Object.fromEntries(logicalIds.map((id) => [id, resourceOf(template, id)])),
    ...replaced,
  }) as Record<string, Resource>;
  const stackName = `root-monitor-${randomUUID().slice(0, 8)}`;
  const cloudformation = inAccount(new CloudFormationClient({ region: 'us-east-1' }), accountId);
  await cloudformation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({
        Parameters: template.Parameters,
        Mappings: template.Mappings,
        Conditions: template.Conditions,
        Resources,
      }),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  const { StackResourceSummaries = [] } = await cloudformation.send(
    new ListStackResourcesCommand({ StackName: stackName }),
  );
  /** The physical id of one of the stack's resources. */
  const physicalId = async (logicalId: string): Promise<string> => {
    const found = StackResourceSummaries.find(
      (summary) => summary.LogicalResourceId === logicalId,
    )?.PhysicalResourceId;
    if (found === undefined) throw new Error(`moto's stack ${stackName} holds no ${logicalId}`);
    return found;
  };
  await Promise.all(
    StackResourceSummaries.filter(({ ResourceType }) => ResourceType === 'AWS::KMS::Key').map(
      ({ PhysicalResourceId }) => keepPolicyAsText(accountId, PhysicalResourceId ?? ''),
    ),
  );
  return { stackName, cloudformation, physicalId };
};

/** The alias SAM's AutoPublishAlias gives every function. */
export const ALIAS = 'live';

/**
 * moto runs no SAM transform and makes no AWS::Lambda::Alias: each `!Ref FUNCTION.Alias` becomes
 * the alias's ARN, as CloudFormation resolves it, built from the (stand-in) function's name.
 */
const withAliasArns = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withAliasArns);
  if (typeof value !== 'object' || value === null) return value;
  const reference = (value as { Ref?: unknown }).Ref;
  if (typeof reference === 'string' && reference.endsWith('.Alias')) {
    return {
      'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${${reference.slice(0, -'.Alias'.length)}}:${ALIAS}`,
    };
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withAliasArns(item)]));
};

/**
 * moto's CloudFormation keeps a key's policy as an object, which moto's KMS then cannot read
 * (DescribeKey fails parsing it) and answers GetKeyPolicy with as an object, where KMS sends a
 * string of JSON. The policy it holds is the template's, resolved: written back as text, KMS in
 * moto holds what KMS holds.
 */
const keepPolicyAsText = async (accountId: string, keyId: string): Promise<void> => {
  const kms = rewritingAnswers(
    inAccount(new KMSClient({ region: 'us-east-1' }), accountId),
    'GetKeyPolicyCommand',
    (body) => {
      const answer = JSON.parse(body) as { Policy?: unknown };
      return JSON.stringify({
        ...answer,
        Policy: typeof answer.Policy === 'string' ? answer.Policy : JSON.stringify(answer.Policy),
      });
    },
  );
  const { Policy } = await kms.send(
    new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
  );
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy }));
};

/**
 * moto's CloudFormation runs no SAM transform: each of template.yaml's functions named here is
 * replaced by a plain AWS::Lambda::Function of the same name and condition, with a role of its
 * own, for the stack's rules and permissions to refer to.
 */
export const standInFunctions = (...logicalIds: string[]): Record<string, Resource> => {
  const template = loadTemplate('template.yaml');
  return {
    StandInRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    },
    ...Object.fromEntries(
      logicalIds.map((logicalId) => [
        logicalId,
        {
          ...(resourceOf(template, logicalId).Condition === undefined
            ? {}
            : { Condition: resourceOf(template, logicalId).Condition }),
          Type: 'AWS::Lambda::Function',
          Properties: {
            FunctionName: resourceOf(template, logicalId).Properties?.FunctionName ?? null,
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': ['StandInRole', 'Arn'] },
            Code: { ZipFile: 'exports.handler = async () => ({});' },
          },
        },
      ]),
    ),
  };
};
