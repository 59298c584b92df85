import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  NoSuchEntityException,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { RoleReads, RoleView } from '../../health/ports.js';

/** IAM returns policy documents URL-encoded; some emulators send them plain. */
const documentOf = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(decodeURIComponent(text));
  }
};

/** IAM roles, read to judge what they let a service do. */
export class IamRoles implements RoleReads {
  readonly #client: IAMClient;

  constructor(client: IAMClient) {
    this.#client = client;
  }

  async role(roleArn: string): Promise<RoleView | undefined> {
    // arn:PARTITION:iam::ACCOUNT:role/PATH/NAME: the name is the last segment.
    const RoleName = roleArn.split('/').at(-1) ?? roleArn;
    let trust: unknown;
    try {
      const { Role } = await this.#client.send(new GetRoleCommand({ RoleName }));
      trust = documentOf(Role?.AssumeRolePolicyDocument);
    } catch (error) {
      if (error instanceof NoSuchEntityException) return undefined;
      throw error;
    }
    const policies: unknown[] = [];
    for await (const page of paginateListRolePolicies({ client: this.#client }, { RoleName })) {
      for (const PolicyName of page.PolicyNames ?? []) {
        const { PolicyDocument } = await this.#client.send(
          new GetRolePolicyCommand({ RoleName, PolicyName }),
        );
        policies.push(documentOf(PolicyDocument));
      }
    }
    for await (const page of paginateListAttachedRolePolicies(
      { client: this.#client },
      { RoleName },
    )) {
      for (const { PolicyArn } of page.AttachedPolicies ?? []) {
        const { Policy } = await this.#client.send(new GetPolicyCommand({ PolicyArn }));
        const { PolicyVersion } = await this.#client.send(
          new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy?.DefaultVersionId }),
        );
        policies.push(documentOf(PolicyVersion?.Document));
      }
    }
    return { arn: roleArn, trust, policies };
  }
}
