import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '111122223333';

let sequence = 0;

/** A CloudTrail record by root, shaped as CloudTrail writes it. */
export const rootRecord = (fields: Record<string, unknown> = {}): Record<string, unknown> => {
  sequence++;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAROOTEXAMPLE0001',
    },
    eventTime: '2026-10-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { maxResults: 5 },
    responseElements: null,
    requestID: `request-${sequence}`,
    eventID: `root-event-${sequence}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
};

/** A CloudTrail record by an IAM user: never root usage. */
export const userRecord = (fields: Record<string, unknown> = {}): Record<string, unknown> => {
  sequence++;
  return {
    ...rootRecord(),
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      userName: 'alice',
    },
    eventID: `user-event-${sequence}`,
    ...fields,
  };
};

/** The JSON of a CloudTrail log file, compact as CloudTrail writes it. */
export const logFile = (records: readonly Record<string, unknown>[]): string =>
  JSON.stringify({ Records: records });

/** An EventBridge event carrying `record`. */
export const eventBridgeEvent = (record: Record<string, unknown>): Record<string, unknown> => ({
  version: '0',
  id: `envelope-${String(record.eventID)}`,
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.ec2',
  account: ACCOUNT,
  time: record.eventTime,
  region: record.awsRegion,
  resources: [],
  detail: record,
});

export const temporaryDirectory = (): string => mkdtempSync(join(tmpdir(), 'root-monitor-cli-'));

/** Writes `content` under `root`, creating directories; `.gz` names are gzipped. */
export const writeFile = (root: string, path: string, content: string | Buffer): string => {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, path.endsWith('.gz') ? gzipSync(content) : content);
  return full;
};
