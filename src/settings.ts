import type { MonitorResources } from './engine/rule.js';
import { RootMonitorError } from './errors.js';
import {
  FIRST_SEEN_BOUNDS,
  FIRST_SEEN_DEFAULTS,
  type FirstSeenSettings,
} from './first-seen/first-seen-settings.js';

/** Where a function's messages go and where it claims them: what every sender of alerts reads. */
export interface AlertingSettings {
  topicArn: string;
  /**
   * A second topic, encrypted with another key, for alerts SNS refuses on `topicArn` because
   * that topic is unusable (its key disabled or deleted, the topic gone); none when absent.
   */
  fallbackTopicArn?: string | undefined;
  dedupTableName: string;
  /**
   * The event bus each alert and digest is also put on, after SNS has taken it (the account's
   * default bus, unless ALERT_EVENTS is `false`); none when absent.
   */
  alertEventBus?: string | undefined;
}

/** The Lambda's configuration, read from its environment once at init. */
export interface Settings extends AlertingSettings {
  /** A parameter name, or a path ending in `/` whose parameters are merged. */
  configParameter: string;
  configMaxAgeSeconds: number;
  /**
   * How long SSM may go unread, the last good documents staying in force, before a
   * configuration alert says so.
   */
  configStaleAlarmSeconds: number;
  forensicsBucket: string | undefined;
  /** The KMS key snapshots are encrypted with; without it S3 uses the AWS managed aws/s3 key. */
  forensicsKmsKeyId: string | undefined;
  /** The monitor's own resources: root touching them is audit tampering. */
  monitor: MonitorResources;
  /** Whether each alert is also imported into Security Hub as a finding (default: no). */
  securityHubFindings?: boolean;
  /** How long root's sources are remembered and learnt first; the defaults when absent. */
  firstSeen?: FirstSeenSettings;
}

/** Raised at init when the environment is incomplete; the message names the variable. */
export class SettingsError extends RootMonitorError {
  override name = 'SettingsError';
}

export const required = (env: NodeJS.ProcessEnv, name: string, what: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new SettingsError(`Missing required environment variable ${name} (${what})`);
  return value;
};

export const optional = (env: NodeJS.ProcessEnv, name: string): string | undefined =>
  env[name]?.trim() || undefined;

/** A comma-separated list, blanks dropped; undefined when nothing is left. */
export const optionalList = (env: NodeJS.ProcessEnv, name: string): string[] | undefined => {
  const items = (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
};

const positiveSeconds = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new SettingsError(
      `${name} must be a whole number of seconds, got ${JSON.stringify(text)}`,
    );
  }
  return seconds;
};

/**
 * FIRST_SEEN_DAYS: `DAYS/LEARNING_DAYS` (`90/7`), the days sources are remembered and the days
 * a new deployment learns them first, one setting for Lambda's 4 KB; unset or blank gives the
 * defaults.
 *
 * @throws SettingsError naming the variable, the form and bounds it takes, and the value given
 */
const firstSeenSettings = (env: NodeJS.ProcessEnv): FirstSeenSettings => {
  const text = env.FIRST_SEEN_DAYS?.trim();
  if (!text) return FIRST_SEEN_DEFAULTS;
  const [days = Number.NaN, learningDays = Number.NaN] = /^\d{1,5}\/\d{1,5}$/.test(text)
    ? text.split('/').map(Number)
    : [];
  const { days: remembered, learningDays: learning } = FIRST_SEEN_BOUNDS;
  if (
    !(days >= remembered.min && days <= remembered.max) ||
    !(learningDays >= learning.min && learningDays <= learning.max)
  ) {
    throw new SettingsError(
      `FIRST_SEEN_DAYS must be DAYS/LEARNING_DAYS, such as ${FIRST_SEEN_DEFAULTS.days}/${FIRST_SEEN_DEFAULTS.learningDays}: whole days to remember each source root used (${remembered.min} to ${remembered.max}), then whole days a new deployment learns them first (${learning.min} to ${learning.max}); got ${JSON.stringify(text)}`,
    );
  }
  return { days, learningDays };
};

/**
 * `true` or `false`; unset or blank is `fallback`. Anything else is refused, naming the variable.
 */
const flag = (env: NodeJS.ProcessEnv, name: string, fallback = false): boolean => {
  const text = env[name]?.trim() ?? '';
  if (text === '') return fallback;
  if (text === 'false') return false;
  if (text === 'true') return true;
  throw new SettingsError(`${name} must be true or false, got ${JSON.stringify(text)}`);
};

/** The account's default event bus: the only one the template lets the functions put events on. */
const DEFAULT_EVENT_BUS = 'default';

const DEFAULT_CONFIG_MAX_AGE_SECONDS = 60;
const DEFAULT_CONFIG_STALE_ALARM_SECONDS = 900;

/** The topics and the dedup table, as every function that sends alerts is given them. */
export const readAlertingSettings = (env: NodeJS.ProcessEnv): AlertingSettings => ({
  topicArn: required(env, 'ALERT_TOPIC_ARN', 'the SNS topic alerts are published to'),
  fallbackTopicArn: optional(env, 'FALLBACK_TOPIC_ARN'),
  dedupTableName: required(env, 'DEDUP_TABLE_NAME', 'the DynamoDB dedup table'),
  alertEventBus: flag(env, 'ALERT_EVENTS', true) ? DEFAULT_EVENT_BUS : undefined,
});

export const readSettings = (env: NodeJS.ProcessEnv): Settings => {
  const alerting = readAlertingSettings(env);
  const configParameter = required(
    env,
    'CONFIG_PARAMETER',
    'the SSM parameter, or path ending in /, holding the configuration document',
  );
  return {
    ...alerting,
    configParameter,
    configMaxAgeSeconds: positiveSeconds(
      env,
      'CONFIG_MAX_AGE_SECONDS',
      DEFAULT_CONFIG_MAX_AGE_SECONDS,
    ),
    configStaleAlarmSeconds: positiveSeconds(
      env,
      'CONFIG_STALE_ALARM_SECONDS',
      DEFAULT_CONFIG_STALE_ALARM_SECONDS,
    ),
    forensicsBucket: optional(env, 'FORENSICS_BUCKET'),
    forensicsKmsKeyId: optional(env, 'FORENSICS_KMS_KEY_ID'),
    monitor: monitorResourcesOf(env),
    securityHubFindings: flag(env, 'SECURITY_HUB_FINDINGS'),
    firstSeen: firstSeenSettings(env),
  };
};

/**
 * The shapes a list of the monitor's resources accepts, each entry checked: an entry that cannot
 * name such a resource (a function ARN among the roles, say) would watch nothing, silently.
 */
const FUNCTION_REFERENCE =
  /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_$-]{1,128})?$/;
const ROLE_REFERENCE =
  /^(?:arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?)?[\w+=,.@-]{1,64}$/;
const RULE_REFERENCE =
  /^(?:arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/(?:[.\-_A-Za-z0-9]+\/)?)?[.\-_A-Za-z0-9]{1,64}$/;
const LOG_GROUP_REFERENCE = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const ALARM_REFERENCE = /^[^,\s][^,]{0,254}$/;
const QUEUE_REFERENCE =
  /^(?:arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(?:\.fifo)?|https?:\/\/[^/\s]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/**
 * A comma-separated list of resource names or ARNs, blanks dropped (a template condition may
 * leave one), every other entry of the given shape; undefined when nothing is left.
 *
 * @throws SettingsError naming the variable and the entry that is not a `what`
 */
const resourceList = (
  env: NodeJS.ProcessEnv,
  name: string,
  what: string,
  shape: RegExp,
): string[] | undefined => {
  const items = optionalList(env, name);
  const bad = items?.find((item) => !shape.test(item));
  if (bad !== undefined) {
    throw new SettingsError(
      `${name} lists ${JSON.stringify(bad)}, which is not ${what}; give a comma-separated list of them`,
    );
  }
  return items;
};

/**
 * Every function of the monitor: the one running (Lambda sets AWS_LAMBDA_FUNCTION_NAME, and replay
 * reads it from the file) and those MONITOR_FUNCTION_NAMES lists, each named once.
 */
const functionNamesOf = (env: NodeJS.ProcessEnv): string[] | undefined => {
  const running = optional(env, 'AWS_LAMBDA_FUNCTION_NAME');
  const listed =
    resourceList(
      env,
      'MONITOR_FUNCTION_NAMES',
      'a Lambda function name or ARN',
      FUNCTION_REFERENCE,
    ) ?? [];
  const names = [...new Set([...(running === undefined ? [] : [running]), ...listed])];
  return names.length > 0 ? names : undefined;
};

/**
 * The monitor's own resources as the Lambda's environment names them, each undefined when its
 * variable is missing or blank. The Lambda and replay both read them here, so that replay given
 * the same variables treats root touching those resources exactly as the Lambda does.
 *
 * @throws SettingsError when a list names something that is not of its kind
 */
export const monitorResourcesOf = (env: NodeJS.ProcessEnv): MonitorResources => ({
  configParameter: optional(env, 'CONFIG_PARAMETER'),
  topicArn: optional(env, 'ALERT_TOPIC_ARN'),
  fallbackTopicArn: optional(env, 'FALLBACK_TOPIC_ARN'),
  dedupTableName: optional(env, 'DEDUP_TABLE_NAME'),
  functionNames: functionNamesOf(env),
  alertKeyArn: optional(env, 'ALERT_KEY_ARN'),
  roleArns: resourceList(env, 'MONITOR_ROLE_ARNS', 'an IAM role name or ARN', ROLE_REFERENCE),
  queueArns: resourceList(env, 'MONITOR_QUEUE_ARNS', 'an SQS queue ARN or URL', QUEUE_REFERENCE),
  ruleNames: resourceList(
    env,
    'MONITOR_RULE_NAMES',
    'an EventBridge rule name or ARN',
    RULE_REFERENCE,
  ),
  stackName: optional(env, 'MONITOR_STACK_NAME'),
  trailBucket: optional(env, 'MONITOR_TRAIL_BUCKET'),
  logGroupNames: resourceList(
    env,
    'MONITOR_LOG_GROUP_NAMES',
    'a CloudWatch Logs log group name',
    LOG_GROUP_REFERENCE,
  ),
  alarmNames: resourceList(env, 'MONITOR_ALARM_NAMES', 'a CloudWatch alarm name', ALARM_REFERENCE),
});
