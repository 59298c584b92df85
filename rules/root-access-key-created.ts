import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import { rootIamCall as iam, READ_ONLY, THROUGH_CONSOLE } from './cases.js';
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

/** A request making an access key active or inactive (root's own, unless it names a user). */
const keyMade = (status: string) => ({ accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status });

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
    ...matches({
      'requestParameters null': iam('CreateAccessKey', null, { responseElements: createdKey }),
      'root named as IAM names it in its own credential calls': iam('CreateAccessKey', {
        userName: ROOT_USER_NAME,
      }),
      'requestParameters absent': iam('CreateAccessKey', null, { requestParameters: undefined }),
      'requestParameters empty': iam('CreateAccessKey', {}),
      'failed attempt (root already has two keys)': iam('CreateAccessKey', null, {
        errorCode: 'LimitExceededException',
        errorMessage: 'Cannot exceed quota for AccessKeysPerUser: 2',
      }),
      're-activating a root key': iam('UpdateAccessKey', keyMade('Active')),
      "created through the console's security credentials page": iam('CreateAccessKey', null, {
        ...THROUGH_CONSOLE,
        responseElements: createdKey,
      }),
      're-activated through the console': iam(
        'UpdateAccessKey',
        keyMade('Active'),
        THROUGH_CONSOLE,
      ),
    }),
    ...ignores({
      'root creating a key for an IAM user through the console': iam(
        'CreateAccessKey',
        { userName: 'alice' },
        THROUGH_CONSOLE,
      ),
      'root creating a key for an IAM user': iam('CreateAccessKey', { userName: 'alice' }),
      'deactivating a root key': iam('UpdateAccessKey', keyMade('Inactive')),
      're-activating an IAM user key': iam('UpdateAccessKey', {
        userName: 'alice',
        ...keyMade('Active'),
      }),
      'another IAM call': iam('ListAccessKeys', null, READ_ONLY),
    }),
  ],
};
