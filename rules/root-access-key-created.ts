import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { rootConsoleRecord, rootRecord } from './cases.js';
import { onRootItself, ROOT_USER_NAME } from './root-itself.js';
import { incidentRunbook } from './runbook.js';

const createsRootKey = (event: TrailEvent): boolean =>
  event.eventName === 'CreateAccessKey' && onRootItself(event);

// Re-activating a dormant root key gives the same standing credential as creating one.
const activatesRootKey = (event: TrailEvent): boolean => {
  const status = event.requestParameters?.status;
  return (
    event.eventName === 'UpdateAccessKey' &&
    typeof status === 'string' &&
    status.toLowerCase() === 'active' &&
    onRootItself(event)
  );
};

const createdKey = {
  accessKey: {
    accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
    status: 'Active',
    createDate: 'Mar 14, 2026, 2:51:07 AM',
  },
};

export const rootAccessKeyCreated: Rule = {
  id: 'root-access-key-created',
  title: 'Root access key creation or activation',
  severity: 'CRITICAL',
  description:
    'Root created (or re-activated) an access key for itself: a long-lived credential with unlimited power that works without MFA. Failed attempts match too, since the attempt is the warning.',
  runbook: incidentRunbook(
    'Deactivate and delete the root access key now: sign in as root, open Security credentials > Access keys, deactivate the key, then delete it (with the key itself: aws iam update-access-key --access-key-id <id> --status Inactive, then aws iam delete-access-key --access-key-id <id>).',
    'Search the activity below for calls made with that access key ID: anything it did was done as root.',
  ),
  allowlistable: false,
  dedupBy: 'event',
  match: (event) =>
    event.eventSource === 'iam.amazonaws.com' && (createsRootKey(event) || activatesRootKey(event)),
  tests: () => [
    {
      name: 'requestParameters null',
      record: rootRecord({ eventName: 'CreateAccessKey', responseElements: createdKey }),
      expected: true,
    },
    {
      name: 'root named as IAM names it in its own credential calls',
      record: rootRecord({
        eventName: 'CreateAccessKey',
        requestParameters: { userName: ROOT_USER_NAME },
      }),
      expected: true,
    },
    {
      name: 'requestParameters absent',
      record: rootRecord({ eventName: 'CreateAccessKey', requestParameters: undefined }),
      expected: true,
    },
    {
      name: 'requestParameters empty',
      record: rootRecord({ eventName: 'CreateAccessKey', requestParameters: {} }),
      expected: true,
    },
    {
      name: 'failed attempt (root already has two keys)',
      record: rootRecord({
        eventName: 'CreateAccessKey',
        errorCode: 'LimitExceededException',
        errorMessage: 'Cannot exceed quota for AccessKeysPerUser: 2',
      }),
      expected: true,
    },
    {
      name: 're-activating a root key',
      record: rootRecord({
        eventName: 'UpdateAccessKey',
        requestParameters: { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status: 'Active' },
      }),
      expected: true,
    },
    {
      name: "created through the console's security credentials page",
      record: rootConsoleRecord({ eventName: 'CreateAccessKey', responseElements: createdKey }),
      expected: true,
    },
    {
      name: 're-activated through the console',
      record: rootConsoleRecord({
        eventName: 'UpdateAccessKey',
        requestParameters: { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status: 'Active' },
      }),
      expected: true,
    },
    {
      name: 'root creating a key for an IAM user through the console',
      record: rootConsoleRecord({
        eventName: 'CreateAccessKey',
        requestParameters: { userName: 'alice' },
      }),
      expected: false,
    },
    {
      name: 'root creating a key for an IAM user',
      record: rootRecord({
        eventName: 'CreateAccessKey',
        requestParameters: { userName: 'alice' },
      }),
      expected: false,
    },
    {
      name: 'deactivating a root key',
      record: rootRecord({
        eventName: 'UpdateAccessKey',
        requestParameters: { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status: 'Inactive' },
      }),
      expected: false,
    },
    {
      name: 're-activating an IAM user key',
      record: rootRecord({
        eventName: 'UpdateAccessKey',
        requestParameters: {
          userName: 'alice',
          accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
          status: 'Active',
        },
      }),
      expected: false,
    },
    {
      name: 'another IAM call',
      record: rootRecord({ eventName: 'ListAccessKeys', readOnly: true }),
      expected: false,
    },
  ],
};
