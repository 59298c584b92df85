import type { Rule } from '../src/engine/rule.js';
import { matches } from './case-table.js';
import { rootConsoleRecord, rootRecord } from './cases.js';
import { incidentRunbook } from './runbook.js';

export const rootActivity: Rule = {
  id: 'root-activity',
  title: 'Root user activity',
  severity: 'HIGH',
  description:
    'Root made a call that no more specific rule covers; the engine consults this rule only when no other enabled rule matched. Root bypasses every IAM policy and is needed for very few tasks, so each use should be a known, scheduled one. Calls from one address are grouped into one alert.',
  runbook: incidentRunbook(
    'Read what root did in the event below: the call, whether it failed (errorCode) and whether it only read; then find the task that needed root, since only a short list of tasks does.',
  ),
  allowlistable: true,
  dedupBy: 'account-and-source-ip',
  // Every root use deserves an alert; the specific rules only sharpen it.
  match: () => true,
  tests: () => [
    ...matches({
      'root write call': rootRecord({
        eventSource: 'ec2.amazonaws.com',
        eventName: 'RunInstances',
        awsRegion: 'eu-west-1',
        requestParameters: { instanceType: 'p5.48xlarge' },
      }),
      'read-only root call': rootRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListBuckets',
        readOnly: true,
      }),
      'failed root call': rootRecord({
        eventName: 'CreateUser',
        requestParameters: { userName: 'backdoor' },
        errorCode: 'AccessDenied',
        errorMessage: 'User: arn:aws:iam::111122223333:root is not authorized',
      }),
      'centralized-root session': rootRecord({
        userIdentity: {
          type: 'Root',
          principalId: '111122223333',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
          accessKeyId: 'ASIAY34FZKBOKMUTVV7A',
          assumedRoot: 'true',
        },
        eventSource: 's3.amazonaws.com',
        eventName: 'DeleteBucketPolicy',
        requestParameters: { bucketName: 'locked-out-bucket' },
      }),
      'EC2 instances described through the console': rootConsoleRecord({
        eventSource: 'ec2.amazonaws.com',
        eventName: 'DescribeInstances',
        awsRegion: 'eu-central-1',
        readOnly: true,
      }),
    }),
  ],
};
