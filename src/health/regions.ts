import { type Check, fail, pass } from './check.js';
import { policyAllows } from './policy-allows.js';
import {
  type RegionReads,
  type RoleReads,
  type RuleReads,
  type RuleView,
  STACK_READ_ACTIONS,
  type StackReads,
} from './ports.js';
import { ALL_MANAGEMENT_EVENTS, declaredRules } from './rule.js';
import { sameJson } from './same-json.js';

export interface RegionsSettings {
  homeRegion: string;
  /** The monitor's default bus, which forwarders target. */
  homeBusArn: string;
  /** Regions listed as intentionally not forwarded. */
  excludedRegions: readonly string[];
}

/** The stack's rule whose pattern every forwarder carries (infra/region-forwarder.yaml). */
const ROOT_USAGE_RULE = 'RootUsageRule';

/** What a forwarder is given instead of the event, in words; undefined when the event. */
const reshaped = (target: RuleView['targets'][number]): string | undefined =>
  target.input !== undefined
    ? `the constant Input ${target.input}`
    : target.inputPath !== undefined
      ? `only ${target.inputPath} (InputPath)`
      : target.inputTransformer !== undefined
        ? 'a reshaped event (InputTransformer)'
        : undefined;

interface Forwarding {
  rules: RuleReads;
  roles: RoleReads;
  homeBusArn: string;
  /** The root-usage pattern, as the stack declares it. */
  pattern: unknown;
}

/** Why one forwarder does not carry every root event to the home bus; empty when it does. */
const forwarderProblems = async (
  rule: RuleView,
  { roles, homeBusArn, pattern }: Forwarding,
): Promise<string[]> => {
  const problems: string[] = [];
  if (rule.state !== ALL_MANAGEMENT_EVENTS) {
    problems.push(
      rule.state === 'ENABLED'
        ? `${rule.name} is ENABLED, which skips read-only calls`
        : `${rule.name} is ${rule.state}`,
    );
  }
  if (!sameJson(rule.eventPattern, pattern)) {
    problems.push(
      `${rule.name} matches ${JSON.stringify(rule.eventPattern)}, not the root-usage pattern`,
    );
  }
  const target = rule.targets.find(({ arn }) => arn === homeBusArn);
  if (target === undefined) return problems;
  const given = reshaped(target);
  if (given !== undefined) problems.push(`${rule.name} sends the bus ${given}, not the event`);
  if (target.roleArn === undefined) {
    problems.push(`${rule.name} has no role to put events on the bus`);
    return problems;
  }
  const role = await roles.role(target.roleArn);
  if (role === undefined) {
    problems.push(`${rule.name}'s role ${target.roleArn} does not exist`);
    return problems;
  }
  // arn:PARTITION:iam::ACCOUNT:role/NAME
  const account = target.roleArn.split(':')[4] ?? '';
  const assumable = policyAllows(role.trust, {
    principal: { service: 'events.amazonaws.com' },
    action: 'sts:AssumeRole',
    context: { 'aws:SourceAccount': account },
    missingKeys: 'unknown',
  });
  if (!assumable.allowed) {
    problems.push(`${rule.name}'s role ${target.roleArn} does not let EventBridge assume it`);
  }
  const statements = role.policies.flatMap((policy) => {
    const statement = (policy as { Statement?: unknown } | null)?.Statement;
    return statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
  });
  const puts = policyAllows(
    { Statement: statements },
    {
      principal: 'identity',
      action: 'events:PutEvents',
      resource: homeBusArn,
      context: {},
      missingKeys: 'unknown',
    },
  );
  if (!puts.allowed) {
    problems.push(`${rule.name}'s role ${target.roleArn} may not put events on ${homeBusArn}`);
  }
  return problems;
};

/** Why one Region does not forward every root event, or undefined when it does. */
const gapIn = async (region: string, forwarding: Forwarding): Promise<string | undefined> => {
  try {
    const forwarders = await forwarding.rules.rulesTargeting(forwarding.homeBusArn, region);
    if (forwarders.length === 0) return 'no forwarder rule';
    const problems = await Promise.all(
      forwarders.map((rule) => forwarderProblems(rule, forwarding)),
    );
    if (problems.some((found) => found.length === 0)) return undefined;
    return problems.flat().join(', ');
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
 * purpose. A forwarder counts when it is on for every management event, carries the stack's
 * root-usage pattern, sends the event itself to the home bus, and has a role EventBridge may
 * assume that may put events there.
 */
export const regionsCheck = (
  regions: RegionReads,
  rules: RuleReads,
  roles: RoleReads,
  stack: StackReads,
  { homeRegion, homeBusArn, excludedRegions }: RegionsSettings,
): Check => ({
  id: 'regions',
  actions: [
    'ec2:DescribeRegions',
    'events:ListRuleNamesByTarget',
    'events:DescribeRule',
    'events:ListTargetsByRule',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    ...STACK_READ_ACTIONS,
  ],
  async run(now) {
    const rootUsage = declaredRules(await stack.deployed(now)).find(
      ({ logicalId }) => logicalId === ROOT_USAGE_RULE,
    );
    if (rootUsage?.eventPattern === undefined) {
      return fail(
        `the stack declares no ${ROOT_USAGE_RULE} whose pattern the forwarders should carry`,
        "set MONITOR_STACK_NAME to the monitor's stack",
      );
    }
    const forwarding = { rules, roles, homeBusArn, pattern: rootUsage.eventPattern };
    const enabled = await regions.enabledRegions();
    const excluded = enabled.filter((region) => excludedRegions.includes(region));
    const watched = enabled.filter(
      (region) => region !== homeRegion && !excludedRegions.includes(region),
    );
    const gaps = (
      await Promise.all(
        watched.map(async (region) => ({ region, gap: await gapIn(region, forwarding) })),
      )
    ).flatMap(({ region, gap }) => (gap === undefined ? [] : [{ region, gap }]));
    const exclusions = excluded.length === 0 ? '' : `; excluded on purpose: ${excluded.join(', ')}`;
    if (gaps.length > 0) {
      return fail(
        `${gaps.length} of ${watched.length} enabled Regions do not forward root events to ${homeRegion}, so root activity there is never alerted: ${grouped(gaps)}${exclusions}`,
        `deploy infra/region-forwarder.yaml in each (docs/deploying/every-region.md) and leave its rule, target and role as it makes them (a changed forwarder is put back by deleting and redeploying its stack, or with aws events put-rule and put-targets as the template says), or list a Region you mean to leave unwatched in the stack parameter ExcludedRegions (EXCLUDED_REGIONS)`,
      );
    }
    return pass(
      `all ${watched.length} enabled Regions besides ${homeRegion} forward root events to it, each with the root-usage pattern, the event itself and a role that may put it on the bus${exclusions}`,
    );
  },
});
