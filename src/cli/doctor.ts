import { escapeJson, plainToken, renderText } from '../alert/text/escape.js';
import { givenAccountsSettings } from '../health/accounts.js';
import { CHECK_IDS, type CheckResult } from '../health/check.js';
import { readHealthSettings } from '../health/health-settings.js';
import { runChecks } from '../health/run-checks.js';
import { InputError } from '../intake/input-error.js';
import { optionalList, SettingsError } from '../settings.js';
import type { Command } from './command.js';
import { readEnvVars } from './env-vars.js';
import { parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

/** The stack set name docs/deploying/organization.md gives the forwarders. */
const FORWARDER_STACK_SET = 'root-monitor-forwarder';

/**
 * `--organization`: the `accounts` check alone, with the caller's credentials in the management
 * account or a delegated administrator, which need not be the monitoring account. The settings,
 * when given, only name the excluded Regions, the home Region and the stack set.
 */
const organizationCheck = async (values: {
  'env-vars'?: string | undefined;
  function?: string | undefined;
  'stack-set'?: string | undefined;
  'call-as'?: string | undefined;
}): Promise<CheckResult[]> => {
  const env = await environmentFrom(values['env-vars'], values.function);
  const callAs = values['call-as'] ?? 'SELF';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new UsageError(
      `--call-as must be SELF or DELEGATED_ADMIN, got ${JSON.stringify(callAs)}`,
    );
  }
  // arn:PARTITION:lambda:REGION:...: the monitor's Region, where the stack set was created.
  const homeRegion = env.MONITOR_FUNCTION_ARN?.split(':')[3] || 'us-east-1';
  const { accountsCheckOnAws } = await import('../aws/health/accounts-check-on-aws.js');
  const settings = {
    stackSetName: values['stack-set'] ?? FORWARDER_STACK_SET,
    callAs,
    excludedRegions: optionalList(env, 'EXCLUDED_REGIONS') ?? [],
  } as const;
  return runChecks([accountsCheckOnAws(homeRegion, givenAccountsSettings(settings))], new Date());
};

/** How long doctor waits for the drift detection it starts, unless --drift-wait says. */
const DRIFT_WAIT_SECONDS = 180;
const DRIFT_POLL_MS = 5_000;

/** The env.json entry the checks' settings come from, unless --function names another. */
const HEALTH_FUNCTION = 'HealthCheckFunction';

const help = `Usage: root-monitor doctor [--env-vars FILE [--function ID]] [--format text|json]
                            [--drift-wait SECONDS]
       root-monitor doctor --organization [--stack-set NAME] [--call-as SELF|DELEGATED_ADMIN]
                            [--env-vars FILE] [--format text|json]

Checks, with your AWS credentials, that the deployed monitor can see root activity and reach a
person. Nothing is changed. Each check prints one line, and a fix when it fails:

  trail        a logging, multi-Region trail (or an organization trail) records read and write
               management events and delivered within the last 2 hours
  rule         each rule of the stack (root usage, configuration changes, schedules) has the
               state, pattern or schedule and targets its template declares, and each target
               is given the event: no Input, InputPath or InputTransformer
  functions    each alias invokes the version the stack published, with no routing to
               another; $LATEST's code is that version's; no reserved concurrency of 0; every
               invoke permission the stack declares is in place
  regions      every enabled Region forwards root events to the home Region's bus, or is
               listed in EXCLUDED_REGIONS; each forwarder has the root-usage pattern, sends the
               event itself, and has a role that may put it on the bus
  accounts     with the stack's ForwarderStackSetName (or --organization), every member
               account and Region has a current, undrifted forwarder of the stack set
  backstop     says whether root usage reaches you by two paths or one: off (no TrailBucketName),
               an event EventBridge does not deliver is never alerted; it never fails
  subscribers  each alert topic has a confirmed subscription (a pending email does not count),
               each filter policy is the one the stack set or one its SubscriptionFilterPolicies
               declares, and none lets nothing the monitor sends through
  keys         each topic encrypts with the key the stack gave it; the alarm topic's key (and
               the trail's, TrailKmsKeyArn) is enabled, not pending deletion, and its policy
               lets CloudWatch and the stack's roles (CloudTrail and S3) use it
  parked       the on-failure and dead-letter queues are empty
  digests      every dedup window that closed over 30 minutes ago has had its digest (the
               events it counted after its alert reached a person)
  config       the configuration parameter reads and validates
  drift        CloudFormation's drift detection finds no resource of the stack modified or
               deleted (doctor starts one and waits for it; the hourly runs read the one the
               run before started)

The stack's health-check function runs the same checks every hour. The checks read these
settings: MONITOR_FUNCTION_ARN (the real-time function's alias, which the rule invokes; its
Region is the monitor's, and every check looks there), ROOT_USAGE_RULE_NAME, ALERT_TOPIC_ARN,
MONITOR_QUEUE_ARNS, DEDUP_TABLE_NAME, CONFIG_PARAMETER, MONITOR_STACK_NAME (the stack whose
template, parameters and resources the checks compare with) and, optionally,
FALLBACK_TOPIC_ARN, DIGEST_FUNCTION_ARN and EXCLUDED_REGIONS (comma-separated). They
come from the environment, or from the health-check function's entry of a SAM env.json file,
whose values win. To take them
from the stack's health-check function, in one command (bash or zsh):

  root-monitor doctor --env-vars <(aws lambda get-function-configuration --output json \\
    --function-name STACK-health-check --query '{${HEALTH_FUNCTION}: Environment.Variables}')

Options:
  --env-vars FILE      settings in SAM's env.json format
  --function ID        which function of the file (default: ${HEALTH_FUNCTION})
  --format text|json   text (default): one line per check; json: one object with every check
  --organization       run the accounts check alone, from the management account (or a
                       delegated administrator, --call-as DELEGATED_ADMIN): every active member
                       account and enabled Region not in EXCLUDED_REGIONS has a CURRENT,
                       SUCCEEDED, undrifted instance of the forwarders' stack set
  --stack-set NAME     the forwarders' stack set (default: ${FORWARDER_STACK_SET})
  --call-as WHO        SELF (default) or DELEGATED_ADMIN
  --drift-wait SECONDS how long to wait for the drift detection doctor starts (default
                       ${DRIFT_WAIT_SECONDS}); past it, the previous detection's result is shown

Exit status: 0 when every check passes, 1 when any fails or cannot look, 2 for a usage error
or missing settings.
`;

/**
 * Verdicts quote resource names and AWS error messages: nothing hidden reaches a terminal. URLs
 * stay as they are (not defanged as in an email): a fix is a command to paste.
 */
const printable = (text: string): string => renderText(text, 2000, plainToken);

const textOf = (results: readonly CheckResult[]): string => {
  const width = Math.max(...CHECK_IDS.map((id) => id.length)) + 2;
  return results
    .map((result) => {
      const line = `${result.ok ? 'ok  ' : 'FAIL'}  ${result.id.padEnd(width)}${printable(result.verdict)}\n`;
      return result.ok ? line : `${line}      ${' '.repeat(width)}fix: ${printable(result.fix)}\n`;
    })
    .join('');
};

const jsonOf = (results: readonly CheckResult[]): string =>
  `${escapeJson(JSON.stringify({ ok: results.every((result) => result.ok), checks: results }, null, 2))}\n`;

const environmentFrom = async (
  file: string | undefined,
  functionId: string | undefined,
): Promise<NodeJS.ProcessEnv> =>
  file === undefined
    ? process.env
    : { ...process.env, ...(await readEnvVars(file, functionId ?? HEALTH_FUNCTION)) };

const settingsFrom = async (file: string | undefined, functionId: string | undefined) => {
  try {
    return readHealthSettings(await environmentFrom(file, functionId));
  } catch (error) {
    if (error instanceof SettingsError || error instanceof InputError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
};

const run = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    'env-vars': { type: 'string' },
    function: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'drift-wait': { type: 'string', default: String(DRIFT_WAIT_SECONDS) },
    organization: { type: 'boolean', default: false },
    'stack-set': { type: 'string' },
    'call-as': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  }
  if (values.function !== undefined && values['env-vars'] === undefined) {
    throw new UsageError(
      '--function names a function of the --env-vars file; give --env-vars FILE',
    );
  }
  const driftWaitSeconds = Number(values['drift-wait']);
  if (!Number.isInteger(driftWaitSeconds) || driftWaitSeconds < 0) {
    throw new UsageError(
      `--drift-wait must be a whole number of seconds, got ${JSON.stringify(values['drift-wait'])}`,
    );
  }
  if (values.organization) {
    return report(await organizationCheck(values), format);
  }
  if (values['stack-set'] !== undefined || values['call-as'] !== undefined) {
    throw new UsageError('--stack-set and --call-as go with --organization');
  }
  const settings = await settingsFrom(values['env-vars'], values.function);
  // Loaded only now: the SDK clients are the bulk of the command's start-up.
  const { healthChecksOnAws } = await import('../aws/health/health-checks-on-aws.js');
  const driftWait = {
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    maxWaitMs: driftWaitSeconds * 1000,
    pollMs: DRIFT_POLL_MS,
  };
  const results = await runChecks(
    healthChecksOnAws(settings, undefined, { driftWait }),
    new Date(),
  );
  return report(results, format);
};

/** Prints the results; the exit status says whether all passed. */
const report = (results: readonly CheckResult[], format: 'text' | 'json'): number => {
  process.stdout.write(format === 'json' ? jsonOf(results) : textOf(results));
  const failing = results.filter((result) => !result.ok).length;
  process.stderr.write(
    failing === 0
      ? `all ${results.length} checks pass\n`
      : `${failing} of ${results.length} checks fail: the monitor may miss root activity or reach no one\n`,
  );
  return failing === 0 ? 0 : 1;
};

export const commands: readonly Command[] = [
  {
    words: ['doctor'],
    summary: 'check that the deployed monitor can see root activity and reach a person',
    help,
    run,
  },
];
