import type { RuleContext } from '../../engine/rule.js';
import { InputError } from '../../intake/input-error.js';
import { monitorResourcesOf, SettingsError } from '../../settings.js';
import { readEnvVars } from '../env-vars.js';
import { printable } from '../output.js';
import { UsageError } from '../usage-error.js';

/**
 * Variables naming monitor resources that every function judging root events has when deployed
 * (the first three it requires, the others the template sets). A file without one of them cannot
 * make replay decide as the Lambda does, so replay says so. AWS_LAMBDA_FUNCTION_NAME is not
 * among them: MONITOR_FUNCTION_NAMES names the running function too.
 */
const ALWAYS_SET = [
  'CONFIG_PARAMETER',
  'ALERT_TOPIC_ARN',
  'DEDUP_TABLE_NAME',
  'FALLBACK_TOPIC_ARN',
  'ALERT_KEY_ARN',
  'MONITOR_FUNCTION_NAMES',
  'MONITOR_ROLE_ARNS',
  'MONITOR_QUEUE_ARNS',
] as const;

/**
 * The monitor's own resources, from the variables `--env-vars` gives the function, mapped as the
 * Lambda maps its environment. Without the file replay knows none of them, and the tampering
 * rule's checks on them cannot match.
 */
export const monitorContextOf = async (
  path: string | undefined,
  functionId: string | undefined,
): Promise<RuleContext> => {
  if (path === undefined) {
    if (functionId !== undefined) {
      throw new UsageError(
        '--function names a function of the --env-vars file; give --env-vars FILE',
      );
    }
    return { monitor: {} };
  }
  let vars: Record<string, string>;
  try {
    vars = await readEnvVars(path, functionId);
  } catch (error) {
    // Replay has not started: a file it cannot use is a command line to fix, like a bad flag.
    if (error instanceof InputError) throw new UsageError(`--env-vars ${printable(error.message)}`);
    throw error;
  }
  const unset = ALWAYS_SET.filter((name) => !vars[name]?.trim());
  if (unset.length > 0) {
    process.stderr.write(
      `root-monitor replay: warning: ${printable(path)} does not set ${unset.join(', ')}; the deployed Lambda always has ${unset.length === 1 ? 'it' : 'them'}, so root changing ${unset.length === 1 ? 'that resource' : 'those resources'} reads here as root-activity where the Lambda says root-audit-tampering\n`,
    );
  }
  try {
    return { monitor: monitorResourcesOf(vars) };
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new UsageError(`--env-vars ${printable(path)}: ${printable(error.message)}`);
    }
    throw error;
  }
};
