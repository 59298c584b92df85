import { type Check, fail, pass } from './check.js';
import type { RegionReads, RuleReads } from './reads.js';
import { ALL_MANAGEMENT_EVENTS } from './rule.js';

export interface RegionsSettings {
  homeRegion: string;
  /** The monitor's default bus, which forwarders target. */
  homeBusArn: string;
  /** Regions listed as intentionally not forwarded. */
  excludedRegions: readonly string[];
}

/** Why one Region does not forward every root event, or undefined when it does. */
const gapIn = async (
  rules: RuleReads,
  region: string,
  homeBusArn: string,
): Promise<string | undefined> => {
  try {
    const forwarders = await rules.rulesTargeting(homeBusArn, region);
    if (forwarders.some((rule) => rule.state === ALL_MANAGEMENT_EVENTS)) return undefined;
    if (forwarders.length === 0) return 'no forwarder rule';
    return forwarders
      .map((rule) =>
        rule.state === 'ENABLED'
          ? `${rule.name} is ENABLED, which skips read-only calls`
          : `${rule.name} is ${rule.state}`,
      )
      .join(', ');
  } catch (error) {
    return `cannot read its rules: ${error instanceof Error ? error.name : String(error)}`;
  }
};

/** Regions that share a reason are named together: "no forwarder rule in a, b, c". */
const grouped = (gaps: readonly { region: string; gap: string }[]): string => {
  const byGap = new Map<string, string[]>();
  for (const { region, gap } of gaps) byGap.set(gap, [...(byGap.get(gap) ?? []), region]);
  return [...byGap].map(([gap, regions]) => `${gap} in ${regions.join(', ')}`).join('; ');
};

/**
 * `regions`: root calls to regional services are recorded in their own Region; each enabled
 * Region other than the home one must forward them to the monitor's bus, or be excluded on
 * purpose.
 */
export const regionsCheck = (
  regions: RegionReads,
  rules: RuleReads,
  { homeRegion, homeBusArn, excludedRegions }: RegionsSettings,
): Check => ({
  id: 'regions',
  actions: [
    'ec2:DescribeRegions',
    'events:ListRuleNamesByTarget',
    'events:DescribeRule',
    'events:ListTargetsByRule',
  ],
  async run() {
    const enabled = await regions.enabledRegions();
    const excluded = enabled.filter((region) => excludedRegions.includes(region));
    const watched = enabled.filter(
      (region) => region !== homeRegion && !excludedRegions.includes(region),
    );
    const gaps = (
      await Promise.all(
        watched.map(async (region) => ({ region, gap: await gapIn(rules, region, homeBusArn) })),
      )
    ).flatMap(({ region, gap }) => (gap === undefined ? [] : [{ region, gap }]));
    const exclusions = excluded.length === 0 ? '' : `; excluded on purpose: ${excluded.join(', ')}`;
    if (gaps.length > 0) {
      return fail(
        `${gaps.length} of ${watched.length} enabled Regions do not forward root events to ${homeRegion}, so root activity there is never alerted: ${grouped(gaps)}${exclusions}`,
        `deploy infra/region-forwarder.yaml in each (README: Every Region, every account), or list a Region you mean to leave unwatched in the stack parameter ExcludedRegions (EXCLUDED_REGIONS)`,
      );
    }
    return pass(
      `all ${watched.length} enabled Regions besides ${homeRegion} forward root events to it${exclusions}`,
    );
  },
});
