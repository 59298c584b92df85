import { readFile } from 'node:fs/promises';
import { CATALOG } from '../../rules/index.js';
import { escapeText } from '../alert/escape.js';
import type { Config } from '../config/config.js';
import { defaultConfigFor, ruleSettingsFor } from '../config/default-config.js';
import type { RuleOverride } from '../config/schema.js';
import { claimFor } from '../dedup/claim-for.js';
import { lateClaimFor } from '../dedup/late-claim.js';
import { MemoryDedupStore } from '../dedup/memory-store.js';
import { decide } from '../engine/decide.js';
import type { RuleContext } from '../engine/rule.js';
import { InputError } from '../intake/shapes.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { monitorResourcesOf } from '../settings.js';
import { readArchive } from './archive.js';
import { readEnvVars } from './env-vars.js';
import { Output, ProgressLine } from './output.js';
import { parseOptions } from './parse-options.js';
import { reasonOf, STDIN } from './read-paths.js';
import type { ReplayFormat } from './replay-format.js';
import { jsonFormat, type Replayed } from './replay-json.js';
import { UsageError } from './usage-error.js';

export const help = `Usage: root-monitor replay [--config FILE] [--env-vars FILE [--function ID]]
                           [--dedup-minutes N] [--format text|email|json] PATH...

Runs CloudTrail events through the same engine, rules and dedup as the Lambda, and prints what
it would have done: each alert, and each root-usage event that an allowlist entry or an earlier
alert covered. Events by any other identity print nothing. Nothing is sent; no AWS account is
needed.

PATH is a file, a directory (read recursively in sorted path order, so CloudTrail's own
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout replays in time order), or - for
standard input. Files may be .json, .json.gz, .jsonl or .jsonl.gz (gzip is recognised by its
content), holding CloudTrail log files ({"Records": [...]}), EventBridge events, bare
CloudTrail records or {"detail": {...}}; .jsonl holds one of those per line.

Options:
  --config FILE        configuration document (allowlist, rule settings). Without it: the
                       embedded defaults, nothing allowlisted. An invalid document is refused
                       with every problem listed, and nothing is replayed: the Lambda would
                       allow nothing with it, and a replay that quietly did the same would
                       mislead.
  --env-vars FILE      the function's environment, in SAM's env.json format
                       ({"FunctionLogicalId": {"NAME": "value"}}, as root-monitor invoke and
                       'sam local invoke' take it), so that replay knows the monitor's own
                       resources as the deployed Lambda does: CONFIG_PARAMETER, ALERT_TOPIC_ARN,
                       DEDUP_TABLE_NAME, AWS_LAMBDA_FUNCTION_NAME (which Lambda sets to the
                       function's name: add it to the file), ALERT_KEY_ARN, MONITOR_ROLE_ARN
                       and MONITOR_QUEUE_ARNS.
                       Root changing any of them is then root-audit-tampering, which no
                       allowlist entry silences, exactly as in the Lambda. Without it replay
                       knows none of them, and such changes read as root-activity. Only the
                       file is read, not the shell's environment.
  --function ID        which function of the --env-vars file (default: its first entry).
  --dedup-minutes N    dedup window in minutes for rules that collapse repeats (0 to 1440),
                       replacing the document's dedupMinutes; a rule's own setting still wins.
  --format FORMAT      text (default): one line per root-usage event (time in UTC, decision,
                       severity, the rule the alert leads with and "+N" for more, account,
                       Region, event name, source address, and the allowlist entry or the
                       dedup key), then a table of events by rule and by account (the ten
                       busiest accounts; the rest summed in one row). Colour on a terminal
                       only; NO_COLOR turns it off.
                       email: each alert as its subject line and email body, other decisions
                       one line each.
                       json: one object per root-usage event with eventId, eventTime,
                       eventName, eventSource, accountId, region, sourceIp, decision (alert,
                       allowlisted, duplicate), severity, ruleIds, allowlistEntry (when one
                       matched), assumedRoot, throughConsole and, for alerts,
                       suppressedBefore.
  -h, --help           show this help.

Times come from each event's eventTime, so a replay gives the same answer every time.
A summary goes to standard error, with progress when it is a terminal. An unreadable or
corrupt file is named on standard error and the rest is still read.

Exit status: 0 when every file was read, 1 when a file was unreadable or corrupt or the
configuration is invalid, 2 for a usage error (an unreadable or malformed --env-vars file
among them).
`;

/**
 * Variables the deployed Lambda always has (the first three it requires, the last Lambda sets).
 * A file without one of them cannot make replay decide as the Lambda does, so replay says so.
 */
const ALWAYS_SET = [
  'CONFIG_PARAMETER',
  'ALERT_TOPIC_ARN',
  'DEDUP_TABLE_NAME',
  'AWS_LAMBDA_FUNCTION_NAME',
] as const;

/**
 * The monitor's own resources, from the variables `--env-vars` gives the function, mapped as the
 * Lambda maps its environment. Without the file replay knows none of them, and the tampering
 * rule's checks on them cannot match.
 */
const contextOf = async (
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
  return { monitor: monitorResourcesOf(vars) };
};

const FORMATS = ['text', 'email', 'json'] as const;

type FormatName = (typeof FORMATS)[number];

const isFormatName = (name: string): name is FormatName =>
  (FORMATS as readonly string[]).includes(name);

/** Each format's modules are loaded only when chosen: JSON output does not pay for alert text. */
const formatFor = async (name: FormatName): Promise<ReplayFormat> => {
  if (name === 'json') return jsonFormat;
  if (name === 'email') return (await import('./replay-email.js')).emailFormat;
  const [{ textFormat }, { paintFor }] = await Promise.all([
    import('./replay-text.js'),
    import('./colour.js'),
  ]);
  return textFormat(paintFor(process.stdout));
};

interface Totals {
  files: number;
  events: number;
  rootEvents: number;
  alerts: number;
  allowlisted: number;
  duplicates: number;
  unreadable: Set<string>;
}

export const run = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    config: { type: 'string' },
    'env-vars': { type: 'string' },
    function: { type: 'string' },
    'dedup-minutes': { type: 'string' },
    format: { type: 'string', default: 'text' },
  });
  const format = values.format;
  if (!isFormatName(format)) {
    throw new UsageError(
      `--format must be ${FORMATS.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (positionals.length === 0) throw new UsageError('name at least one PATH (or - for stdin)');
  if (positionals.filter((path) => path === STDIN).length > 1) {
    throw new UsageError('- (standard input) can be named only once');
  }
  const dedupMinutes = await dedupMinutesOption(values['dedup-minutes']);
  const context = await contextOf(values['env-vars'], values.function);
  const config = await loadConfig(values.config, dedupMinutes);
  if (config === undefined) return 1;
  return replay(positionals, config, context, format);
};

/** `--dedup-minutes`, checked by the document's own schema so the bounds live in one place. */
const dedupMinutesOption = async (text: string | undefined): Promise<number | undefined> => {
  if (text === undefined) return undefined;
  // Loaded only for the flag: replay on the defaults starts without the validator.
  const [{ dedupMinutesSchema }, { safeParse }] = await Promise.all([
    import('../config/schema.js'),
    import('valibot'),
  ]);
  // Number() alone would read '', ' 5', '0x10' and '1e2' as numbers; only decimals count here.
  const result = safeParse(
    dedupMinutesSchema,
    /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN,
  );
  if (!result.success) {
    const problems = result.issues.map((issue) => issue.message).join('; ');
    throw new UsageError(`--dedup-minutes ${JSON.stringify(text)}: ${problems}`);
  }
  return result.output;
};

/**
 * `--dedup-minutes` replaces the document-wide window. A `Config` holds only effective settings,
 * so it cannot tell a rule that inherited the document-wide window from one whose own setting
 * happens to be the same number; the rule settings are therefore rebuilt from the document's
 * own overrides with `ruleSettingsFor`, as `parseConfig` builds them. The result is what the
 * document would give with `"dedupMinutes": minutes`, while the document itself is validated as
 * written, so a bad dedupMinutes in it is still reported.
 */
const withDedupMinutes = (
  config: Config,
  overrides: Readonly<Record<string, RuleOverride>>,
  minutes: number,
): Config => ({
  ...config,
  dedupMinutes: minutes,
  rules: ruleSettingsFor(CATALOG, overrides, minutes),
});

/** The configuration to replay with, or undefined (after saying why) when it cannot be used. */
const loadConfig = async (
  path: string | undefined,
  dedupMinutes: number | undefined,
): Promise<Config | undefined> => {
  if (path === undefined) {
    const defaults = defaultConfigFor(CATALOG);
    return dedupMinutes === undefined ? defaults : withDedupMinutes(defaults, {}, dedupMinutes);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    process.stderr.write(`root-monitor replay: ${printable(path)}: ${reasonOf(error)}\n`);
    return undefined;
  }
  // The validator is loaded only when there is a document to validate: the defaults need none.
  const { parseConfig } = await import('../config/parse-config.js');
  const result = parseConfig([{ source: path, text }], CATALOG);
  if (!result.valid) {
    process.stderr.write(
      `root-monitor replay: ${printable(path)} is not a valid configuration; nothing was replayed (the Lambda would allow nothing with it):\n${result.problems.map((problem) => `  ${printable(problem)}\n`).join('')}`,
    );
    return undefined;
  }
  for (const warning of result.warnings) {
    process.stderr.write(`root-monitor replay: warning: ${printable(warning)}\n`);
  }
  if (dedupMinutes === undefined) return result.config;
  // Valid, so this parse succeeds; it only recovers the overrides the document itself makes.
  const [{ configDocumentSchema }, { parse }] = await Promise.all([
    import('../config/schema.js'),
    import('valibot'),
  ]);
  const overrides = parse(configDocumentSchema, JSON.parse(text)).rules ?? {};
  return withDedupMinutes(result.config, overrides, dedupMinutes);
};

/** Messages name files and quote inputs: hidden characters in them must not reach a terminal. */
const printable = (text: string): string => escapeText(text, 2000);

const replay = async (
  paths: readonly string[],
  config: Config,
  context: RuleContext,
  formatName: FormatName,
): Promise<number> => {
  const output = new Output(process.stdout);
  const progress = new ProgressLine(process.stderr);
  const store = new MemoryDedupStore();
  const now = new Date();
  const format = await formatFor(formatName);
  const interactive = process.stdout.isTTY === true;
  const totals: Totals = {
    files: 0,
    events: 0,
    rootEvents: 0,
    alerts: 0,
    allowlisted: 0,
    duplicates: 0,
    unreadable: new Set(),
  };

  const replayOne = async (event: TrailEvent): Promise<Replayed | undefined> => {
    const decision = decide(event, CATALOG, config, context, now);
    if (decision.kind === 'ignored') return undefined;
    totals.rootEvents++;
    if (decision.kind === 'allowlisted') {
      totals.allowlisted++;
      return { decision: 'allowlisted', allowlisted: decision };
    }
    let request = claimFor(decision, now, now.getTime());
    let claim = await store.claim(request);
    let arrivedLate: { behindMs: number } | undefined;
    if (claim.kind === 'late') {
      // Older than the window its key's last alert opened: alerted on its own, as the Lambda does.
      arrivedLate = { behindMs: claim.openedAt - request.at };
      request = lateClaimFor(request);
      claim = await store.claim(request);
    }
    if (claim.kind !== 'claimed') {
      totals.duplicates++;
      return { decision: 'duplicate', alert: decision };
    }
    // Replay sends nothing, and every alert it prints counts as sent, as SNS accepting it would.
    await store.markSent(request, undefined);
    totals.alerts++;
    return {
      decision: 'alert',
      notice: {
        alert: decision,
        suppressedBefore: claim.suppressedBefore,
        ...(arrivedLate === undefined ? {} : { arrivedLate }),
      },
    };
  };

  for await (const item of readArchive(paths)) {
    if (item.kind === 'input') totals.files++;
    else if (item.kind === 'problem') {
      totals.unreadable.add(item.name);
      progress.clear();
      await output.flush();
      process.stderr.write(`root-monitor replay: ${printable(item.message)}\n`);
    } else {
      totals.events += item.count;
      for (const event of item.rootEvents) {
        const replayed = await replayOne(event);
        if (replayed !== undefined) output.write(format.event(replayed));
      }
      if (interactive) {
        // The terminal shows output as it comes, and the progress line must not cut into it.
        progress.clear();
        await output.flush();
      } else await output.drain();
    }
    if (output.closed) return totals.unreadable.size > 0 ? 1 : 0;
    progress.update(
      () =>
        `replaying: ${plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}, ${plural(totals.alerts, 'alert')}`,
    );
  }
  progress.clear();
  output.write(format.end());
  await output.flush();
  if (output.closed) return totals.unreadable.size > 0 ? 1 : 0;
  process.stderr.write(`root-monitor replay: ${describe(totals)}\n`);
  return totals.unreadable.size > 0 ? 1 : 0;
};

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const describe = (totals: Totals): string =>
  `${plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}: ${plural(totals.alerts, 'alert')}, ${totals.allowlisted} allowlisted, ${plural(totals.duplicates, 'duplicate')}, ${plural(totals.unreadable.size, 'unreadable file')}`;
