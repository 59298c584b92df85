import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { iamUserRecord, READ_ONLY, roleSessionRecord, rootRecord } from './cases.js';
import { featureSwitch, turnsRootAccessOn } from './central-root-access.js';

import { escalate, reviewRootActivity } from './runbook.js';

export const rootCentralAccessEnabled: Rule = {
  id: 'root-central-access-enabled',
  title: 'Centralized root access turned on',
  severity: 'MEDIUM',
  description:
    "Someone in the organization's management (or delegated administrator) account turned on centralized root access: root credentials management, with which that account manages member accounts' root credentials, or root sessions, with which its principals can act as root in any member account for a privileged task (sts:AssumeRoot). Usually a planned hardening; from now on, whoever may call sts:AssumeRoot holds root in every member account. Failed attempts match too.",
  // Not the shared incident steps: no root credentials of this account were used.
  runbook: [
    'Confirm the change was planned with whoever administers the organization: the caller is the Identity ARN below, and responseElements.enabledFeatures lists the features now on (aws iam list-organizations-features shows them too).',
    'List who may now act as root in member accounts: every principal of the management and delegated administrator accounts allowed sts:AssumeRoot or the iam root credential calls. Each sts:AssumeRoot is alerted as root-session-issued.',
    reviewRootActivity,
    escalate,
  ],
  allowlistable: true,
  dedupBy: 'event',
  match: turnsRootAccessOn,
  tests: () => [
    ...matches({
      'a management-account role turns on root credentials management': featureSwitch(
        roleSessionRecord,
        'EnableOrganizationsRootCredentialsManagement',
        ['RootCredentialsManagement'],
      ),
      'an IAM user turns on root sessions': featureSwitch(
        iamUserRecord,
        'EnableOrganizationsRootSessions',
        ['RootCredentialsManagement', 'RootSessions'],
      ),
      'root turns on root sessions': featureSwitch(rootRecord, 'EnableOrganizationsRootSessions', [
        'RootSessions',
      ]),
    }),
    ...ignores({
      'turning root credentials management off': featureSwitch(
        roleSessionRecord,
        'DisableOrganizationsRootCredentialsManagement',
        [],
      ),
      'listing the features': iamUserRecord({
        eventName: 'ListOrganizationsFeatures',
        ...READ_ONLY,
      }),
      'the same name from another source': iamUserRecord({
        eventSource: 'organizations.amazonaws.com',
        eventName: 'EnableOrganizationsRootSessions',
      }),
    }),
  ],
};
