import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { rootIamCall as iam, READ_ONLY, THROUGH_CONSOLE } from './cases.js';
import { ROOT_USER_NAME } from './root-itself.js';
import { incidentRunbook } from './runbook.js';

const MFA_REMOVAL = new Set(['DeactivateMFADevice', 'DeleteVirtualMFADevice']);

/** Root's own MFA device, as a request names it: by user and serial number, or serial alone. */
const rootVirtualDevice = {
  serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device',
};
const rootDevice = { userName: ROOT_USER_NAME, ...rootVirtualDevice };

export const rootMfaRemoved: Rule = {
  id: 'root-mfa-removed',
  title: 'MFA removal by root',
  severity: 'CRITICAL',
  description:
    "Root deactivated or deleted an MFA device, its own or an IAM user's. Removing root's MFA leaves the account one stolen password away from takeover; it is also the usual step before an intruder enrols their own device. Failed attempts match too.",
  runbook: incidentRunbook(
    'Register an MFA device for root again now (sign in as root, Security credentials > Multi-factor authentication). If the sign-in fails, the password was changed too: use "Forgot password" for the root email address and contact AWS Support.',
    'If the device belonged to an IAM user, check it with that user and re-enrol it: aws iam list-mfa-devices --user-name <user>.',
  ),
  allowlistable: false,
  dedupBy: 'event',
  match: (event) => event.eventSource === 'iam.amazonaws.com' && MFA_REMOVAL.has(event.eventName),
  tests: () => [
    ...matches({
      "deactivating root's MFA device": iam('DeactivateMFADevice', rootDevice),
      "deleting root's virtual MFA device": iam('DeleteVirtualMFADevice', rootVirtualDevice),
      "root removing an IAM user's device": iam('DeactivateMFADevice', {
        userName: 'alice',
        serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
      }),
      "root's MFA device deactivated through the console": iam(
        'DeactivateMFADevice',
        rootDevice,
        THROUGH_CONSOLE,
      ),
      "root's virtual MFA device deleted through the console": iam(
        'DeleteVirtualMFADevice',
        rootVirtualDevice,
        THROUGH_CONSOLE,
      ),
      'failed attempt': iam('DeactivateMFADevice', rootDevice, {
        errorCode: 'AccessDenied',
        errorMessage: 'Access denied by a service control policy',
      }),
    }),
    ...ignores({
      'enrolling an MFA device': iam('EnableMFADevice', rootDevice),
      'MFA device enrolled through the console': iam(
        'EnableMFADevice',
        rootDevice,
        THROUGH_CONSOLE,
      ),
      'listing MFA devices': iam('ListMFADevices', null, READ_ONLY),
    }),
  ],
};
