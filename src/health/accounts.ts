import { type Check, fail, pass } from './check.js';
import type { OrganizationReads, RegionReads, StackInstanceView } from './ports.js';

/** The stack parameter that names the forwarders' stack set, when this account administers it. */
export const FORWARDER_STACK_SET_PARAMETER = 'ForwarderStackSetName';

/** How many account-Regions each kind of problem names before it counts the rest. */
const NAMED_AT_MOST = 12;

export interface AccountsSettings {
  /** The stack set that deploys infra/region-forwarder.yaml to every member account and Region. */
  stackSetName: string;
  /** `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator. */
  callAs: 'SELF' | 'DELEGATED_ADMIN';
  /** Regions left without a forwarder on purpose, in every account. */
  excludedRegions: readonly string[];
}

/** Where the check finds its settings at each run, and the IAM actions finding them calls. */
export interface AccountsSettingsSource {
  /** The stack set to look at, at the run started at `now`; none when there is none to check. */
  at(now: Date): Promise<AccountsSettings | undefined>;
  /** None when they are given; the stack's reads when its parameter names the stack set. */
  actions: readonly string[];
}

/** Settings given outright: by doctor --organization's options, say. */
export const givenAccountsSettings = (
  settings: AccountsSettings | undefined,
): AccountsSettingsSource => ({ at: async () => settings, actions: [] });

const named = (places: readonly string[]): string =>
  places.length <= NAMED_AT_MOST
    ? places.join(', ')
    : `${places.slice(0, NAMED_AT_MOST).join(', ')} and ${places.length - NAMED_AT_MOST} more`;

const place = ({ account, region }: { account: string; region: string }): string =>
  `${account} ${region}`;

/**
 * `accounts`: in an organization, the forwarders' stack set must have an instance in every
 * active member account (the management account is deployed apart: a service-managed stack set
 * does not reach it) and every enabled Region not excluded, each CURRENT (deployed as the stack
 * set now says), its last operation SUCCEEDED, and not DRIFTED (as of the stack set's last drift
 * detection). Run from the management account, or a delegated administrator.
 */
export const accountsCheck = (
  organization: OrganizationReads,
  regions: RegionReads,
  settingsSource: AccountsSettingsSource,
): Check => ({
  id: 'accounts',
  actions: [
    'organizations:DescribeOrganization',
    'organizations:ListAccounts',
    'cloudformation:ListStackInstances',
    'ec2:DescribeRegions',
    ...settingsSource.actions,
  ],
  async run(now) {
    const settings = await settingsSource.at(now);
    if (settings === undefined) {
      return pass(
        `no forwarders' stack set is named (the stack parameter ${FORWARDER_STACK_SET_PARAMETER} is empty): member accounts are checked from the management account, with root-monitor doctor --organization`,
      );
    }
    const { stackSetName, callAs, excludedRegions } = settings;
    const [{ managementAccount, activeAccounts }, instances, enabled] = await Promise.all([
      organization.organization(),
      organization.stackInstances(stackSetName, callAs),
      regions.enabledRegions(),
    ]);
    const watched = enabled.filter((region) => !excludedRegions.includes(region));
    const members = activeAccounts.filter((account) => account !== managementAccount).sort();
    const byPlace = new Map(instances.map((instance) => [place(instance), instance]));
    const missing = members.flatMap((account) =>
      watched.flatMap((region) =>
        byPlace.has(place({ account, region })) ? [] : [place({ account, region })],
      ),
    );
    const notCurrent = instances.filter(
      ({ status, detailedStatus }) =>
        status !== 'CURRENT' || (detailedStatus !== undefined && detailedStatus !== 'SUCCEEDED'),
    );
    const drifted = instances.filter(({ driftStatus }) => driftStatus === 'DRIFTED');
    const problems: string[] = [];
    const fixes: string[] = [];
    const calledAs = callAs === 'SELF' ? '' : ' --call-as DELEGATED_ADMIN';
    if (missing.length > 0) {
      problems.push(`no forwarder in ${missing.length} account-Regions: ${named(missing)}`);
      fixes.push(
        `aws cloudformation create-stack-instances --stack-set-name ${stackSetName}${calledAs} --deployment-targets OrganizationalUnitIds=OU --regions REGIONS (docs/deploying/organization.md), or list a Region you leave unwatched in ExcludedRegions`,
      );
    }
    if (notCurrent.length > 0) {
      const described = (instance: StackInstanceView) =>
        `${place(instance)} ${instance.status}${instance.detailedStatus === undefined ? '' : `/${instance.detailedStatus}`}${instance.statusReason === undefined ? '' : ` (${instance.statusReason})`}`;
      problems.push(
        `${notCurrent.length} forwarder${notCurrent.length === 1 ? ' is' : 's are'} not as the stack set says: ${named(notCurrent.map(described))}`,
      );
      fixes.push(
        `aws cloudformation update-stack-instances --stack-set-name ${stackSetName}${calledAs} --deployment-targets OrganizationalUnitIds=OU --regions REGIONS, after fixing what each reason names`,
      );
    }
    if (drifted.length > 0) {
      problems.push(
        `${drifted.length} forwarder${drifted.length === 1 ? ' has' : 's have'} drifted from the stack set: ${named(drifted.map(place))}`,
      );
      fixes.push(
        `aws cloudformation list-stack-instance-resource-drifts --stack-set-name ${stackSetName}${calledAs} --stack-instance-account ACCOUNT --stack-instance-region REGION --operation-id ID names what changed; update-stack-instances puts it back`,
      );
    }
    if (problems.length > 0) {
      return fail(
        `the stack set ${stackSetName} leaves root activity unforwarded: ${problems.join('; ')}`,
        `${fixes.join('; ')}; then look in CloudTrail for who changed it`,
      );
    }
    const unchecked = instances.filter(
      ({ driftStatus }) => driftStatus === undefined || driftStatus === 'NOT_CHECKED',
    ).length;
    return pass(
      `the stack set ${stackSetName} has a current forwarder in each of ${members.length} member accounts and ${watched.length} Regions${unchecked > 0 ? ` (${unchecked} never checked for drift: aws cloudformation detect-stack-set-drift --stack-set-name ${stackSetName})` : ''}`,
    );
  },
});
