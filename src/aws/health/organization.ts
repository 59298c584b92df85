import {
  type CloudFormationClient,
  paginateListStackInstances,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import type { OrganizationReads, StackInstanceView } from '../../health/ports.js';

/** The organization's accounts, and the forwarders' stack set deployed across them. */
export class OrganizationForwarders implements OrganizationReads {
  readonly #organizations: OrganizationsClient;
  readonly #cloudformation: CloudFormationClient;

  constructor(organizations: OrganizationsClient, cloudformation: CloudFormationClient) {
    this.#organizations = organizations;
    this.#cloudformation = cloudformation;
  }

  async organization(): Promise<{ managementAccount: string; activeAccounts: string[] }> {
    const { Organization } = await this.#organizations.send(new DescribeOrganizationCommand({}));
    const activeAccounts: string[] = [];
    for await (const page of paginateListAccounts({ client: this.#organizations }, {})) {
      for (const { Id, Status } of page.Accounts ?? []) {
        if (Id !== undefined && Status === 'ACTIVE') activeAccounts.push(Id);
      }
    }
    return { managementAccount: Organization?.MasterAccountId ?? '', activeAccounts };
  }

  async stackInstances(
    stackSetName: string,
    callAs: 'SELF' | 'DELEGATED_ADMIN',
  ): Promise<StackInstanceView[]> {
    const instances: StackInstanceView[] = [];
    for await (const page of paginateListStackInstances(
      { client: this.#cloudformation },
      { StackSetName: stackSetName, CallAs: callAs },
    )) {
      for (const summary of page.Summaries ?? []) {
        instances.push({
          account: summary.Account ?? '',
          region: summary.Region ?? '',
          status: summary.Status ?? 'UNKNOWN',
          detailedStatus: summary.StackInstanceStatus?.DetailedStatus,
          statusReason: summary.StatusReason,
          driftStatus: summary.DriftStatus,
        });
      }
    }
    return instances;
  }
}
