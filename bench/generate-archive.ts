/**
 * Writes a deterministic synthetic CloudTrail archive laid out as CloudTrail writes to S3:
 * `DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<n>.json.gz`.
 * Mostly other identities (assumed roles, IAM users, AWS services acting for someone), with a
 * root call every ROOT_EVERY records (997 by default). Records are 3 seconds apart from
 * 2026-10-01T00:00:00Z, files rotate across three Regions. The same arguments give the same
 * archive byte for byte. Prints the number of records written.
 *
 * usage: node --import tsx bench/generate-archive.ts DIR FILES RECORDS_PER_FILE [ROOT_EVERY]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const CALLS = [
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['s3.amazonaws.com', 'GetObject', true],
  ['iam.amazonaws.com', 'ListRoles', true],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['sts.amazonaws.com', 'AssumeRole', false],
  ['lambda.amazonaws.com', 'UpdateFunctionCode', false],
  ['dynamodb.amazonaws.com', 'PutItem', false],
  ['ssm.amazonaws.com', 'GetParameter', true],
] as const;
const USER_AGENTS = [
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
  'Boto3/1.34.0 md/Botocore#1.34.0',
  'aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20',
  'console.amazonaws.com',
] as const;
const START = Date.UTC(2026, 9, 1);
const SEED = 248;

/** sfc32: small, fast, and the same sequence on every platform for the same seed. */
const randomSource = (seed: number) => {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next32();
  return {
    /** [0, 1) */
    random: (): number => next32() / 2 ** 32,
    /** [low, high], both included */
    integer: (low: number, high: number): number =>
      low + Math.floor((next32() / 2 ** 32) * (high - low + 1)),
    pick: <T>(values: readonly T[]): T =>
      values[Math.floor((next32() / 2 ** 32) * values.length)] as T,
    /** 128 random bits in UUID notation (no version bits, like Python's uuid.UUID(int=...)). */
    uuid: (): string => {
      const hex = [next32(), next32(), next32(), next32()]
        .map((word) => word.toString(16).padStart(8, '0'))
        .join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
};

/** `2026-10-01T00:00:03Z`: CloudTrail writes whole seconds. */
const cloudTrailTime = (time: Date): string => `${time.toISOString().slice(0, 19)}Z`;

const identityFor = (kind: number, isRoot: boolean, time: Date): Record<string, unknown> => {
  if (isRoot) {
    return {
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAROOTEXAMPLE0001',
    };
  }
  if (kind < 0.55) {
    return {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:ci-session',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci-session`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${ACCOUNT}:role/deploy`,
          accountId: ACCOUNT,
          userName: 'deploy',
        },
        attributes: { creationDate: cloudTrailTime(time), mfaAuthenticated: 'false' },
      },
    };
  }
  if (kind < 0.85) {
    return {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    };
  }
  return { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' };
};

export const generateArchive = (
  directory: string,
  files: number,
  recordsPerFile: number,
  rootEvery = 997,
): number => {
  const random = randomSource(SEED);
  let written = 0;
  for (let file = 0; file < files; file++) {
    const region = REGIONS[file % REGIONS.length] as string;
    const records: Record<string, unknown>[] = [];
    let time = new Date(START);
    for (let i = 0; i < recordsPerFile; i++) {
      written++;
      time = new Date(START + written * 3000);
      const [source, name, readOnly] = random.pick(CALLS);
      const kind = random.random();
      records.push({
        eventVersion: '1.09',
        userIdentity: identityFor(kind, written % rootEvery === 0, time),
        eventTime: cloudTrailTime(time),
        eventSource: source,
        eventName: name,
        awsRegion: region,
        sourceIPAddress: `198.51.100.${random.integer(1, 254)}`,
        userAgent: random.pick(USER_AGENTS),
        requestParameters: {
          maxResults: random.integer(1, 100),
          filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] },
        },
        responseElements: null,
        requestID: random.uuid(),
        eventID: random.uuid(),
        readOnly,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: ACCOUNT,
        eventCategory: 'Management',
        tlsDetails: {
          tlsVersion: 'TLSv1.3',
          cipherSuite: 'TLS_AES_128_GCM_SHA256',
          clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com`,
        },
      });
    }
    const stamp = time.toISOString();
    const day = join(
      directory,
      'AWSLogs',
      ACCOUNT,
      'CloudTrail',
      region,
      stamp.slice(0, 4),
      stamp.slice(5, 7),
      stamp.slice(8, 10),
    );
    mkdirSync(day, { recursive: true });
    const minute = `${stamp.slice(0, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}T${stamp.slice(11, 13)}${stamp.slice(14, 16)}Z`;
    const name = `${ACCOUNT}_CloudTrail_${region}_${minute}_${String(file).padStart(5, '0')}.json.gz`;
    writeFileSync(join(day, name), gzipSync(JSON.stringify({ Records: records }), { level: 9 }));
  }
  return written;
};

const wholeNumber = (text: string | undefined, what: string): number => {
  if (text === undefined || !/^[1-9]\d*$/.test(text)) {
    process.stderr.write(
      `generate-archive: ${what} must be a positive whole number, got ${JSON.stringify(text)}\n` +
        'usage: generate-archive DIR FILES RECORDS_PER_FILE [ROOT_EVERY]\n',
    );
    process.exit(2);
  }
  return Number(text);
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [directory, files, records, rootEvery] = process.argv.slice(2);
  if (directory === undefined) {
    process.stderr.write('usage: generate-archive DIR FILES RECORDS_PER_FILE [ROOT_EVERY]\n');
    process.exit(2);
  }
  const count = generateArchive(
    directory,
    wholeNumber(files, 'FILES'),
    wholeNumber(records, 'RECORDS_PER_FILE'),
    rootEvery === undefined ? 997 : wholeNumber(rootEvery, 'ROOT_EVERY'),
  );
  process.stdout.write(`${count}\n`);
}
