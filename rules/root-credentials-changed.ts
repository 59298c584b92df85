import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import { rootIamCall as iam, rootSignIn, THROUGH_CONSOLE } from './cases.js';
import { onRootItself, ROOT_USER_NAME } from './root-itself.js';
import { incidentRunbook } from './runbook.js';

const PASSWORD_EVENTS = new Set([
  'PasswordUpdated',
  'PasswordRecoveryRequested',
  'PasswordRecoveryCompleted',
]);

/**
 * IAM calls on root's own sign-in credentials: its password (a centralized-root session can
 * create or delete it), MFA devices enrolled or re-synced (an intruder adds a device rather
 * than remove the owner's) and X.509 signing certificates. Removal of MFA has its own rule.
 */
const IAM_CREDENTIAL_EVENTS = new Set([
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'CreateVirtualMFADevice',
  'EnableMFADevice',
  'ResyncMFADevice',
  'UploadSigningCertificate',
  'UpdateSigningCertificate',
]);

const changesSignInPassword = (event: TrailEvent): boolean =>
  event.eventSource === 'signin.amazonaws.com' && PASSWORD_EVENTS.has(event.eventName);

const changesOwnIamCredential = (event: TrailEvent): boolean =>
  event.eventSource === 'iam.amazonaws.com' &&
  IAM_CREDENTIAL_EVENTS.has(event.eventName) &&
  onRootItself(event);

/** A password event of the sign-in service; its outcome sits under its own name. */
const passwordEvent = (eventName: string, outcome = 'Success') =>
  rootSignIn({
    eventName,
    responseElements: { [eventName]: outcome },
    additionalEventData: undefined,
  });

/** An MFA device the owner does not know, enrolled for root. */
const intruderDevice = {
  userName: ROOT_USER_NAME,
  serialNumber: 'arn:aws:iam::111122223333:mfa/intruder-phone',
};

export const rootCredentialsChanged: Rule = {
  id: 'root-credentials-changed',
  title: 'Root credentials changed',
  severity: 'CRITICAL',
  description:
    "Root's own sign-in credentials changed: its password was changed, recovered, created or deleted, an MFA device was enrolled or re-synced for it, or a signing certificate was added. Done by anyone but the owner, this is an account takeover in progress, or an intruder making sure of a way back in. Failed attempts match too.",
  runbook: incidentRunbook(
    'If the owner did not change or recover the root password, the account is being taken over: regain control now with "Forgot password" on the root email address, secure that mailbox, and contact AWS Support if the email address was changed too.',
    'If an MFA device or signing certificate was added that the owner does not know, remove it (sign in as root, Security credentials) and treat the account as compromised.',
  ),
  allowlistable: true,
  dedupBy: 'event',
  match: (event) => changesSignInPassword(event) || changesOwnIamCredential(event),
  tests: () => [
    ...matches({
      'password updated': passwordEvent('PasswordUpdated'),
      'recovery requested': passwordEvent('PasswordRecoveryRequested'),
      'recovery completed': passwordEvent('PasswordRecoveryCompleted'),
      'failed password update': passwordEvent('PasswordUpdated', 'Failure'),
    }),
    ...ignores({ 'console sign-in': rootSignIn() }),
    ...matches({
      'centralized-root session creating a root password': iam('CreateLoginProfile', null, {
        userIdentity: { type: 'Root', accountId: '111122223333', assumedRoot: 'true' },
      }),
      'root password deleted': iam('DeleteLoginProfile'),
      'another MFA device enrolled for root': iam('EnableMFADevice', intruderDevice),
      'another MFA device enrolled for root through the console': iam(
        'EnableMFADevice',
        intruderDevice,
        THROUGH_CONSOLE,
      ),
      'virtual MFA device created for root': iam('CreateVirtualMFADevice', {
        virtualMFADeviceName: 'root-account-mfa-device',
        path: '/',
      }),
      'signing certificate uploaded for root': iam('UploadSigningCertificate', {
        certificateBody: '-----BEGIN CERTIFICATE-----',
      }),
      "root's MFA device re-synced": iam('ResyncMFADevice', {
        userName: ROOT_USER_NAME,
        serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device',
      }),
      "root's signing certificate made active again": iam('UpdateSigningCertificate', {
        certificateId: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE',
        status: 'Active',
      }),
      "root's own password updated through IAM": iam('UpdateLoginProfile', {
        passwordResetRequired: false,
      }),
    }),
    ...ignores({
      'MFA device enrolled for an IAM user': iam('EnableMFADevice', {
        userName: 'alice',
        serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
      }),
      "root resetting an IAM user's password": iam('UpdateLoginProfile', {
        userName: 'alice',
        passwordResetRequired: true,
      }),
    }),
  ],
};
