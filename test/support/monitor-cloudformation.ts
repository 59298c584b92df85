import { randomUUID } from 'node:crypto';
import {
  CloudFormationClient,
  CreateStackCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { loadTemplate, type Resource, resourceOf } from '../deploy/cloudformation-template.js';
import { inAccount } from './moto-account.js';

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
  const Resources: Record<string, Resource> = {
    ...Object.fromEntries(logicalIds.map((id) => [id, resourceOf(template, id)])),
    ...replaced,
  };
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
  /** The physical id of one of the stack's resources. */
  const physicalId = async (logicalId: string): Promise<string> => {
    const { StackResourceSummaries = [] } = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: stackName }),
    );
    const found = StackResourceSummaries.find(
      (summary) => summary.LogicalResourceId === logicalId,
    )?.PhysicalResourceId;
    if (found === undefined) throw new Error(`moto's stack ${stackName} holds no ${logicalId}`);
    return found;
  };
  return { stackName, cloudformation, physicalId };
};
