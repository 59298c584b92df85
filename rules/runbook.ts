/**
 * Runbook steps shared by the rules. A step may use `{account}`, `{region}`, `{sourceIp}` and
 * `{lookupCommand}`; the alert fills them in (the last with the exact CLI command that lists the
 * account's root activity of the last 24 hours).
 */

const confirmWithOwner =
  'Ask the owner of account {account} whether this root activity was planned: who, why, and from {sourceIp}. If nobody planned it, treat it as an incident and carry on with every step below.';

const rotateRootCredentials =
  'Change the root password and re-register the root MFA device (sign in as root, Security credentials page). Check that no root access key exists: aws iam get-account-summary must show AccountAccessKeysPresent 0 and AccountMFAEnabled 1.';

const findWhatRootCreated =
  'Look for IAM users, roles and access keys created by root: in the activity below, look for CreateUser, CreateLoginProfile, CreateAccessKey, CreateRole, UpdateAssumeRolePolicy, AttachRolePolicy and PutRolePolicy, and check key ages with aws iam generate-credential-report, then aws iam get-credential-report --query Content --output text | base64 -d. Disable anything nobody can vouch for.';

export const reviewRootActivity = 'Review the last 24 h of root activity: {lookupCommand}';

export const escalate =
  'Escalate to the security incident lead with this alert as soon as any step above is unexplained; do not wait for business hours.';

/** The incident steps every root alert ends with, after the rule's own first steps. */
export const incidentRunbook = (...firstSteps: readonly string[]): readonly string[] => [
  ...firstSteps,
  confirmWithOwner,
  rotateRootCredentials,
  findWhatRootCreated,
  reviewRootActivity,
  escalate,
];
