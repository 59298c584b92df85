import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { RegionReads } from '../../health/ports.js';

/** The account's Regions, from EC2. */
export class AccountRegions implements RegionReads {
  readonly #client: EC2Client;

  constructor(client: EC2Client) {
    this.#client = client;
  }

  async enabledRegions(): Promise<string[]> {
    // Without AllRegions, EC2 answers with the enabled Regions only; the filter keeps that true
    // of an answer that lists the others too.
    const { Regions = [] } = await this.#client.send(new DescribeRegionsCommand({}));
    return Regions.filter(({ OptInStatus }) => OptInStatus !== 'not-opted-in')
      .flatMap(({ RegionName }) => (RegionName === undefined ? [] : [RegionName]))
      .sort();
  }
}
