import {
  type CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { DeployedStack, parseStackTemplate } from '../../health/deployed-stack.js';
import type { StackReads } from '../../health/ports.js';

/**
 * The monitor's stack as CloudFormation holds it. Read once per run: every check of one run
 * compares with the same deployment.
 */
export class MonitorStack implements StackReads {
  readonly #client: CloudFormationClient;
  readonly #stackName: string;
  #last: { at: number; stack: Promise<DeployedStack> } | undefined;

  constructor(client: CloudFormationClient, stackName: string) {
    this.#client = client;
    this.#stackName = stackName;
  }

  deployed(now: Date): Promise<DeployedStack> {
    if (this.#last?.at !== now.getTime()) {
      const stack = this.#read();
      // A failed read is not kept: the next run asks again.
      stack.catch(() => {
        if (this.#last?.stack === stack) this.#last = undefined;
      });
      this.#last = { at: now.getTime(), stack };
    }
    return this.#last.stack;
  }

  async #read(): Promise<DeployedStack> {
    const StackName = this.#stackName;
    const [{ Stacks = [] }, { TemplateBody }, physicalIds] = await Promise.all([
      this.#client.send(new DescribeStacksCommand({ StackName })),
      // Processed: after the SAM transform, as CloudFormation deployed it.
      this.#client.send(new GetTemplateCommand({ StackName, TemplateStage: 'Processed' })),
      this.#physicalIds(),
    ]);
    const [stack] = Stacks;
    if (stack?.StackId === undefined) throw new Error(`CloudFormation has no stack ${StackName}`);
    const parameters: Record<string, string> = {};
    for (const { ParameterKey, ParameterValue, ResolvedValue } of stack.Parameters ?? []) {
      // An SSM parameter type's value is its name; the template sees what it resolved to.
      if (ParameterKey !== undefined)
        parameters[ParameterKey] = ResolvedValue ?? ParameterValue ?? '';
    }
    return new DeployedStack(parseStackTemplate(TemplateBody ?? ''), {
      stackName: stack.StackName ?? StackName,
      stackId: stack.StackId,
      parameters,
      physicalIds,
    });
  }

  async #physicalIds(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for await (const page of paginateListStackResources(
      { client: this.#client },
      { StackName: this.#stackName },
    )) {
      for (const {
        LogicalResourceId,
        PhysicalResourceId,
        ResourceStatus,
      } of page.StackResourceSummaries ?? []) {
        if (!LogicalResourceId || !PhysicalResourceId) continue;
        if (ResourceStatus === 'DELETE_COMPLETE') continue;
        ids[LogicalResourceId] = PhysicalResourceId;
      }
    }
    return ids;
  }
}
