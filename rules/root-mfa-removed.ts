import type { Rule } from '../src/engine/rule.js';
import { rootConsoleRecord, rootRecord } from './cases.js';
import { ROOT_USER_NAME } from './root-itself.js';
import { incidentRunbook } from './runbook.js';

const MFA_REMOVAL = new Set(['DeactivateMFADevice', 'DeleteVirtualMFADevice']);

const rootDevice = 'arn:aws:iam::111122223333:mfa/root-account-mfa-device';

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
    {
      name: "deactivating root's MFA device",
      record: rootRecord({
        eventName: 'DeactivateMFADevice',
        requestParameters: { userName: ROOT_USER_NAME, serialNumber: rootDevice },
      }),
      expected: true,
    },
    {
      name: "deleting root's virtual MFA device",
      record: rootRecord({
        eventName: 'DeleteVirtualMFADevice',
        requestParameters: { serialNumber: rootDevice },
      }),
      expected: true,
    },
    {
      name: "root removing an IAM user's device",
      record: rootRecord({
        eventName: 'DeactivateMFADevice',
        requestParameters: {
          userName: 'alice',
          serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
        },
      }),
      expected: true,
    },
    {
      name: "root's MFA device deactivated through the console",
      record: rootConsoleRecord({
        eventName: 'DeactivateMFADevice',
        requestParameters: { userName: ROOT_USER_NAME, serialNumber: rootDevice },
      }),
      expected: true,
    },
    {
      name: "root's virtual MFA device deleted through the console",
      record: rootConsoleRecord({
        eventName: 'DeleteVirtualMFADevice',
        requestParameters: { serialNumber: rootDevice },
      }),
      expected: true,
    },
    {
      name: 'failed attempt',
      record: rootRecord({
        eventName: 'DeactivateMFADevice',
        requestParameters: { userName: ROOT_USER_NAME, serialNumber: rootDevice },
        errorCode: 'AccessDenied',
        errorMessage: 'Access denied by a service control policy',
      }),
      expected: true,
    },
    {
      name: 'enrolling an MFA device',
      record: rootRecord({
        eventName: 'EnableMFADevice',
        requestParameters: { userName: ROOT_USER_NAME, serialNumber: rootDevice },
      }),
      expected: false,
    },
    {
      name: 'MFA device enrolled through the console',
      record: rootConsoleRecord({
        eventName: 'EnableMFADevice',
        requestParameters: { userName: ROOT_USER_NAME, serialNumber: rootDevice },
      }),
      expected: false,
    },
    {
      name: 'listing MFA devices',
      record: rootRecord({ eventName: 'ListMFADevices', readOnly: true }),
      expected: false,
    },
  ],
};
