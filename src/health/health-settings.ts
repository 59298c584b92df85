import { optional, optionalList, required, SettingsError } from '../settings.js';

/** What the health checks look at, read from the health-check function's environment. */
export interface HealthSettings {
  /** The monitor's Region, taken from the function's ARN: the checks look there, wherever they run. */
  homeRegion: string;
  /** The monitor's default bus, which every other Region's forwarder targets. */
  homeBusArn: string;
  functionArn: string;
  ruleName: string;
  /** Where health alerts go; its subscribers are checked. */
  topicArn: string;
  /** Where an alert goes when the alert topic refuses it; its subscribers are checked too. */
  fallbackTopicArn: string | undefined;
  /** The queues of undelivered root events. */
  queueArns: readonly string[];
  /** The monitor's dedup table: counted events wait there for their window's digest. */
  dedupTableName: string;
  configParameter: string;
  /** Regions deliberately left without a forwarder. */
  excludedRegions: readonly string[];
  /** The monitor's CloudFormation stack: what the checks compare the running resources with. */
  stackName: string;
  /**
   * Filter policies the operator chose for subscriptions the stack does not make, keyed by the
   * subscription's endpoint or ARN.
   */
  declaredFilterPolicies: Readonly<Record<string, unknown>>;
  /**
   * The stack set that deploys the forwarders to the organization's accounts, when the
   * monitoring account administers it (or is its delegated administrator): the `accounts` check.
   */
  forwarderStackSet: { name: string; callAs: 'SELF' | 'DELEGATED_ADMIN' } | undefined;
}

const forwarderStackSet = (env: NodeJS.ProcessEnv): HealthSettings['forwarderStackSet'] => {
  const name = optional(env, 'FORWARDER_STACK_SET');
  if (name === undefined) return undefined;
  const callAs = optional(env, 'FORWARDER_STACK_SET_CALL_AS') ?? 'DELEGATED_ADMIN';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new SettingsError(
      `FORWARDER_STACK_SET_CALL_AS must be SELF or DELEGATED_ADMIN, got ${JSON.stringify(callAs)}`,
    );
  }
  return { name, callAs };
};

const declaredFilterPolicies = (env: NodeJS.ProcessEnv): Record<string, unknown> => {
  const text = optional(env, 'SUBSCRIPTION_FILTER_POLICIES');
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(
      `SUBSCRIPTION_FILTER_POLICIES must be JSON, an object of filter policies keyed by subscription endpoint or ARN: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError(
      'SUBSCRIPTION_FILTER_POLICIES must be a JSON object of filter policies keyed by subscription endpoint or ARN',
    );
  }
  const entries = Object.entries(parsed);
  const notPolicy = entries.find(
    ([, policy]) => typeof policy !== 'object' || policy === null || Array.isArray(policy),
  );
  if (notPolicy !== undefined) {
    throw new SettingsError(
      `SUBSCRIPTION_FILTER_POLICIES: the filter policy of ${JSON.stringify(notPolicy[0])} must be a JSON object, got ${JSON.stringify(notPolicy[1])}`,
    );
  }
  return Object.fromEntries(entries);
};

const LAMBDA_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):function:[A-Za-z0-9_-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const readHealthSettings = (env: NodeJS.ProcessEnv): HealthSettings => {
  const functionArn = required(env, 'MONITOR_FUNCTION_ARN', "the root-monitor function's ARN");
  const [, partition, homeRegion, account] = LAMBDA_ARN.exec(functionArn) ?? [];
  if (partition === undefined || homeRegion === undefined || account === undefined) {
    throw new SettingsError(
      `MONITOR_FUNCTION_ARN must be an unqualified Lambda function ARN, got ${JSON.stringify(functionArn)}`,
    );
  }
  const excludedRegions = optionalList(env, 'EXCLUDED_REGIONS') ?? [];
  const notRegion = excludedRegions.find((region) => !REGION.test(region));
  if (notRegion !== undefined) {
    throw new SettingsError(
      `EXCLUDED_REGIONS must list Region names such as eu-west-1, got ${JSON.stringify(notRegion)}`,
    );
  }
  const queueArns = optionalList(env, 'MONITOR_QUEUE_ARNS');
  if (queueArns === undefined) {
    throw new SettingsError(
      'Missing required environment variable MONITOR_QUEUE_ARNS (the queues of undelivered root events, comma-separated ARNs)',
    );
  }
  return {
    homeRegion,
    homeBusArn: `arn:${partition}:events:${homeRegion}:${account}:event-bus/default`,
    functionArn,
    ruleName: required(
      env,
      'ROOT_USAGE_RULE_NAME',
      'the EventBridge rule that invokes the function',
    ),
    topicArn: required(env, 'ALERT_TOPIC_ARN', 'the SNS topic alerts are published to'),
    fallbackTopicArn: optional(env, 'FALLBACK_TOPIC_ARN'),
    queueArns,
    dedupTableName: required(env, 'DEDUP_TABLE_NAME', 'the DynamoDB dedup table'),
    configParameter: required(
      env,
      'CONFIG_PARAMETER',
      'the SSM parameter, or path ending in /, holding the configuration document',
    ),
    excludedRegions,
    stackName: required(env, 'MONITOR_STACK_NAME', "the monitor's CloudFormation stack"),
    declaredFilterPolicies: declaredFilterPolicies(env),
    forwarderStackSet: forwarderStackSet(env),
  };
};
