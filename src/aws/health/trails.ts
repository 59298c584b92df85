import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { describeError } from '../../errors.js';
import { managementCoverage } from '../../health/management-events.js';
import type { ManagementCoverage, TrailReads, TrailView } from '../../health/ports.js';

/** CloudTrail as the `trail` check sees it, from the monitor's home Region. */
export class Trails implements TrailReads {
  readonly #client: CloudTrailClient;

  constructor(client: CloudTrailClient) {
    this.#client = client;
  }

  async trails(): Promise<TrailView[]> {
    // Shadow trails included: a multi-Region trail homed elsewhere, or an organization trail of
    // the management account, logs this Region too.
    const { trailList = [] } = await this.#client.send(
      new DescribeTrailsCommand({ includeShadowTrails: true }),
    );
    return Promise.all(
      trailList.flatMap((trail) =>
        trail.TrailARN === undefined ? [] : [this.#view(trail, trail.TrailARN)],
      ),
    );
  }

  async #view(trail: Trail, arn: string): Promise<TrailView> {
    // By ARN: a member account may name an organization trail no other way.
    const [status, management] = await Promise.all([
      this.#client.send(new GetTrailStatusCommand({ Name: arn })),
      this.#management(arn),
    ]);
    return {
      arn,
      name: trail.Name ?? arn,
      multiRegion: trail.IsMultiRegionTrail === true,
      organization: trail.IsOrganizationTrail === true,
      logging: status.IsLogging === true,
      latestDelivery: status.LatestDeliveryTime,
      latestDeliveryError: status.LatestDeliveryError || undefined,
      management,
    };
  }

  /** The selectors, or why they could not be read; the trail is judged either way. */
  async #management(arn: string): Promise<ManagementCoverage | string> {
    try {
      const { EventSelectors = [], AdvancedEventSelectors = [] } = await this.#client.send(
        new GetEventSelectorsCommand({ TrailName: arn }),
      );
      return managementCoverage(EventSelectors, AdvancedEventSelectors);
    } catch (error) {
      return describeError(error);
    }
  }
}
