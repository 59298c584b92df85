import { escapeText } from '../alert/escape.js';
import { InputError } from '../intake/shapes.js';
import {
  diffConfig,
  NO_REASON,
  pushConfig,
  REASON_MAX_CHARS,
  showConfig,
} from './config-parameter.js';
import { parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

/** Problems and warnings quote the document: hidden characters must not reach a terminal. */
const printable = (text: string): string => escapeText(text, 2000);

const WHERE = `The parameter is read with your AWS credentials and Region (AWS_PROFILE, AWS_REGION);
set AWS_ENDPOINT_URL to use an emulator.`;

const PARAMETER = { parameter: { type: 'string' } } as const;

/** `--parameter NAME` and the number of positional FILEs a config command takes. */
const targetOf = (
  { values, positionals }: { values: { parameter?: string }; positionals: readonly string[] },
  files: 0 | 1,
) => {
  if (values.parameter === undefined) throw new UsageError('--parameter NAME is required');
  if (positionals.length !== files) {
    throw new UsageError(files === 1 ? 'name exactly one FILE' : 'takes no FILE');
  }
  return { parameter: values.parameter, file: positionals[0] ?? '' };
};

/** SSM and file errors end the command with a message and `failure`, not a stack trace. */
const reporting = async (work: () => Promise<number>, failure = 1): Promise<number> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason =
      error instanceof InputError
        ? error.message
        : `${(error as Error).name}: ${(error as Error).message}`;
    process.stderr.write(`root-monitor config: ${printable(reason)}\n`);
    return failure;
  }
};

export const push = {
  help: `Usage: root-monitor config push --parameter NAME [--merged-with PATH/] [--reason TEXT] FILE

Validates FILE as the Lambda would and, only if it is valid, writes it to the SSM parameter
NAME (overwriting it; Standard tier, Advanced only when the document is over 4 KB). Every
problem is listed when it is refused. The running monitor applies the new document within
CONFIG_MAX_AGE_SECONDS, without a redeploy. ${WHERE}

Options:
  --parameter NAME       the parameter to write.
  --merged-with PATH/    when the monitor's CONFIG_PARAMETER is a path (ending in /), give it
                         here: FILE is then validated together with every other document under
                         PATH, in place of NAME's stored one, and refused if the set conflicts
                         (an allowlist id used twice, a rule set in two documents, different
                         dedupMinutes). Without it, a conflict with another document makes the
                         monitor refuse the whole set and allow nothing. NAME must be under PATH.
  --reason TEXT          why the change is made (a ticket, who asked), at most ${REASON_MAX_CHARS}
                         characters. Stored as the new version's description, which the
                         announcement of the change quotes to everyone who gets the alerts.
                         Required when FILE widens what NAME allows (a new entry, a wider
                         range, a later expiry, a rule disabled...; a NAME that does not exist
                         allows nothing); without it, a push that only narrows is described as
                         "${NO_REASON}".

Exit status: 0 when written, 1 when refused or SSM failed, 2 for a usage error (including a
widening push without --reason).
`,
  run: (args: readonly string[]) =>
    reporting(async () => {
      const options = parseOptions(args, {
        ...PARAMETER,
        'merged-with': { type: 'string' },
        reason: { type: 'string' },
      });
      const { parameter, file } = targetOf(options, 1);
      const { 'merged-with': mergedWith, reason } = options.values;
      const outcome = await pushConfig({ parameter, file, mergedWith, reason });
      if (!outcome.pushed) {
        for (const problem of outcome.problems) process.stdout.write(`${printable(problem)}\n`);
        process.stderr.write(`${printable(file)}: not pushed; ${parameter} is unchanged\n`);
        return 1;
      }
      for (const warning of outcome.warnings)
        process.stderr.write(`warning: ${printable(warning)}\n`);
      process.stderr.write(
        `${printable(parameter)}: version ${outcome.version ?? '?'} stored (${outcome.tier} tier)\n`,
      );
      return 0;
    }),
};

export const show = {
  help: `Usage: root-monitor config show --parameter NAME

Prints the configuration document stored in the SSM parameter NAME. ${WHERE}

Exit status: 0 when printed, 1 when it cannot be read, 2 for a usage error.
`,
  run: (args: readonly string[]) =>
    reporting(async () => {
      const { parameter } = targetOf(parseOptions(args, PARAMETER), 0);
      process.stdout.write(await showConfig({ parameter }));
      return 0;
    }),
};

export const diff = {
  help: `Usage: root-monitor config diff --parameter NAME FILE

Shows what 'config push' would change: a unified diff from the document stored in NAME to
FILE, both pretty-printed. ${WHERE}

Exit status, as diff(1): 0 when they are the same, 1 when they differ, 2 on trouble.
`,
  run: (args: readonly string[]) =>
    reporting(async () => {
      const { parameter, file } = targetOf(parseOptions(args, PARAMETER), 1);
      const outcome = await diffConfig({ parameter, file });
      process.stdout.write(outcome.text);
      return outcome.exitCode;
    }, 2),
};
