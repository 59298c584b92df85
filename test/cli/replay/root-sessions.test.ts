import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeRootRecord, MEMBER_ACCOUNT, rootSessionCallRecord } from '../../../rules/cases.js';
import {
  BUCKET_UNLOCK_CONFIG,
  OPENER_ROLE,
  UNLOCK_POLICY,
} from '../../support/root-session-case.js';
import { runCli } from '../run-cli.js';
import { logFile, temporaryDirectory, writeFile } from '../trail-files.js';

const MANAGEMENT = 'AWSLogs/o-aa111bb222/111122223333/CloudTrail/us-west-2/2026/05/04';
const MEMBER = `AWSLogs/o-aa111bb222/${MEMBER_ACCOUNT}/CloudTrail/us-west-2/2026/05/04`;

/**
 * An organization's archive, read in path order: the management account's trail holds the
 * sts:AssumeRoot, the member account's the calls its session made there, one of them refused
 * because the task policy does not allow it, and a call of another session whose AssumeRoot the
 * archive lacks.
 */
const calls = {
  unlock: rootSessionCallRecord({ eventID: 'unlock' }),
  refused: rootSessionCallRecord({
    eventID: 'refused',
    eventTime: '2026-05-04T09:15:30Z',
    eventName: 'DeleteBucket',
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized to perform: s3:DeleteBucket with an explicit deny',
  }),
  stranger: rootSessionCallRecord({
    eventID: 'stranger',
    eventTime: '2026-05-04T09:20:00Z',
    sourceIPAddress: '203.0.113.99',
    userIdentity: {
      type: 'Root',
      arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
      accountId: MEMBER_ACCOUNT,
      accessKeyId: 'ASIASTRANGERSESSION1',
      assumedRoot: 'true',
    },
  }),
};

let root = '';
let config = '';
beforeAll(() => {
  root = temporaryDirectory();
  writeFile(root, `${MANAGEMENT}/mgmt.json`, logFile([assumeRootRecord()]));
  writeFile(root, `${MEMBER}/member.json`, logFile([calls.stranger, calls.refused, calls.unlock]));
  config = join(root, 'config.json');
  writeFileSync(config, JSON.stringify(BUCKET_UNLOCK_CONFIG));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

describe('replay of root sessions', () => {
  it("joins each member-account call with the AssumeRoot earlier in the archive, allowlists the session's task, and alerts the call outside it", async () => {
    const { status, stdout } = await runCli([
      'replay',
      '--format',
      'json',
      '--config',
      config,
      root,
    ]);

    expect(status).toBe(0);
    const session = {
      rootSession: 'seen',
      sessionAccessKeyId: 'ASIAROOTSESSIONEXAMP',
      sessionOpenedBy: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
      sessionOpenedByRole: OPENER_ROLE,
      sessionSourceIp: '192.0.2.1',
      sessionTaskPolicy: UNLOCK_POLICY,
      sessionOpenedAt: '2026-05-04T09:13:11.000Z',
      sessionExpiresAt: '2026-05-04T09:28:11.000Z',
      sessionAssumeRootEventId: '9e1a3c5e-7a9c-4e1a-8c5e-7a9c1e3a5c12',
      sessionAssumeRootRegion: 'us-west-2',
    };
    expect(jsonLines(stdout)).toEqual([
      expect.objectContaining({ eventName: 'AssumeRoot', ruleIds: ['root-session-issued'] }),
      // A log file's records in event-time order.
      expect.objectContaining({
        eventId: 'unlock',
        decision: 'allowlisted',
        allowlistEntry: 'bucket-unlock-calls',
        ...session,
        taskPolicyCheck: 'within',
      }),
      expect.objectContaining({
        eventId: 'refused',
        decision: 'alert',
        severity: 'HIGH',
        ruleIds: ['root-session-outside-task-policy'],
        allowlistEntry: 'bucket-unlock-calls',
        ...session,
        taskPolicyCheck: 'outside',
      }),
      expect.objectContaining({
        eventId: 'stranger',
        decision: 'alert',
        ruleIds: ['root-activity'],
        rootSession: 'unseen',
        sessionAccessKeyId: 'ASIASTRANGERSESSION1',
      }),
    ]);
    const stranger = jsonLines(stdout).at(-1) ?? {};
    expect('sessionOpenedBy' in stranger).toBe(false);
  });

  it('says in the table whose session each call was, and which had no AssumeRoot seen', async () => {
    const { stdout } = await runCli(['replay', '--config', config, root]);
    const lineOf = (eventId: string) => stdout.split('\n').find((line) => line.includes(eventId));

    expect(lineOf('unlock')).toMatch(
      /allowlisted .* entry bucket-unlock-calls {2}session of arn:aws:sts::111122223333:assumed-role\/RootTaskOperator\/alice \(S3UnlockBucketPolicy\)$/,
    );
    expect(lineOf('refused')).toMatch(
      /root-session-outside-task-policy .* \(S3UnlockBucketPolicy\), outside its task policy$/,
    );
    expect(lineOf('stranger')).toMatch(/root session, no AssumeRoot seen$/);
  });

  it('prints in the email who opened the session, from where, with which task policy and when', async () => {
    const { stdout } = await runCli(['replay', '--format', 'email', '--config', config, root]);

    expect(stdout).toContain(
      'Root session:     opened by arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice (role arn:aws:iam::111122223333:role/RootTaskOperator) from 192.0.2.1 with task policy S3UnlockBucketPolicy at 2026-05-04T09:13:11Z (UTC), expiring 2026-05-04T09:28:11Z; sts:AssumeRoot event 9e1a3c5e-7a9c-4e1a-8c5e-7a9c1e3a5c12 in us-west-2',
    );
    expect(stdout).toContain(
      'Task policy:      OUTSIDE the task policy S3UnlockBucketPolicy: it does not allow s3.amazonaws.com DeleteBucket (AWS refused it; the attempt still counts)',
    );
    expect(stdout).toContain(
      'Root session:     a root session opened by sts:AssumeRoot, but no AssumeRoot for its access key was seen',
    );
    expect(stdout).toMatch(
      /^allowlisted +2026-05-04T09:14:02Z {2}DeleteBucketPolicy .* allowlist entry "bucket-unlock-calls" {2}session of /m,
    );
  });

  it('escapes what the AssumeRoot record says of its caller wherever it is shown', async () => {
    const hostile = temporaryDirectory();
    try {
      const forged = assumeRootRecord({
        sourceIPAddress: '192.0.2.1\n\u202eCRITICAL: all clear',
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111122223333:assumed-role/Ops/\u001b[2J\nalice',
          accountId: '111122223333',
        },
      });
      writeFile(hostile, `${MANAGEMENT}/mgmt.json`, logFile([forged]));
      writeFile(hostile, `${MEMBER}/member.json`, logFile([calls.refused]));

      const [text, email, json] = await Promise.all([
        runCli(['replay', hostile]),
        runCli(['replay', '--format', 'email', hostile]),
        runCli(['replay', '--format', 'json', hostile]),
      ]);
      for (const { stdout } of [text, email, json]) {
        expect(stdout).not.toContain('\u202e');
        expect(stdout).not.toContain('\u001b');
        expect(stdout).not.toMatch(/\nalice/);
        expect(stdout).not.toMatch(/\nCRITICAL: all clear/);
      }
      expect(email.stdout).toContain(
        'from 192.0.2.1\\n\\u202eCRITICAL: all clear with task policy',
      );
      expect(jsonLines(json.stdout)[1]).toMatchObject({
        sessionSourceIp: '192.0.2.1\n\u202eCRITICAL: all clear',
      });
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  it("cannot join a call read before its session's AssumeRoot, and says that none was seen", async () => {
    const reversed = temporaryDirectory();
    try {
      // The member account's folder sorts first: its calls come before the AssumeRoot.
      writeFile(reversed, 'a/member.json', logFile([calls.unlock]));
      writeFile(reversed, 'b/mgmt.json', logFile([assumeRootRecord()]));
      const { stdout } = await runCli(['replay', '--format', 'json', '--config', config, reversed]);
      expect(jsonLines(stdout)[0]).toMatchObject({
        eventId: 'unlock',
        decision: 'alert',
        rootSession: 'unseen',
      });
    } finally {
      rmSync(reversed, { recursive: true, force: true });
    }
  });
});
