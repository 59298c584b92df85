import { InputError } from '../../intake/input-error.js';
import { ATHENA_QUERY_OPTIONS, athenaTarget } from '../athena-options.js';
import type { Command } from '../command.js';
import { printable } from '../output.js';
import { parseOptions, valueOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import type { ImpactSource } from './impact.js';
import { diffConfig, NO_REASON, pushConfig, REASON_MAX_CHARS, showConfig } from './parameter.js';
import { validate } from './validate.js';

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

/** The options that choose the root events an impact is judged on. */
const IMPACT = {
  history: { type: 'string' },
  regions: { type: 'string' },
  athena: { type: 'boolean' },
  ...valueOptions(ATHENA_QUERY_OPTIONS),
} as const;

const IMPACT_HELP = `  --history DAYS         replay the account's root events of the last DAYS days against the
                         stored document and against FILE, through the monitor's engine, and
                         list every event decided otherwise: what alerted and would now be
                         allowlisted (listed first), and back, or at another severity. Read
                         from CloudTrail's event history (LookupEvents: 90 days of management
                         events in each Region, about two calls a second; it needs
                         cloudtrail:LookupEvents).
  --regions LIST         the Regions whose event history is read (default: your Region and
                         us-east-1, where IAM, STS and sign-in events are recorded).
  --athena               read the trail's Athena table instead (root-monitor athena ddl made
                         it): an organization, or more than 90 days. With --database DB
                         [--table TABLE] [--workgroup WG] [--output s3://BUCKET/PREFIX/].`;

type ImpactValues = {
  history?: string | undefined;
  regions?: string | undefined;
  athena?: boolean | undefined;
  database?: string | undefined;
  table?: string | undefined;
  workgroup?: string | undefined;
  output?: string | undefined;
};

/** The days and source an impact is asked for, checked; undefined when DAYS is 0 or absent. */
const impactOf = async (
  values: ImpactValues,
  defaultDays: number | undefined,
): Promise<{ days: number; source: ImpactSource } | undefined> => {
  const { HISTORY_MAX_DAYS } = await import('./impact.js');
  const text = values.history ?? (defaultDays === undefined ? undefined : String(defaultDays));
  const given = (['regions', ...ATHENA_QUERY_OPTIONS] as const).find(
    (name) => values[name] !== undefined,
  );
  if (text === undefined) {
    if (given !== undefined || values.athena) {
      throw new UsageError(`--${given ?? 'athena'} goes with --history DAYS`);
    }
    return undefined;
  }
  const maxDays = values.athena ? 3660 : HISTORY_MAX_DAYS;
  const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(days) || days < 0 || days > maxDays) {
    throw new UsageError(
      `--history must be a whole number of days from 0 to ${maxDays}${values.athena ? '' : " (CloudTrail's event history keeps 90; use --athena for more)"}, got ${JSON.stringify(text)}`,
    );
  }
  if (days === 0) return undefined;
  if (values.athena) {
    if (values.regions !== undefined)
      throw new UsageError('--regions is for the event history, not --athena');
    return { days, source: { kind: 'athena', ...athenaTarget(values) } };
  }
  const athenaOnly = ATHENA_QUERY_OPTIONS.find((name) => values[name] !== undefined);
  if (athenaOnly !== undefined) throw new UsageError(`--${athenaOnly} goes with --athena`);
  const { listOption } = await import('../partition-options.js');
  const regions = listOption('regions', values.regions) ?? (await defaultRegions());
  return { days, source: { kind: 'event-history', regions } };
};

/** The CLI's own Region and us-east-1, where the global services record their events. */
const defaultRegions = async (): Promise<string[]> => {
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  const region = await new CloudTrailClient({}).config.region();
  return [...new Set([region, 'us-east-1'])];
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

const push: Command = {
  words: ['config', 'push'],
  summary: 'validate a document and store it in the SSM parameter',
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
  --history DAYS         when FILE widens what NAME allows, list the root events of the last
                         DAYS days (default 7; 0 for none) that it would no longer alert, before
                         asking for --reason. As for config diff, with --regions or --athena.
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
        ...IMPACT,
        'merged-with': { type: 'string' },
        reason: { type: 'string' },
      });
      const { parameter, file } = targetOf(options, 1);
      const { 'merged-with': mergedWith, reason } = options.values;
      const impact = await impactOf(options.values, PUSH_HISTORY_DAYS);
      const outcome = await pushConfig({
        parameter,
        file,
        mergedWith,
        reason,
        ...(impact === undefined
          ? {}
          : { onWidening: () => printImpact(parameter, file, impact.days, impact.source) }),
      });
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

const show: Command = {
  words: ['config', 'show'],
  summary: 'print the document stored in the SSM parameter',
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

const diff: Command = {
  words: ['config', 'diff'],
  summary: 'show what pushing a document would change',
  help: `Usage: root-monitor config diff --parameter NAME [--history DAYS [--regions LIST | --athena ...]] FILE

Shows what 'config push' would change: a unified diff from the document stored in NAME to
FILE, both pretty-printed, and with --history, what it would have changed for the root events
of the last days. ${WHERE}

Options:
${IMPACT_HELP}

Exit status, as diff(1): 0 when they are the same (and decide every event alike), 1 when they
differ, 2 on trouble.
`,
  run: (args: readonly string[]) =>
    reporting(async () => {
      const options = parseOptions(args, { ...PARAMETER, ...IMPACT });
      const { parameter, file } = targetOf(options, 1);
      const impact = await impactOf(options.values, undefined);
      const outcome = await diffConfig({ parameter, file });
      process.stdout.write(outcome.text);
      if (impact === undefined) return outcome.exitCode;
      const { allowlistImpact, impactText } = await import('./impact.js');
      const found = await allowlistImpact({ parameter, file, ...impact });
      process.stdout.write(`${outcome.text === '' ? '' : '\n'}${impactText(found, impact.days)}`);
      return outcome.exitCode === 1 || found.changes.length > 0 ? 1 : 0;
    }, 2),
};

/** What a widening push lists before it asks for a reason, unless told otherwise. */
const PUSH_HISTORY_DAYS = 7;

/**
 * A widening push shows what it would silence; if the events cannot be read (no permission, no
 * Athena table), it says so and the push goes on: the reason is still asked for.
 */
const printImpact = async (
  parameter: string,
  file: string,
  days: number,
  source: ImpactSource,
): Promise<void> => {
  const { allowlistImpact, impactText } = await import('./impact.js');
  try {
    process.stderr.write(
      impactText(await allowlistImpact({ parameter, file, days, source }), days),
    );
  } catch (error) {
    if (error instanceof InputError) throw error;
    process.stderr.write(
      `warning: the root events of the last ${days} days could not be read, so what ${printable(file)} would no longer alert is not shown (${printable(`${(error as Error).name}: ${(error as Error).message}`)}); --history 0 skips this\n`,
    );
  }
};

/** The config commands, in the overview's order: validate first, then what reads and writes SSM. */
export const commands: readonly Command[] = [validate, push, show, diff];
