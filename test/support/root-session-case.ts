import type { RootSession } from '../../src/root-sessions/root-session.js';

/** The role whose session asks for the root session in `assumeRootRecord` (rules/cases.ts). */
export const OPENER_ROLE = 'arn:aws:iam::111122223333:role/RootTaskOperator';

/** The task policy that AssumeRoot scopes its root session to. */
export const UNLOCK_POLICY = 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy';

/** The root session that `assumeRootRecord` (AWS's example) opens, as the monitor reads it. */
export const EXAMPLE_ROOT_SESSION: RootSession = {
  accessKeyId: 'ASIAROOTSESSIONEXAMP',
  openedBy: 'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
  openedByRole: OPENER_ROLE,
  sourceIp: '192.0.2.1',
  targetAccount: '444455556666',
  taskPolicyArn: UNLOCK_POLICY,
  openedAt: Date.parse('2026-05-04T09:13:11Z'),
  expiresAt: Date.parse('2026-05-04T09:28:11Z'),
  eventId: '9e1a3c5e-7a9c-4e1a-8c5e-7a9c1e3a5c12',
  region: 'us-west-2',
};

/**
 * A configuration whose one entry allows the calls of root sessions that {@link OPENER_ROLE}
 * opens for {@link UNLOCK_POLICY}'s task: within the task the calls are allowlisted, outside it
 * they alert all the same.
 */
export const BUCKET_UNLOCK_CONFIG = {
  version: 1,
  allow: [
    {
      id: 'bucket-unlock-calls',
      reason: 'The security team unlocks bucket policies, runbook SEC-7',
      sessionPrincipalArns: [OPENER_ROLE],
      sessionTaskPolicyArns: [UNLOCK_POLICY],
    },
  ],
};
