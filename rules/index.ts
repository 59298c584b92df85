import type { Rule } from '../src/engine/rule.js';
import { monitorChanged } from './monitor-changed.js';
import { monitorChangedByCloudFormation, monitorStackChanged } from './monitor-stack-changed.js';
import { rootAccessKeyCreated } from './root-access-key-created.js';
import { rootActivity } from './root-activity.js';
import { rootAuditTampering } from './root-audit-tampering.js';
import { rootCentralAccessDisabled } from './root-central-access-disabled.js';
import { rootCentralAccessEnabled } from './root-central-access-enabled.js';
import { rootConsoleLogin } from './root-console-login.js';
import { rootConsoleLoginFailure } from './root-console-login-failure.js';
import { rootConsoleLoginWithoutMfa } from './root-console-login-without-mfa.js';
import { rootCredentialsChanged } from './root-credentials-changed.js';
import { rootIamPersistence } from './root-iam-persistence.js';
import { rootMfaRemoved } from './root-mfa-removed.js';
import { rootRecoveryChannelChanged } from './root-recovery-channel-changed.js';
import { rootSessionIssued } from './root-session-issued.js';
import { rootSessionOutsideTaskPolicy } from './root-session-outside-task-policy.js';

/**
 * Every rule, in priority order: when several match, the first one's runbook leads the alert.
 * `root-activity` is the fallback and stays last.
 */
export const CATALOG: readonly Rule[] = [
  rootConsoleLoginWithoutMfa,
  rootAccessKeyCreated,
  rootMfaRemoved,
  rootCredentialsChanged,
  rootRecoveryChannelChanged,
  rootAuditTampering,
  rootSessionOutsideTaskPolicy,
  rootIamPersistence,
  rootSessionIssued,
  rootCentralAccessDisabled,
  rootConsoleLogin,
  rootCentralAccessEnabled,
  rootConsoleLoginFailure,
  monitorChanged,
  monitorChangedByCloudFormation,
  monitorStackChanged,
  rootActivity,
];

const BY_ID = new Map(CATALOG.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined when the catalog has none. */
export const ruleById = (id: string): Rule | undefined => BY_ID.get(id);
