import {
  GetParameterHistoryCommand,
  type ParameterHistory,
  ParameterNotFound,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ParameterVersion, ParameterVersions, VersionHistory } from '../pipeline/ports.js';

const versionOf = (name: string, stored: ParameterHistory): ParameterVersion | undefined =>
  stored.Version === undefined || stored.Value === undefined
    ? undefined
    : {
        name,
        version: stored.Version,
        text: stored.Value,
        description: stored.Description || undefined,
        modifiedBy: stored.LastModifiedUser || undefined,
        modifiedAt: stored.LastModifiedDate,
      };

/**
 * A parameter's stored versions, read with GetParameterHistory. CloudTrail never carries a
 * parameter's value, so this is where the document before and after a change comes from. SSM
 * keeps the last 100 versions, two pages at most.
 */
export class ParameterHistoryReader implements VersionHistory {
  readonly #client: SSMClient;

  constructor(client: SSMClient) {
    this.#client = client;
  }

  async around(name: string, version: number | undefined): Promise<ParameterVersions> {
    const versions: ParameterVersion[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken }),
        );
        for (const stored of page.Parameters ?? []) {
          const read = versionOf(name, stored);
          if (read !== undefined) versions.push(read);
        }
        NextToken = page.NextToken;
      } while (NextToken !== undefined);
    } catch (error) {
      if (error instanceof ParameterNotFound) return { kind: 'missing' };
      throw error;
    }
    versions.sort((a, b) => a.version - b.version);
    // Without a version from the event, the newest is the change; a later write may follow it.
    const changed =
      version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
    const reference = changed?.version ?? version ?? Number.POSITIVE_INFINITY;
    const previous = versions.filter((v) => v.version < reference).at(-1);
    return { kind: 'found', changed, previous };
  }
}
