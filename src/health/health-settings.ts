import { optional, optionalList, required, SettingsError } from '../settings.js';

/** What the health checks look at, read from the health-check function's environment. */
export interface HealthSettings {
  /** The monitor's Region, taken from the function's ARN: the checks look there, wherever they run. */
  homeRegion: string;
  /** The monitor's default bus, which every other Region's forwarder targets. */
  homeBusArn: string;
  /** The real-time function's alias, as the root-usage rule must invoke it (or the function's ARN). */
  functionArn: string;
  ruleName: string;
  /** What the digest schedule invokes, for the `digests` check's fix; optional. */
  digestFunctionArn?: string | undefined;
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
}

/** A function's ARN, or its alias's: the rule invokes the alias, and the check looks for it. */
const LAMBDA_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const readHealthSettings = (env: NodeJS.ProcessEnv): HealthSettings => {
  const functionArn = required(env, 'MONITOR_FUNCTION_ARN', "the root-monitor function's ARN");
  const [, partition, homeRegion, account] = LAMBDA_ARN.exec(functionArn) ?? [];
  if (partition === undefined || homeRegion === undefined || account === undefined) {
    throw new SettingsError(
      `MONITOR_FUNCTION_ARN must be a Lambda function or alias ARN, got ${JSON.stringify(functionArn)}`,
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
    digestFunctionArn: optional(env, 'DIGEST_FUNCTION_ARN'),
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
  };
};
