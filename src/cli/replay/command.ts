import { isS3Url } from '../../aws/s3-location.js';
import type { Command } from '../command.js';
import { parseOptions, valueOptions } from '../parse-options.js';
import { checkDayRange, dayOption, listOption, PARTITION_OPTIONS } from '../partition-options.js';
import { STDIN } from '../sources/read-paths.js';
import { UsageError } from '../usage-error.js';
import { formatOption } from './formats/format-for.js';
import { pathItems, type S3Options } from './path-items.js';
import { replayOptions, replaySetup } from './setup.js';

const help = `Usage: root-monitor replay [--config FILE] [--env-vars FILE [--function ID]]
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
                       counted a duplicate, whose root session a member account's call
                       was made in: "session of ARN (TaskPolicy)", with "outside its task
                       policy" when it was, or "root session, no AssumeRoot seen", and "first
                       seen in this archive" on the earliest alert from each source address
                       root used in each account, an IPv6 address by its /64), then the
                       events by rule and by account (the ten busiest
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
                       alert that opened the window. A member account's root call made in
                       a root session adds rootSession (seen, unseen, unreadable) and, for a
                       session whose sts:AssumeRoot was read earlier, who opened it and
                       from where (sessionOpenedBy, sessionOpenedByRole, sessionSourceIp),
                       sessionTaskPolicy, sessionOpenedAt, sessionExpiresAt,
                       sessionAssumeRootEventId, sessionAssumeRootRegion and
                       taskPolicyCheck (within, outside, unknown-policy). An alert from a
                       source no earlier event of which was read before it has firstSeen
                       ("first seen in this archive") and firstSeenSource (the address, or
                       an IPv6 address's /64); files are read in path order, so a source's
                       later event read before its earliest has them too.
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

/** The options for s3:// PATHs, each taking a value. */
const S3_OPTIONS = [...PARTITION_OPTIONS, 'concurrency', 'checkpoint'] as const;
type S3OptionName = (typeof S3_OPTIONS)[number];

const run = async (args: readonly string[]): Promise<number> => {
  const { values, positionals } = parseOptions(args, {
    ...replayOptions,
    ...valueOptions(S3_OPTIONS),
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
  return setup.run((hooks) => pathItems(positionals, s3, hooks));
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

const DEFAULT_CONCURRENCY = 16;

export const commands: readonly Command[] = [
  {
    words: ['replay'],
    summary: 'run CloudTrail logs through the engine and print what would be alerted',
    help,
    run,
  },
];
