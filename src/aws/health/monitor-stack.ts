import {
  type CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  paginateDescribeStackResourceDrifts,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { DeployedStack, parseStackTemplate } from '../../health/deployed-stack.js';
import type { DriftDetection, DriftReads, ResourceDrift, StackReads } from '../../health/ports.js';

/**
 * The monitor's stack as CloudFormation holds it, and as CloudFormation's own drift detection
 * finds it. The deployment is read once per run: every check of one run compares with the same.
 */
export class MonitorStack implements StackReads, DriftReads {
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

  async startDriftDetection(): Promise<string> {
    const { StackDriftDetectionId } = await this.#client.send(
      new DetectStackDriftCommand({ StackName: this.#stackName }),
    );
    if (StackDriftDetectionId === undefined) throw new Error('CloudFormation gave no detection id');
    return StackDriftDetectionId;
  }

  async driftDetection(id: string): Promise<DriftDetection> {
    const { DetectionStatus = 'UNKNOWN', DetectionStatusReason } = await this.#client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }),
    );
    return { status: DetectionStatus, reason: DetectionStatusReason };
  }

  async lastDrift(): Promise<{ status: string; at: Date | undefined }> {
    const { Stacks = [] } = await this.#client.send(
      new DescribeStacksCommand({ StackName: this.#stackName }),
    );
    const drift = Stacks[0]?.DriftInformation;
    return { status: drift?.StackDriftStatus ?? 'NOT_CHECKED', at: drift?.LastCheckTimestamp };
  }

  async driftedResources(): Promise<ResourceDrift[]> {
    const drifted: ResourceDrift[] = [];
    for await (const page of paginateDescribeStackResourceDrifts(
      { client: this.#client },
      { StackName: this.#stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] },
    )) {
      for (const drift of page.StackResourceDrifts ?? []) {
        drifted.push({
          logicalId: drift.LogicalResourceId ?? 'unknown',
          type: drift.ResourceType ?? 'unknown',
          status: drift.StackResourceDriftStatus ?? 'unknown',
          differences: (drift.PropertyDifferences ?? []).map((difference) => ({
            path: difference.PropertyPath ?? '',
            expected: difference.ExpectedValue ?? '',
            actual: difference.ActualValue ?? '',
            kind: difference.DifferenceType ?? '',
          })),
        });
      }
    }
    return drifted;
  }
}
