import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { rootConsoleRecord, rootRecord, rootSignIn } from './cases.js';
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

const passwordEvent = (eventName: string, responseElements: Record<string, string>) =>
  rootSignIn({ eventName, responseElements, additionalEventData: undefined });

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
    {
      name: 'password updated',
      record: passwordEvent('PasswordUpdated', { PasswordUpdated: 'Success' }),
      expected: true,
    },
    {
      name: 'recovery requested',
      record: passwordEvent('PasswordRecoveryRequested', { PasswordRecoveryRequested: 'Success' }),
      expected: true,
    },
    {
      name: 'recovery completed',
      record: passwordEvent('PasswordRecoveryCompleted', { PasswordRecoveryCompleted: 'Success' }),
      expected: true,
    },
    {
      name: 'failed password update',
      record: passwordEvent('PasswordUpdated', { PasswordUpdated: 'Failure' }),
      expected: true,
    },
    { name: 'console sign-in', record: rootSignIn(), expected: false },
    {
      name: 'centralized-root session creating a root password',
      record: rootRecord({
        eventName: 'CreateLoginProfile',
        requestParameters: null,
        userIdentity: { type: 'Root', accountId: '111122223333', assumedRoot: 'true' },
      }),
      expected: true,
    },
    {
      name: 'root password deleted',
      record: rootRecord({ eventName: 'DeleteLoginProfile', requestParameters: null }),
      expected: true,
    },
    {
      name: 'another MFA device enrolled for root',
      record: rootRecord({
        eventName: 'EnableMFADevice',
        requestParameters: {
          userName: ROOT_USER_NAME,
          serialNumber: 'arn:aws:iam::111122223333:mfa/intruder-phone',
        },
      }),
      expected: true,
    },
    {
      name: 'another MFA device enrolled for root through the console',
      record: rootConsoleRecord({
        eventName: 'EnableMFADevice',
        requestParameters: {
          userName: ROOT_USER_NAME,
          serialNumber: 'arn:aws:iam::111122223333:mfa/intruder-phone',
        },
      }),
      expected: true,
    },
    {
      name: 'virtual MFA device created for root',
      record: rootRecord({
        eventName: 'CreateVirtualMFADevice',
        requestParameters: { virtualMFADeviceName: 'root-account-mfa-device', path: '/' },
      }),
      expected: true,
    },
    {
      name: 'signing certificate uploaded for root',
      record: rootRecord({
        eventName: 'UploadSigningCertificate',
        requestParameters: { certificateBody: '-----BEGIN CERTIFICATE-----' },
      }),
      expected: true,
    },
    {
      name: "root's MFA device re-synced",
      record: rootRecord({
        eventName: 'ResyncMFADevice',
        requestParameters: {
          userName: ROOT_USER_NAME,
          serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device',
        },
      }),
      expected: true,
    },
    {
      name: "root's signing certificate made active again",
      record: rootRecord({
        eventName: 'UpdateSigningCertificate',
        requestParameters: { certificateId: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE', status: 'Active' },
      }),
      expected: true,
    },
    {
      name: "root's own password updated through IAM",
      record: rootRecord({
        eventName: 'UpdateLoginProfile',
        requestParameters: { passwordResetRequired: false },
      }),
      expected: true,
    },
    {
      name: 'MFA device enrolled for an IAM user',
      record: rootRecord({
        eventName: 'EnableMFADevice',
        requestParameters: {
          userName: 'alice',
          serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
        },
      }),
      expected: false,
    },
    {
      name: "root resetting an IAM user's password",
      record: rootRecord({
        eventName: 'UpdateLoginProfile',
        requestParameters: { userName: 'alice', passwordResetRequired: true },
      }),
      expected: false,
    },
  ],
};
