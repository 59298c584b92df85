import {
  type CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts,
} from '@aws-sdk/client-cloudformation';
import type { DriftDetection, DriftReads, ResourceDrift } from '../../health/ports.js';

/** CloudFormation's own drift detection on the monitor's stack. */
export class StackDrift implements DriftReads {
  readonly #client: CloudFormationClient;
  readonly #stackName: string;

  constructor(client: CloudFormationClient, stackName: string) {
    this.#client = client;
    this.#stackName = stackName;
  }

  async start(): Promise<string> {
    const { StackDriftDetectionId } = await this.#client.send(
      new DetectStackDriftCommand({ StackName: this.#stackName }),
    );
    if (StackDriftDetectionId === undefined) throw new Error('CloudFormation gave no detection id');
    return StackDriftDetectionId;
  }

  async detection(id: string): Promise<DriftDetection> {
    const { DetectionStatus = 'UNKNOWN', DetectionStatusReason } = await this.#client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }),
    );
    return { status: DetectionStatus, reason: DetectionStatusReason };
  }

  async last(): Promise<{ status: string; at: Date | undefined }> {
    const { Stacks = [] } = await this.#client.send(
      new DescribeStacksCommand({ StackName: this.#stackName }),
    );
    const drift = Stacks[0]?.DriftInformation;
    return { status: drift?.StackDriftStatus ?? 'NOT_CHECKED', at: drift?.LastCheckTimestamp };
  }

  async drifted(): Promise<ResourceDrift[]> {
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
