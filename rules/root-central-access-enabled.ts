import type { Rule } from '../src/engine/rule.js';
import { iamUserRecord, roleSessionRecord, rootRecord } from './cases.js';
import { featuresResponse, turnsRootAccessOn } from './central-root-access.js';
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
    {
      name: 'a management-account role turns on root credentials management',
      record: roleSessionRecord({
        eventName: 'EnableOrganizationsRootCredentialsManagement',
        responseElements: featuresResponse(['RootCredentialsManagement']),
      }),
      expected: true,
    },
    {
      name: 'an IAM user turns on root sessions',
      record: iamUserRecord({
        eventName: 'EnableOrganizationsRootSessions',
        responseElements: featuresResponse(['RootCredentialsManagement', 'RootSessions']),
      }),
      expected: true,
    },
    {
      name: 'root turns on root sessions',
      record: rootRecord({
        eventName: 'EnableOrganizationsRootSessions',
        responseElements: featuresResponse(['RootSessions']),
      }),
      expected: true,
    },
    {
      name: 'turning root credentials management off',
      record: roleSessionRecord({
        eventName: 'DisableOrganizationsRootCredentialsManagement',
        responseElements: featuresResponse([]),
      }),
      expected: false,
    },
    {
      name: 'listing the features',
      record: iamUserRecord({ eventName: 'ListOrganizationsFeatures', readOnly: true }),
      expected: false,
    },
    {
      name: 'the same name from another source',
      record: iamUserRecord({
        eventSource: 'organizations.amazonaws.com',
        eventName: 'EnableOrganizationsRootSessions',
      }),
      expected: false,
    },
  ],
};
