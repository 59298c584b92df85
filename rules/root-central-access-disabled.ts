import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { iamUserRecord, READ_ONLY, roleSessionRecord, rootRecord } from './cases.js';
import { featureSwitch, turnsRootAccessOff } from './central-root-access.js';

import { escalate, reviewRootActivity } from './runbook.js';

export const rootCentralAccessDisabled: Rule = {
  id: 'root-central-access-disabled',
  title: 'Centralized root access turned off',
  severity: 'HIGH',
  description:
    "Someone in the organization's management (or delegated administrator) account turned off centralized root access: root credentials management, with which that account manages member accounts' root credentials, or root sessions (sts:AssumeRoot), with which it performs privileged tasks on them. Whoever does it, the organization loses its central hold on every member account's root user. Failed attempts match too.",
  // Not the shared incident steps: no root credentials of this account were used.
  runbook: [
    'Check the change against a planned one with whoever administers the organization: the caller is the Identity ARN below, the feature is in the event name, and responseElements.enabledFeatures lists what is still on.',
    'If nobody planned it, turn it back on from the management account (aws iam enable-organizations-root-credentials-management, aws iam enable-organizations-root-sessions; aws iam list-organizations-features shows the result) and treat the caller as compromised: revoke its sessions and remove iam:DisableOrganizationsRootCredentialsManagement and iam:DisableOrganizationsRootSessions from its policies.',
    'Look in the member accounts for what may follow: root sign-ins, root password recovery (PasswordRecoveryRequested) and root email changes. root-monitor alerts on each in the accounts that forward their events.',
    reviewRootActivity,
    escalate,
  ],
  allowlistable: true,
  dedupBy: 'event',
  match: turnsRootAccessOff,
  tests: () => [
    ...matches({
      'a management-account role turns off root credentials management': featureSwitch(
        roleSessionRecord,
        'DisableOrganizationsRootCredentialsManagement',
        ['RootSessions'],
      ),
      'an IAM user turns off root sessions': featureSwitch(
        iamUserRecord,
        'DisableOrganizationsRootSessions',
        ['RootCredentialsManagement'],
      ),
      'root turns off root sessions': featureSwitch(
        rootRecord,
        'DisableOrganizationsRootSessions',
        [],
      ),
      'a refused attempt from a member account': iamUserRecord({
        eventName: 'DisableOrganizationsRootCredentialsManagement',
        errorCode: 'AccountNotManagementOrDelegatedAdministrator',
        errorMessage: 'The account is not the management account or delegated administrator',
        recipientAccountId: '444455556666',
      }),
    }),
    ...ignores({
      'turning root sessions on': featureSwitch(
        roleSessionRecord,
        'EnableOrganizationsRootSessions',
        ['RootCredentialsManagement', 'RootSessions'],
      ),
      'listing the features': roleSessionRecord({
        eventName: 'ListOrganizationsFeatures',
        ...READ_ONLY,
      }),
      'the same name from another source': roleSessionRecord({
        eventSource: 'organizations.amazonaws.com',
        eventName: 'DisableOrganizationsRootSessions',
      }),
    }),
  ],
};
