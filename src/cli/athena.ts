import { AthenaQueryError } from '../aws/athena/query-rows.js';
import { isS3Url, parseS3Url } from '../aws/s3-location.js';
import { toTrailEvent } from '../intake/trail-event.js';
import {
  ATHENA_QUERY_OPTIONS,
  athenaTarget,
  DEFAULT_TABLE,
  tableOption,
} from './athena-options.js';
import type { Command } from './command.js';
import { parseOptions, valueOptions } from './parse-options.js';
import { checkDayRange, dayOption, listOption, PARTITION_OPTIONS } from './partition-options.js';
import { replayOptions, replaySetup } from './replay/setup.js';
import type { ArchiveItem } from './sources/archive-item.js';
import { UsageError } from './usage-error.js';

const ddl: Command = {
  words: ['athena', 'ddl'],
  summary: 'print the Athena table for a trail, with partition projection',
  help: `Usage: root-monitor athena ddl --location s3://BUCKET[/PREFIX] --accounts LIST --regions LIST
                              [--organization o-xxxx] [--table [DATABASE.]TABLE] [--since DAY]

Prints the CREATE EXTERNAL TABLE statement for a trail's log files, read in place by Athena with
partition projection on account, Region and day (no crawler, no MSCK REPAIR). Run it once in
Athena, then root-monitor athena query.

Options:
  --location s3://BUCKET[/PREFIX]  the trail's bucket and S3 key prefix (without AWSLogs/).
  --organization o-xxxx            an organization trail (AWSLogs/o-xxxx/ACCOUNT/...).
  --accounts LIST                  comma-separated account ids the table projects over.
  --regions LIST                   comma-separated Regions the table projects over.
  --table NAME                     the table, [DATABASE.]TABLE (default ${DEFAULT_TABLE}).
  --since DAY                      the first day of the projection (default 2020-01-01).
  -h, --help                       show this help.
`,
  run: async (args) => {
    const { values, positionals } = parseOptions(args, {
      location: { type: 'string' },
      organization: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      table: { type: 'string' },
      since: { type: 'string' },
    });
    if (positionals.length > 0)
      throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}`);
    if (values.location === undefined || !isS3Url(values.location)) {
      throw new UsageError('give --location s3://BUCKET[/PREFIX], where the trail writes');
    }
    const { bucket, prefix } = parseS3Url(values.location);
    const organization = values.organization;
    if (organization !== undefined && !/^o-[a-z0-9]{10,32}$/.test(organization)) {
      throw new UsageError(
        `--organization must be an organization id, o-xxxxxxxxxx, got ${JSON.stringify(organization)}`,
      );
    }
    const accounts = listOption('accounts', values.accounts);
    const regions = listOption('regions', values.regions);
    if (accounts === undefined)
      throw new UsageError('give --accounts LIST: the table projects over them');
    if (regions === undefined)
      throw new UsageError('give --regions LIST: the table projects over them');
    const { createTableSql } = await import('../aws/athena/ddl.js');
    process.stdout.write(
      createTableSql({
        table: tableOption(values.table),
        bucket,
        prefix: prefix.replace(/\/+$/, '').replace(/\/?AWSLogs$/, ''),
        ...(organization === undefined ? {} : { organizationId: organization }),
        accounts,
        regions,
        since: dayOption('since', values.since, false) ?? '2020-01-01',
      }),
    );
    return 0;
  },
};

/** Rows are handed to the engine in batches of this many. */
const BATCH_ROWS = 1000;

const query: Command = {
  words: ['athena', 'query'],
  summary: 'run the root-usage query over days of a trail in Athena, as replay prints it',
  help: `Usage: root-monitor athena query --database DB --since DAY --until DAY [--table TABLE]
                                [--workgroup WG] [--output s3://BUCKET/PREFIX/]
                                [--accounts LIST] [--regions LIST] [replay options]

Runs one Athena query over the table athena ddl created: the days, accounts and Regions given
(partition projection reads only their folders), filtered by the engine's own definition of
root usage. Then every row's record goes through the same engine, rules, allowlist and dedup as
replay, and is printed as replay prints it. The query is paged through, never held whole.

Credentials and Region come from the AWS SDK's usual chain; it needs athena:StartQueryExecution,
GetQueryExecution and GetQueryResults, glue:GetTable, and S3 read on the trail and read-write on
the results location.

Options:
  --database DB        the Glue database of the table.
  --table TABLE        the table (default ${DEFAULT_TABLE}).
  --workgroup WG       the Athena workgroup (default: primary).
  --output s3://...    where Athena writes results (default: the workgroup's setting).
  --since DAY, --until DAY
                       first and last UTC day, inclusive (YYYY-MM-DD).
  --accounts LIST, --regions LIST
                       comma-separated; only those partitions are read.
  --config FILE, --env-vars FILE, --function ID, --dedup-minutes N, --format text|email|json
                       as for root-monitor replay (see root-monitor replay --help).
  -h, --help           show this help.

Exit status: 0 when the query ran, 1 when it failed (Athena's reason on standard error) or the
configuration is invalid, 2 for a usage error.
`,
  run: async (args) => {
    const { values, positionals } = parseOptions(args, {
      ...replayOptions,
      ...valueOptions([...ATHENA_QUERY_OPTIONS, ...PARTITION_OPTIONS]),
    });
    if (positionals.length > 0)
      throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}`);
    const { table, ...where } = athenaTarget(values);
    const since = dayOption('since', values.since, true) as string;
    const until = dayOption('until', values.until, true) as string;
    checkDayRange(since, until);
    const accounts = listOption('accounts', values.accounts);
    const regions = listOption('regions', values.regions);
    const replay = await replaySetup(values);
    if (replay === undefined) return 1;
    const { rootUsageQuerySql } = await import('../aws/athena/root-usage-query.js');
    const sql = rootUsageQuerySql({
      table,
      since,
      until,
      ...(accounts === undefined ? {} : { accounts }),
      ...(regions === undefined ? {} : { regions }),
    });
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const { queryRows } = await import('../aws/athena/query-rows.js');
    const { recordOf } = await import('../aws/athena/record-columns.js');
    const client = new AthenaClient({});

    async function* items(): AsyncGenerator<ArchiveItem> {
      let name = 'athena query';
      const rows = queryRows(client, { sql, ...where }, (queryId) => {
        name = `athena query ${queryId}`;
      });
      let batch: ReturnType<typeof toTrailEvent>[] = [];
      let started = false;
      try {
        for await (const row of rows) {
          if (!started) {
            started = true;
            yield { kind: 'input', name };
          }
          batch.push(toTrailEvent(recordOf(row)));
          if (batch.length >= BATCH_ROWS) {
            yield { kind: 'events', name, count: batch.length, kept: batch };
            batch = [];
          }
        }
        if (!started) yield { kind: 'input', name };
        if (batch.length > 0) yield { kind: 'events', name, count: batch.length, kept: batch };
      } catch (error) {
        if (!started) yield { kind: 'input', name };
        const reason =
          error instanceof AthenaQueryError
            ? error.message
            : `${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        yield { kind: 'problem', name, message: reason };
      }
    }
    return replay.run(() => items());
  },
};

export const commands: readonly Command[] = [ddl, query];
