import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { type AccountsSettingsSource, accountsCheck } from '../../health/accounts.js';
import type { Check } from '../../health/check.js';
import { BOUNDED_CALLS } from '../bounded-calls.js';
import type { ClientPreparation } from './client-preparation.js';
import { OrganizationForwarders } from './organization.js';
import { AccountRegions } from './regions.js';

/**
 * The `accounts` check on AWS, from the management account or a delegated administrator: the
 * stack set lives in the home Region, where the clients are made.
 */
export const accountsCheckOnAws = (
  homeRegion: string,
  settings: AccountsSettingsSource,
  prepare: ClientPreparation = (client) => client,
): Check => {
  const home = { ...BOUNDED_CALLS, region: homeRegion };
  return accountsCheck(
    new OrganizationForwarders(
      prepare(new OrganizationsClient(home)),
      prepare(new CloudFormationClient(home)),
    ),
    new AccountRegions(prepare(new EC2Client(home))),
    settings,
  );
};
