import {
  changesAccountContacts,
  memberRecoveryTarget,
  ROOT_USAGE,
} from '../src/engine/root-usage.js';
import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import {
  callsTo,
  iamUserRecord,
  READ_ONLY,
  roleSessionRecord,
  rootConsoleRecord,
  THROUGH_CONSOLE,
} from './cases.js';
import { incidentRunbook } from './runbook.js';

/*
 * Where each event comes from:
 * - The Account Management API (`account.amazonaws.com`): AWS Account Management Reference
 *   Guide, "Logging AWS Account Management API calls using AWS CloudTrail", whose example records
 *   of PutAlternateContact and DeleteAlternateContact give the source, the Region (us-east-1) and
 *   the camel-case request parameters; the API Reference gives StartPrimaryEmailUpdate,
 *   AcceptPrimaryEmailUpdate and PutContactInformation, and `AccountId`, which names a member
 *   account from the management or delegated administrator account. The names live in the
 *   engine (ROOT_USAGE.memberRecoveryChanged): made on a member account, they are judged
 *   whoever calls.
 * - The console's account settings (`billingconsole.amazonaws.com`): AWS Billing User Guide,
 *   "Logging Billing and Cost Management API calls with AWS CloudTrail". SetAccountPreferences
 *   "logs the updates of the account name, email, and password" (the root email change, which
 *   only root can make there); SetAdditionalContacts the alternate contacts; SetContactAddress
 *   the account owner's address and phone number; SetSecurityQuestions the questions that "help
 *   AWS identify you as the owner of the account".
 */
const CONSOLE_ACCOUNT_SETTINGS = {
  eventSource: 'billingconsole.amazonaws.com',
  eventNames: [
    'SetAccountPreferences',
    'SetAdditionalContacts',
    'SetContactAddress',
    'SetSecurityQuestions',
  ],
} as const;

const changesConsoleAccountSettings = (event: TrailEvent): boolean =>
  event.eventSource === CONSOLE_ACCOUNT_SETTINGS.eventSource &&
  (CONSOLE_ACCOUNT_SETTINGS.eventNames as readonly string[]).includes(event.eventName);

const byRoot = (event: TrailEvent): boolean => event.identityType === ROOT_USAGE.identityType;

const MANAGEMENT_ACCOUNT = '111122223333';
const MEMBER_ACCOUNT = '444455556666';

/** Calls of the Account Management API by a role of the management account, an IAM user, root. */
const managementRole = callsTo('account.amazonaws.com', roleSessionRecord);
const iamUser = callsTo('account.amazonaws.com', iamUserRecord);
const root = callsTo('account.amazonaws.com');

/** Root's calls on the console's account settings pages. */
const consoleSettings = callsTo('billingconsole.amazonaws.com', rootConsoleRecord);

/** A member account's root email changed to an address the owner does not hold. */
const newPrimaryEmail = { accountId: MEMBER_ACCOUNT, primaryEmail: 'new-owner@example.net' };

const securityContact = {
  name: 'Alejandro Rosalez',
  emailAddress: 'alrosalez@example.com',
  title: 'CISO',
  alternateContactType: 'SECURITY',
};

export const rootRecoveryChannelChanged: Rule = {
  id: 'root-recovery-channel-changed',
  title: 'Root email or account contacts changed',
  severity: 'CRITICAL',
  description:
    "The account's root email address or its contacts changed: by root, or by any identity of the organization's management (or delegated administrator) account acting on a member account. Whoever receives the root email can reset the root password, and AWS reaches the owner through the contacts: changed by anyone but the owner, the account is being taken over. Failed attempts match too.",
  runbook: incidentRunbook(
    'Read the new values in the event below (requestParameters: the new primary email, or the contact and its email and phone) and the account they apply to: the Target account below when the call names one, else account {account}. If the owner did not ask for it, put the old values back now: for a member account from the management account (aws account get-primary-email --account-id <target>, aws account start-primary-email-update, aws account put-alternate-contact --account-id <target>), else as root (Account settings). A StartPrimaryEmailUpdate takes effect only once AcceptPrimaryEmailUpdate presents the code sent to the new address: stop it before then.',
    'If the caller (Identity ARN below) is not root, that principal can take over every member account whose root email it can change: revoke its sessions and remove account:StartPrimaryEmailUpdate, account:AcceptPrimaryEmailUpdate, account:PutAlternateContact, account:DeleteAlternateContact and account:PutContactInformation from its policies until the change is explained.',
  ),
  allowlistable: false,
  dedupBy: 'event',
  match: (event) =>
    (changesAccountContacts(event) && byRoot(event)) ||
    memberRecoveryTarget(event) !== undefined ||
    (changesConsoleAccountSettings(event) && byRoot(event)),
  tests: () => [
    ...matches({
      "a management-account role starts a member's primary email update": managementRole(
        'StartPrimaryEmailUpdate',
        newPrimaryEmail,
        { responseElements: { status: 'PENDING' } },
      ),
      'a management-account role accepts the update with the code sent to the new address':
        managementRole('AcceptPrimaryEmailUpdate', newPrimaryEmail, {
          responseElements: { status: 'ACCEPTED' },
        }),
      "an IAM user of the management account puts a member's security contact": iamUser(
        'PutAlternateContact',
        { ...securityContact, accountId: MEMBER_ACCOUNT },
      ),
      "a management-account role deletes a member's alternate contact": managementRole(
        'DeleteAlternateContact',
        { alternateContactType: 'OPERATIONS', accountId: MEMBER_ACCOUNT },
      ),
      "a management-account role puts a member's contact information": managementRole(
        'PutContactInformation',
        {
          accountId: MEMBER_ACCOUNT,
          contactInformation: { fullName: 'Mallory', phoneNumber: '+1-206-555-0100' },
        },
      ),
      'a delegated administrator account acts on a member account': managementRole(
        'StartPrimaryEmailUpdate',
        newPrimaryEmail,
        { recipientAccountId: '777788889999' },
      ),
      "a refused attempt on a member's primary email": managementRole(
        'StartPrimaryEmailUpdate',
        newPrimaryEmail,
        {
          errorCode: 'AccessDeniedException',
          errorMessage: 'not authorized to perform: account:StartPrimaryEmailUpdate',
        },
      ),
      'root puts its own security contact': root('PutAlternateContact', securityContact),
      'root deletes its own billing contact through the console': root(
        'DeleteAlternateContact',
        { alternateContactType: 'BILLING' },
        THROUGH_CONSOLE,
      ),
      'root puts its own contact information': root('PutContactInformation', {
        contactInformation: { fullName: 'Mallory' },
      }),
      'root changes the root email in the console (account settings)':
        consoleSettings('SetAccountPreferences'),
      'root changes the alternate contacts in the console':
        consoleSettings('SetAdditionalContacts'),
      "root changes the owner's address and phone in the console":
        consoleSettings('SetContactAddress'),
      'root changes the security challenge questions in the console':
        consoleSettings('SetSecurityQuestions'),
    }),
    ...ignores({
      "an IAM user changes its own account's alternate contact": iamUser(
        'PutAlternateContact',
        securityContact,
      ),
      'an IAM user names its own account': iamUser('PutAlternateContact', {
        ...securityContact,
        accountId: MANAGEMENT_ACCOUNT,
      }),
      'root reads its security contact': root(
        'GetAlternateContact',
        { alternateContactType: 'SECURITY' },
        READ_ONLY,
      ),
      "a management-account role reads a member's alternate contact": managementRole(
        'GetAlternateContact',
        { alternateContactType: 'SECURITY', accountId: MEMBER_ACCOUNT },
        READ_ONLY,
      ),
      "a management-account role reads a member's primary email": managementRole(
        'GetPrimaryEmail',
        { accountId: MEMBER_ACCOUNT },
        READ_ONLY,
      ),
      'root renames the account': root('PutAccountName', { accountName: 'production' }),
      'PutAlternateContact named by the billing console': consoleSettings(
        'PutAlternateContact',
        securityContact,
      ),
      'StartPrimaryEmailUpdate named by IAM': callsTo('iam.amazonaws.com', roleSessionRecord)(
        'StartPrimaryEmailUpdate',
        newPrimaryEmail,
      ),
      'SetAccountPreferences named by the Account Management API': root('SetAccountPreferences'),
      'root reads the account settings in the console': consoleSettings(
        'GetAccountEDPStatus',
        null,
        READ_ONLY,
      ),
    }),
  ],
};
