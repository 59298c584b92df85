import type { Rule } from '../src/engine/rule.js';
import { iamUserRecord, roleSessionRecord, rootRecord } from './cases.js';
import { featuresResponse, turnsRootAccessOff } from './central-root-access.js';
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
    {
      name: 'a management-account role turns off root credentials management',
      record: roleSessionRecord({
        eventName: 'DisableOrganizationsRootCredentialsManagement',
        responseElements: featuresResponse(['RootSessions']),
      }),
      expected: true,
    },
    {
      name: 'an IAM user turns off root sessions',
      record: iamUserRecord({
        eventName: 'DisableOrganizationsRootSessions',
        responseElements: featuresResponse(['RootCredentialsManagement']),
      }),
      expected: true,
    },
    {
      name: 'root turns off root sessions',
      record: rootRecord({
        eventName: 'DisableOrganizationsRootSessions',
        responseElements: featuresResponse([]),
      }),
      expected: true,
    },
    {
      name: 'a refused attempt from a member account',
      record: iamUserRecord({
        eventName: 'DisableOrganizationsRootCredentialsManagement',
        errorCode: 'AccountNotManagementOrDelegatedAdministrator',
        errorMessage: 'The account is not the management account or delegated administrator',
        recipientAccountId: '444455556666',
      }),
      expected: true,
    },
    {
      name: 'turning root sessions on',
      record: roleSessionRecord({
        eventName: 'EnableOrganizationsRootSessions',
        responseElements: featuresResponse(['RootCredentialsManagement', 'RootSessions']),
      }),
      expected: false,
    },
    {
      name: 'listing the features',
      record: roleSessionRecord({ eventName: 'ListOrganizationsFeatures', readOnly: true }),
      expected: false,
    },
    {
      name: 'the same name from another source',
      record: roleSessionRecord({
        eventSource: 'organizations.amazonaws.com',
        eventName: 'DisableOrganizationsRootSessions',
      }),
      expected: false,
    },
  ],
};
