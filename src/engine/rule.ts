import type { CloudTrailRecord, TrailEvent } from '../intake/trail-event.js';
import type { RootSessionJoin } from '../root-sessions/session-join.js';
import type { Severity } from './severity.js';

/**
 * The names of the monitor's own resources. Root changing any of them is audit tampering:
 * without this, root could quietly allowlist itself or cut the alert path.
 */
export interface MonitorResources {
  /** The configuration parameter name, or the path prefix ending in `/`. */
  configParameter?: string;
  /** The topic the function publishes alerts to. */
  topicArn?: string;
  /**
   * The second topic: the stack's alarms publish there, and the function when the first topic
   * refuses a message. Root deleting it, or changing its policy or subscriptions, silences the
   * alarms and the fallback.
   */
  fallbackTopicArn?: string;
  dedupTableName?: string;
  /**
   * Every function of the monitor, by name or ARN: the real-time function, the trail-file
   * backstop and the health check. Deleting one, throttling it to zero or changing its code,
   * configuration or permissions silences that path without a trace in the others.
   */
  functionNames?: readonly string[];
  /**
   * The customer managed KMS key (key ARN or key id) that encrypts the fallback topic, which
   * the CloudWatch alarms publish to, and the forensics snapshots. Disabling, deleting or
   * re-policying it silences the alarms while both topics are untouched.
   */
  alertKeyArn?: string;
  /**
   * The execution role of every function of the monitor (ARN or name). A Deny policy, a tighter
   * boundary, a detached policy, a new trust policy or a deleted role stops a function from
   * reading its configuration, its log files or its checks, or from publishing, without a
   * single change to the function.
   */
  roleArns?: readonly string[];
  /**
   * The queues that keep what could not be delivered: the function's on-failure queue (alerts
   * that failed every retry) and the rule's dead-letter queue (events EventBridge could not
   * hand over). Purging or deleting one erases the only copy of a lost alert.
   */
  queueArns?: readonly string[];
  /**
   * Every EventBridge rule of the monitor, by name: the root-usage rule, the guard's rules and
   * the schedules, and for the guard the rules that page PagerDuty. A narrowed pattern, a
   * constant target input or a disabled rule blinds a path.
   */
  ruleNames?: readonly string[];
  /**
   * The monitor's CloudFormation stack: an update or a delete replaces or removes every part.
   * Its alarms, and the connections and API destinations that page, are named after it.
   */
  stackName?: string;
  /** The functions' log groups: the metric filters that alarm on ROOT_ACCOUNT_USAGE read them. */
  logGroupNames?: readonly string[];
  /** The stack's CloudWatch alarms: the second path to a person. */
  alarmNames?: readonly string[];
  /** The trail's bucket, when the backstop reads it: its notification and policy feed the backstop. */
  trailBucket?: string;
}

export interface RuleContext {
  monitor: MonitorResources;
  /**
   * The centralized-root session the event belongs to, as the pipeline joined it (see
   * `joinSession`); absent for an event of no such session, or where nothing joins.
   */
  rootSession?: RootSessionJoin | undefined;
}

/**
 * How repeated alerts for a rule are collapsed.
 * - `event`: every event alerts once (a redelivered eventID does not alert again).
 * - `account-and-source-ip`: events sharing account and source IP within the dedup window
 *   give one alert; the next alert reports how many were suppressed.
 * - `account-and-principal`: likewise for events by one principal (its ARN), wherever it calls
 *   from: a person changing the monitor from the console and a script alike.
 */
export type DedupBy = 'event' | 'account-and-source-ip' | 'account-and-principal';

/** An inline test case: a CloudTrail record (not an envelope) and whether the rule matches it. */
export interface RuleCase {
  name: string;
  record: CloudTrailRecord;
  expected: boolean;
  context?: RuleContext;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  /**
   * What the person on call does now, in order. The alert fills in `{account}`, `{region}`,
   * `{sourceIp}` and `{lookupCommand}` (the CLI command listing the last 24 h of root activity).
   */
  runbook: readonly string[];
  /** False for rules no allowlist entry can silence (a matching entry is named, not obeyed). */
  allowlistable: boolean;
  dedupBy: DedupBy;
  /**
   * The first part of the dedup key, when it is not the rule's id: rules that share it collapse
   * into one window, whichever opened it.
   */
  dedupGroup?: string;
  /**
   * The rule's collapse window when the document does not set the rule's own: for a rule whose
   * events come over a longer time than the document-wide window (a stack update).
   */
  dedupMinutes?: number;
  /**
   * `any` for a rule that judges the calls of every identity, root or not (changes to the monitor
   * itself); by default a rule sees root usage alone (see `rootUsage`).
   */
  identities?: 'any';
  /**
   * Whether its alert goes to the alarm topic too, not only when the alert topic refuses it: a
   * change to an alert path (a topic, a subscription, a key) may be the one that silences it.
   */
  alsoToAlarmTopic?(event: TrailEvent): boolean;
  /**
   * Only ever called with root usage (see `rootUsage`), whose caller is not always root: a rule
   * that matches a call any identity can make says which callers it means.
   */
  match(event: TrailEvent, context: RuleContext): boolean;
  /**
   * The rule's cases, built when asked for: the Lambda loads every rule at cold start and never
   * runs them, and building a hundred CloudTrail records would sit on the paging path.
   */
  tests(): readonly RuleCase[];
}

/**
 * The rule that matches root usage no other enabled rule matches, so that no root call goes
 * unseen. It can be re-tuned or allowlisted, never disabled.
 */
export const FALLBACK_RULE_ID = 'root-activity';
