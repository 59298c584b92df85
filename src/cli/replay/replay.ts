import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { CATALOG } from '../../../rules/index.js';
import { escapeText } from '../../alert/text/escape.js';
import { isS3Url, parseS3Url, type S3Location } from '../../aws/s3-location.js';
import type { Config } from '../../config/config.js';
import { defaultConfigFor, ruleSettingsFor } from '../../config/default-config.js';
import type { RuleOverride } from '../../config/schema.js';
import {
  type ConfigChangeNotice,
  outcomeFromEvent,
} from '../../config-watch/config-change-alert.js';
import {
  type ConfigChangeEvent,
  configChangeOf,
  ownAccountOf,
} from '../../config-watch/config-change-event.js';
import { announcementClaimFor } from '../../dedup/claim-for.js';
import { MemoryDedupStore } from '../../dedup/memory-store.js';
import type { RuleContext } from '../../engine/rule.js';
import { ArchiveMemory } from '../../first-seen/archive-memory.js';
import { InputError } from '../../intake/shapes.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import { decideAndClaim } from '../../pipeline/decide-and-claim.js';
import { monitorResourcesOf, SettingsError } from '../../settings.js';
import { readEnvVars } from '../env-vars.js';
import { Output, ProgressLine } from '../output.js';
import { parseOptions } from '../parse-options.js';
import { checkDayRange, dayOption, listOption, partitionOptions } from '../partition-options.js';
import { type ArchiveItem, readArchive } from '../sources/archive.js';
import { EVERY_EVENT, type Selection, selectionFor } from '../sources/read-document.js';
import { reasonOf, STDIN } from '../sources/read-paths.js';
import type { S3ArchiveOptions, S3Progress } from '../sources/s3-archive.js';
import { UsageError } from '../usage-error.js';
import type { FormatOptions, ReplayFormat } from './formats/format.js';
import { jsonFormat, type Replayed } from './formats/json.js';

export const help = `Usage: root-monitor replay [--config FILE] [--env-vars FILE [--function ID]]
                           [--dedup-minutes N] [--format text|email|json]
                           [--show-files] [--show-ignored] PATH...
       root-monitor replay [options] [--since DAY] [--until DAY] [--accounts LIST]
                           [--regions LIST] [--concurrency N] [--checkpoint FILE] s3://BUCKET[/PREFIX]

Runs CloudTrail events through the same engine, rules and dedup as the Lambda, and prints what
it would have done: each alert, each root-usage event that an allowlist entry or an earlier
alert covered, and the digest of each collapse window that counted events, where the window
closes in event time (before the first event after it; at the end for a window the archive
ends in). Events by any other identity print nothing. Nothing is sent; no AWS account is
needed.

PATH is a file, a directory (read recursively in sorted path order, so CloudTrail's own
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout replays in time order), or - for
standard input. Files may be .json, .json.gz, .jsonl or .jsonl.gz (gzip is recognised by its
content), holding CloudTrail log files ({"Records": [...]}), EventBridge events, bare
CloudTrail records or {"detail": {...}}; .jsonl holds one of those per line.

PATH may also be s3://BUCKET[/PREFIX], a CloudTrail archive in S3 laid out as
[PREFIX/]AWSLogs/[o-xxxx/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/, the prefix stopping at any
depth. Credentials, Region and endpoint come from the AWS SDK's usual chain (AWS_PROFILE,
AWS_ENDPOINT_URL ...). Objects are streamed through gunzip, several at once, and printed in the
order replay of the same files downloaded would print them, byte for byte.

S3 options:
  --since DAY, --until DAY
                       first and last UTC day (YYYY-MM-DD, inclusive). Only the day folders of
                       the range are listed, never the whole bucket.
  --accounts LIST      comma-separated account ids; only their folders are read.
  --regions LIST       comma-separated Regions; only their folders are read.
  --concurrency N      objects read at once (default 16).
  --checkpoint FILE    records each object once its output is written, and skips those it
                       already holds: an interrupted replay, run again, resumes where it
                       stopped. Dedup windows and the sources seen start afresh at the
                       resume point. Needs
                       --format json or email, which write each object's output as it is
                       read (text holds its lines until the end to sort them).

Options:
  --config FILE        configuration document (allowlist, rule settings). Without it: the
                       embedded defaults, nothing allowlisted. An invalid document is refused
                       with every problem listed, and nothing is replayed: the Lambda would
                       allow nothing with it, and a replay that quietly did the same would
                       mislead.
  --env-vars FILE      the function's environment, in SAM's env.json format
                       ({"FunctionLogicalId": {"NAME": "value"}}, as root-monitor invoke and
                       'sam local invoke' take it), so that replay knows the monitor's own
                       resources as the deployed Lambda does: CONFIG_PARAMETER,
                       ALERT_TOPIC_ARN, FALLBACK_TOPIC_ARN, DEDUP_TABLE_NAME, ALERT_KEY_ARN,
                       MONITOR_FUNCTION_NAMES and MONITOR_ROLE_ARNS (every function of the
                       stack and the roles they run under, comma-separated), MONITOR_QUEUE_ARNS,
                       and AWS_LAMBDA_FUNCTION_NAME when the file has it.
                       Root changing any of them is then root-audit-tampering, which no
                       allowlist entry silences, exactly as in the Lambda. Without it replay
                       knows none of them, and such changes read as root-activity. Only the
                       file is read, not the shell's environment. replay warns about each of
                       these variables the file lacks, AWS_LAMBDA_FUNCTION_NAME aside, since
                       the deployed function has them all; a list entry that names no
                       function, role or queue is a usage error.
                       Every change to CONFIG_PARAMETER (PutParameter, DeleteParameter(s),
                       Label/UnlabelParameterVersion), by any identity, is then reported as
                       the Lambda announces it (rule config-changed); replay cannot read the
                       parameter's history, so what a write changed is unknown, and it says so.
  --function ID        which function of the --env-vars file (default: its first entry).
  --dedup-minutes N    dedup window in minutes for rules that collapse repeats (0 to 1440),
                       replacing the document's dedupMinutes; a rule's own setting still wins.
  --format FORMAT      text (default): a table with one line per root-usage event (time in
                       UTC, decision, severity, the rule the alert leads with and "+N" for
                       more, account, Region, event name, source address, event id, and a
                       note: the allowlist entry, or "counted by" and the alert whose window
                       counted a duplicate, and "first seen in this archive" on the earliest
                       alert from each source address root used in each account, an IPv6
                       address by its /64), then the events by rule and by account (the ten busiest
                       accounts; the rest summed in one row), with the digests beside.
                       The lines are in event-time order (events without a time last),
                       whatever order the files are read in: they are held until the replay
                       ends, then sorted, so nothing prints until then; for a large archive
                       use json, which streams. Each column is as wide as its values; a
                       value longer than its column's limit is cut with "…". "-" stands for
                       a value the event does not have. A digest's line has the window's
                       close time, decision digest, the number of events it reports where
                       the event name goes, and the event id of the alert that opened the
                       window. Colour on a terminal only; NO_COLOR turns it off.
                       email: each alert and digest as its subject line and email body, other
                       decisions one line each.
                       json: one object per root-usage event, written as it is read (file
                       order, so memory stays flat on an archive of any size; sort by
                       eventTime with jq -s 'sort_by(.eventTime)[]' on a small one), with
                       eventId, eventTime, eventName, eventSource, accountId, region,
                       sourceIp, decision (alert, allowlisted, duplicate), severity,
                       ruleIds, allowlistEntry (when one matched), assumedRoot,
                       throughConsole, for alerts suppressedBefore and, for a duplicate a
                       window counted (not a redelivery), countedBy: the event id of the
                       alert that opened the window. An alert from a source no earlier event
                       of which was read before it has firstSeen ("first seen in this
                       archive") and firstSeenSource (the address, or an IPv6 address's /64);
                       files are read in path order, so a source's later event read before
                       its earliest has them too.
                       A configuration change has ruleIds ["config-changed"], principalArn,
                       principalType, parameters, outcome (unknown, deleted, relabelled,
                       refused) and why (when unknown).
                       A digest has decision "digest", dedupKey, severity, ruleIds (the
                       window's rule), accountId, sourceIp, windowOpenedAt, windowClosesAt,
                       firstEventTime, lastEventTime, events and failed (counts), eventNames
                       ({"name": count}), unmatched (eventTime, eventName, eventSource,
                       region and errorCode of each event no catalog rule matched) and
                       reportedBefore (events an earlier digest of the window reported); it
                       has no eventId.
  --show-files         name the file each event was read from: a FILE column in text, a
                       "file" field in json.
  --show-ignored       also list the events the engine ignores, with the reason (decision
                       ignored: another identity, or an AWS service acting for root). Every
                       record is then parsed, not only those that may be root: meant for a
                       few files, since most of an archive is other identities.
  -h, --help           show this help.

Times come from each event's eventTime, so a replay gives the same answer every time.
A summary goes to standard error, with progress when it is a terminal. An unreadable or
corrupt file is named on standard error and the rest is still read.

Exit status: 0 when every file was read, 1 when a file was unreadable or corrupt or the
configuration is invalid, 2 for a usage error (an unreadable or malformed --env-vars file
among them).
`;

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
  try {
    return { monitor: monitorResourcesOf(vars) };
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new UsageError(`--env-vars ${printable(path)}: ${printable(error.message)}`);
    }
    throw error;
  }
};

const FORMATS = ['text', 'email', 'json'] as const;

type FormatName = (typeof FORMATS)[number];

const isFormatName = (name: string | undefined): name is FormatName =>
  name !== undefined && (FORMATS as readonly string[]).includes(name);

/** Each format's modules are loaded only when chosen: JSON output does not pay for alert text. */
const formatFor = async (name: FormatName, options: FormatOptions): Promise<ReplayFormat> => {
  if (name === 'json') return jsonFormat(options);
  if (name === 'email') return (await import('./formats/email.js')).emailFormat(options);
  const [{ textFormat }, { paintFor }] = await Promise.all([
    import('./formats/text.js'),
    import('../colour.js'),
  ]);
  return textFormat(paintFor(process.stdout), options);
};

interface Totals {
  files: number;
  events: number;
  rootEvents: number;
  alerts: number;
  allowlisted: number;
  duplicates: number;
  /** Digests of closed collapse windows. */
  digests: number;
  /** Changes to the configuration parameter announced. */
  changes: number;
  unreadable: Set<string>;
}

/**
 * A change to the configuration parameter, as the Lambda announces it, except that replay cannot
 * read the parameter's history: what a write changed is unknown, and the announcement says so.
 */
const changeNoticeFor = (
  change: ConfigChangeEvent,
  configParameter: string,
): ConfigChangeNotice => ({
  change,
  outcome: outcomeFromEvent(change) ?? {
    kind: 'unknown',
    parameters: change.parameters,
    why: 'replay cannot read the parameter history; compare the versions with aws ssm get-parameter-history',
  },
  path: configParameter.endsWith('/'),
});

export const run = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    ...replayOptions,
    ...partitionOptions,
    concurrency: { type: 'string' },
    checkpoint: { type: 'string' },
    'show-files': { type: 'boolean', default: false },
    'show-ignored': { type: 'boolean', default: false },
  });
  if (formatOption(values.format) === 'text' && values.checkpoint !== undefined) {
    throw new UsageError(
      '--checkpoint needs --format json or email: text holds its lines until the replay ends, to sort them, so an interrupted run would lose lines the checkpoint counts as written',
    );
  }
  if (positionals.length === 0) throw new UsageError('name at least one PATH (or - for stdin)');
  if (positionals.filter((path) => path === STDIN).length > 1) {
    throw new UsageError('- (standard input) can be named only once');
  }
  const s3 = s3OptionsOf(values, positionals);
  const setup = await replaySetup(values);
  if (setup === undefined) return 1;
  return setup.run((hooks) => itemsOf(positionals, s3, hooks));
};

/** The options replay shares with athena query: configuration, the monitor's resources, output. */
export const replayOptions = {
  config: { type: 'string' },
  'env-vars': { type: 'string' },
  function: { type: 'string' },
  'dedup-minutes': { type: 'string' },
  format: { type: 'string', default: 'text' },
} as const;

/** What a source of items is given: the hooks an S3 archive uses, and which events to keep. */
export type ReplayHooks = Pick<S3ArchiveOptions, 'beforeCheckpoint' | 'progress'> & {
  selection: Selection;
};

/** Replay, ready to run over any source of items. */
export interface ReplaySetup {
  run(items: (hooks: ReplayHooks) => AsyncIterable<ArchiveItem>): Promise<number>;
}

const formatOption = (format: string | undefined): FormatName => {
  if (!isFormatName(format)) {
    throw new UsageError(
      `--format must be ${FORMATS.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, got ${JSON.stringify(format)}`,
    );
  }
  return format;
};

/**
 * Checks the shared options and loads what they name: the configuration, the monitor's
 * resources, the output format. Undefined (after saying why) when the configuration cannot be
 * used.
 */
export const replaySetup = async (values: {
  config?: string | undefined;
  'env-vars'?: string | undefined;
  function?: string | undefined;
  'dedup-minutes'?: string | undefined;
  format?: string | undefined;
  'show-files'?: boolean | undefined;
  'show-ignored'?: boolean | undefined;
}): Promise<ReplaySetup | undefined> => {
  const format = formatOption(values.format);
  const options: FormatOptions = {
    showFiles: values['show-files'] === true,
    showIgnored: values['show-ignored'] === true,
  };
  const dedupMinutes = await dedupMinutesOption(values['dedup-minutes']);
  const context = await contextOf(values['env-vars'], values.function);
  const config = await loadConfig(values.config, dedupMinutes);
  if (config === undefined) return undefined;
  return { run: (items) => replay(items, config, context, format, options) };
};

/** The S3 options, checked; they apply only to s3:// PATHs. */
const s3OptionsOf = (
  values: Partial<Record<S3OptionName, string>>,
  positionals: readonly string[],
): S3Options => {
  const given = S3_OPTIONS.filter((name) => values[name] !== undefined);
  if (given.length > 0 && !positionals.some(isS3Url)) {
    throw new UsageError(`--${given[0]} applies to s3:// PATHs only`);
  }
  const since = dayOption('since', values.since);
  const until = dayOption('until', values.until);
  checkDayRange(since, until);
  const concurrency =
    values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to 256, got ${JSON.stringify(values.concurrency)}`,
    );
  }
  return {
    scope: {
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(values.accounts === undefined
        ? {}
        : { accounts: listOption('accounts', values.accounts) }),
      ...(values.regions === undefined ? {} : { regions: listOption('regions', values.regions) }),
    },
    concurrency,
    ...(values.checkpoint === undefined ? {} : { checkpoint: values.checkpoint }),
  };
};

const S3_OPTIONS = ['since', 'until', 'accounts', 'regions', 'concurrency', 'checkpoint'] as const;
type S3OptionName = (typeof S3_OPTIONS)[number];
type S3Options = Pick<S3ArchiveOptions, 'scope' | 'concurrency' | 'checkpoint'>;
const DEFAULT_CONCURRENCY = 16;

/** The items of every PATH in order: local paths as before, s3:// PATHs from S3. */
async function* itemsOf(
  paths: readonly string[],
  s3: S3Options,
  hooks: ReplayHooks,
): AsyncGenerator<ArchiveItem> {
  let client: S3Client | undefined;
  for (const path of paths) {
    if (!isS3Url(path)) {
      yield* readArchive([path], hooks.selection);
      continue;
    }
    // Loaded only for S3: local replay starts without the SDK.
    const { S3Client } = await import('@aws-sdk/client-s3');
    client ??= new S3Client({});
    const { readS3Archive } = await import('../sources/s3-archive.js');
    let location: S3Location;
    try {
      location = parseS3Url(path);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      yield* readS3Archive(client, location, { ...s3, ...hooks });
    } catch (error) {
      // Listing failed (no such bucket, access denied): the archive cannot be read at all.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      yield { kind: 'input', name: path };
      yield { kind: 'problem', name: path, message: `${path}: ${reason}` };
    }
  }
}

/** `--dedup-minutes`, checked by the document's own schema so the bounds live in one place. */
const dedupMinutesOption = async (text: string | undefined): Promise<number | undefined> => {
  if (text === undefined) return undefined;
  // Loaded only for the flag: replay on the defaults starts without the validator.
  const [{ dedupMinutesSchema }, { safeParse }] = await Promise.all([
    import('../../config/schema.js'),
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
  const { parseConfig } = await import('../../config/parse-config.js');
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
    import('../../config/schema.js'),
    import('valibot'),
  ]);
  const overrides = parse(configDocumentSchema, JSON.parse(text)).rules ?? {};
  return withDedupMinutes(result.config, overrides, dedupMinutes);
};

/** Messages name files and quote inputs: hidden characters in them must not reach a terminal. */
const printable = (text: string): string => escapeText(text, 2000);

const replay = async (
  itemsFrom: (hooks: ReplayHooks) => AsyncIterable<ArchiveItem>,
  config: Config,
  context: RuleContext,
  formatName: FormatName,
  options: FormatOptions,
): Promise<number> => {
  const output = new Output(process.stdout);
  const progress = new ProgressLine(process.stderr);
  const store = new MemoryDedupStore();
  const sources = new ArchiveMemory();
  const now = new Date();
  const format = await formatFor(formatName, options);
  const interactive = process.stdout.isTTY === true;
  const totals: Totals = {
    files: 0,
    events: 0,
    rootEvents: 0,
    alerts: 0,
    allowlisted: 0,
    duplicates: 0,
    digests: 0,
    changes: 0,
    unreadable: new Set(),
  };
  const { configParameter } = context.monitor;
  const ownAccount = ownAccountOf(context.monitor.topicArn);

  const replayOne = async (event: TrailEvent): Promise<Replayed> => {
    const judged = await decideAndClaim(event, {
      catalog: CATALOG,
      config,
      context,
      now,
      leaseUntil: now.getTime(),
      arrival: 'real-time',
      claim: (request) => store.claim(request),
      sighting: (sighting) => sources.sighting(sighting),
    });
    switch (judged.kind) {
      case 'ignored':
        return { decision: 'ignored', ignored: judged };
      case 'allowlisted':
        totals.rootEvents++;
        totals.allowlisted++;
        return { decision: 'allowlisted', allowlisted: judged };
      case 'duplicate':
      case 'in-flight':
        // Replay marks each alert sent before the next event, so no claim is ever in flight.
        totals.rootEvents++;
        totals.duplicates++;
        return {
          decision: 'duplicate',
          alert: judged.alert,
          countedBy: judged.kind === 'duplicate' ? judged.openerId : undefined,
        };
      case 'alert':
        totals.rootEvents++;
        // Replay sends nothing, and every alert it prints counts as sent, as SNS accepting it would.
        await store.markSent(judged.claim, undefined);
        totals.alerts++;
        return {
          decision: 'alert',
          notice: {
            alert: judged.alert,
            suppressedBefore: judged.suppressedBefore,
            ...(judged.firstSeen === undefined ? {} : { firstSeen: judged.firstSeen }),
          },
        };
    }
  };

  /** A change to the configuration parameter is announced once per eventID, as the Lambda does. */
  const firstAnnouncement = async (event: TrailEvent): Promise<boolean> => {
    const claim = announcementClaimFor(event.eventId, now, now.getTime());
    if ((await store.claim(claim)).kind !== 'claimed') return false;
    await store.markSent(claim, undefined);
    return true;
  };

  /**
   * The digests of the windows closed by `closedBy` (event time), each where the Lambda's
   * schedule would send it: claimed, printed as sent, and marked sent, so that events counted
   * later make a follow-up digest.
   */
  const printDigests = async (closedBy: number): Promise<void> => {
    for await (const due of store.dueDigests(closedBy)) {
      const claim = await store.claimDigest(due, now.getTime(), now.getTime());
      if (claim === undefined) continue;
      output.write(format.digest(claim.digest));
      await store.markDigestSent(claim);
      totals.digests++;
    }
  };

  const s3Progress: S3Progress = {
    objects: 0,
    totalObjects: 0,
    bytes: 0,
    totalBytes: 0,
    startedAt: Date.now(),
  };
  const items = itemsFrom({
    beforeCheckpoint: () => output.flush(),
    progress: s3Progress,
    // The engine's reason for ignoring an event needs the event: --show-ignored reads them all.
    selection: options.showIgnored ? EVERY_EVENT : selectionFor(configParameter),
  });
  for await (const item of items) {
    if (item.kind === 'input') totals.files++;
    else if (item.kind === 'problem') {
      totals.unreadable.add(item.name);
      progress.clear();
      await output.flush();
      process.stderr.write(`root-monitor replay: ${printable(item.message)}\n`);
    } else {
      totals.events += item.count;
      for (const event of item.kept) {
        // An event without a time of its own says nothing of which windows have closed.
        if (event.eventTime !== undefined) await printDigests(event.eventTime.getTime());
        const replayed = await replayOne(event);
        if (replayed !== undefined) output.write(format.event(replayed, { file: item.name }));
        const change = configChangeOf(event, configParameter, ownAccount);
        if (change === undefined || configParameter === undefined) continue;
        if (!(await firstAnnouncement(event))) continue;
        totals.changes++;
        output.write(format.change(changeNoticeFor(change, configParameter), { file: item.name }));
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
        `replaying: ${s3Progress.totalObjects > 0 ? s3Status(s3Progress) : plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}, ${plural(totals.alerts, 'alert')}`,
    );
  }
  progress.clear();
  // Windows still open when the archive ends close after it: their digests come last.
  await printDigests(Number.POSITIVE_INFINITY);
  output.write(format.end());
  await output.flush();
  if (output.closed) return totals.unreadable.size > 0 ? 1 : 0;
  process.stderr.write(`root-monitor replay: ${describe(totals)}\n`);
  return totals.unreadable.size > 0 ? 1 : 0;
};

/** `120/4000 objects, 35.1/980.0 MB, 12.3 MB/s, 1m 18s left` */
const s3Status = ({ objects, totalObjects, bytes, totalBytes, startedAt }: S3Progress): string => {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = bytes / seconds;
  const left = rate > 0 ? Math.round((totalBytes - bytes) / rate) : undefined;
  const mb = (value: number): string => (value / 1e6).toFixed(1);
  const eta =
    left === undefined
      ? ''
      : `, ${left >= 60 ? `${Math.floor(left / 60)}m ` : ''}${left % 60}s left`;
  return `${objects}/${totalObjects} objects, ${mb(bytes)}/${mb(totalBytes)} MB, ${mb(rate)} MB/s${eta}`;
};

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const describe = (totals: Totals): string =>
  `${plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}: ${plural(totals.alerts, 'alert')}, ${totals.allowlisted} allowlisted, ${plural(totals.duplicates, 'duplicate')}, ${plural(totals.digests, 'digest')}, ${plural(totals.unreadable.size, 'unreadable file')}${totals.changes === 0 ? '' : `; ${plural(totals.changes, 'configuration change')} announced`}`;
